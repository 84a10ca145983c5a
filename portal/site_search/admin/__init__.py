"""Administrators' search pages: synonyms, best bets and query analytics."""

from flask import Blueprint

search_admin = Blueprint("search_admin", __name__, url_prefix="/admin/search")

from portal.site_search.admin import views  # noqa: E402,F401

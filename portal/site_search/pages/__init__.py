"""The public search page: /search, suggestions as you type, click tracking."""

from flask import Blueprint

search_pages = Blueprint("search_pages", __name__)

from portal.site_search.pages import views  # noqa: E402,F401

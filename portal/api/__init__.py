"""The JSON API under /api/v1. Each area adds a module here that registers routes on `api` and
describes them in its OPENAPI_PATHS (merged by portal/api/openapi.py)."""

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")

from portal.api import editing, matters, openapi, search  # noqa: E402,F401

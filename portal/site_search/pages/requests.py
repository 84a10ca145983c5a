"""The /search page's request: SearchParams from its query string, forgivingly (bad values
fall back to defaults: portal/site_search/params.py reads them), and the header's search box."""

from types import SimpleNamespace

from flask import request
from flask_login import current_user

from portal.permissions import STAFF_ROLES
from portal.site_search.params import DEFAULT_SIZE, MAX_SIZE, kind_of, read_args
from portal.site_search.service import make_params
from search.queries import MAX_QUERY_LENGTH


def is_staff():
    return current_user.is_authenticated and current_user.has_role(*STAFF_ROLES)


def params_from_request(default_size=DEFAULT_SIZE, max_size=MAX_SIZE):
    """SearchParams from the query string; staff may switch components off (off=…) and explain."""
    return make_params(**read_args(request.args, default_size, max_size, staff=is_staff()))


def site_search():
    """What the header's search box carries: the query on /search and /search/suggest, and the tab
    (type) on /search, so a new search stays on the tab it was typed from."""
    endpoint = request.endpoint if request else None
    on_results, on_suggest = endpoint == "search_pages.search", endpoint == "search_pages.suggest"
    return SimpleNamespace(
        q=request.args.get("q", "")[:MAX_QUERY_LENGTH] if on_results or on_suggest else "",
        kind=kind_of(request.args.get("type", "")) if on_results else None,
        suggest_page=on_suggest,
    )

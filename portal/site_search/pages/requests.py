"""Reading search parameters from a request (page or API) into SearchParams, forgivingly:
bad values fall back to defaults instead of failing."""

from types import SimpleNamespace

from flask import request
from flask_login import current_user

from portal.permissions import STAFF_ROLES
from portal.site_search.service import make_params
from search.queries import COMPONENTS, FACETS, MAX_PAGE, MAX_QUERY_LENGTH

KIND_ALIASES = {"matter": "matter", "answer": "answer", "article": "article"}


def _int(name, default, low, high):
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return min(max(value, low), high)


def facet_filters(args):
    filters = {}
    for facet in FACETS:
        values = [value[:100] for value in args.getlist(facet) if value.strip()][:20]
        if facet == "online_depth":
            values = [int(value) for value in values if value.isdigit()]
        if values:
            filters[facet] = values
    return filters


def is_staff():
    return current_user.is_authenticated and current_user.has_role(*STAFF_ROLES)


def params_from_request(default_size=10, max_size=50):
    """SearchParams from the query string; staff may switch components off (off=…) and explain."""
    q = request.args.get("q", "")[: MAX_QUERY_LENGTH * 4]
    kind = KIND_ALIASES.get(request.args.get("type", ""))
    disabled, explain = (), False
    if is_staff():
        disabled = [name for name in request.args.getlist("off") if name in COMPONENTS]
        explain = request.args.get("explain") == "1"
    return make_params(
        q, kind=kind, filters=facet_filters(request.args), page=_int("page", 1, 1, MAX_PAGE),
        size=_int("size", default_size, 1, max_size), disabled=disabled, explain=explain,
    )


def site_search():
    """What the header's search box carries: the query on /search and /search/suggest, and the tab
    (type) on /search, so a new search stays on the tab it was typed from."""
    endpoint = request.endpoint if request else None
    on_results, on_suggest = endpoint == "search_pages.search", endpoint == "search_pages.suggest"
    return SimpleNamespace(
        q=request.args.get("q", "")[:MAX_QUERY_LENGTH] if on_results or on_suggest else "",
        kind=KIND_ALIASES.get(request.args.get("type", "")) if on_results else None,
        suggest_page=on_suggest,
    )

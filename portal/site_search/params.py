"""Reading a search request: the one owner of what a search's words, tab, page, size and
filters may be. Every portal search goes through it — the /search page, GET /api/v1/search, the
FAQ, the hotline console, suggestions and click counting — by way of `make_params`
(portal/site_search/service.py), which normalises the words once and clamps page, size and kind
with the functions here.

Two policies over the same rules: pages forgive (a bad value falls back to its default, an
out-of-range one is clamped: `read_args`); the API refuses with a clear message (`check_args`).
Pure functions of plain values: no database, no Elasticsearch.
"""

from flask_babel import gettext as _

from search.indexes import KINDS
from search.queries import COMPONENTS, FACETS, MAX_PAGE, MAX_QUERY_LENGTH, MAX_SIZE, clean_query

DEFAULT_SIZE = 10
# What is read of the words as typed, before normalising: no citizen types more, and normalising
# a megabyte of text on every request is work for nothing. The API refuses longer words.
MAX_RAW_QUERY = MAX_QUERY_LENGTH * 4
MAX_FACET_VALUES = 20  # per facet
MAX_FACET_VALUE_CHARS = 100
NUMBER_FACETS = ("online_depth",)


def search_text(raw):
    """The words as searched, logged and cached: normalised (search.analysis.normalize) and cut
    to MAX_QUERY_LENGTH, without a space left at the cut. The one normalisation a portal search
    makes: make_params, suggestions and click counting all call this."""
    return clean_query((raw or "")[:MAX_RAW_QUERY])


def kind_of(raw):
    """One of KINDS, or None (all kinds) for anything else."""
    return raw if raw in KINDS else None


def kinds_of(raw):
    """The indexes to search: the known kinds among raw, each once, in the caller's order (all
    of them when none)."""
    chosen = tuple(dict.fromkeys(kind for kind in (raw or ()) if kind in KINDS))
    return chosen or KINDS


def whole_number(raw, default, low, high):
    """raw as an int clamped to [low, high]; default when it is not a whole number."""
    try:
        value = int(raw if raw is not None else default)
    except (TypeError, ValueError):
        return default
    return min(max(value, low), high)


def page_of(raw):
    return whole_number(raw, 1, 1, MAX_PAGE)


def size_of(raw, default=DEFAULT_SIZE, max_size=MAX_SIZE):
    return whole_number(raw, default, 1, min(max_size, MAX_SIZE))


def facet_filters(args):
    """{facet: [values]} from a query string (a MultiDict): blank values dropped, each value cut
    to MAX_FACET_VALUE_CHARS, a value given twice kept once, at most MAX_FACET_VALUES per facet;
    number facets keep only whole numbers."""
    filters = {}
    for facet in FACETS:
        values = list(dict.fromkeys(value[:MAX_FACET_VALUE_CHARS] for value in args.getlist(facet) if value.strip()))
        values = values[:MAX_FACET_VALUES]
        if facet in NUMBER_FACETS:
            values = [int(value) for value in values if value.isdecimal()]
        if values:
            filters[facet] = values
    return filters


def staff_switches(args):
    """(disabled components, explain) that staff may ask for (off=…, explain=1)."""
    return [name for name in args.getlist("off") if name in COMPONENTS], args.get("explain") == "1"


def read_args(args, default_size=DEFAULT_SIZE, max_size=MAX_SIZE, staff=False):
    """make_params' keyword arguments from a query string, forgivingly: bad values fall back to
    defaults. Staff may switch components off and ask for explanations."""
    disabled, explain = staff_switches(args) if staff else ((), False)
    return {
        "q": args.get("q", ""), "kind": kind_of(args.get("type", "")), "filters": facet_filters(args),
        "page": page_of(args.get("page")), "size": size_of(args.get("size"), default_size, max_size),
        "disabled": disabled, "explain": explain,
    }


def check_args(args):
    """(make_params' keyword arguments, None) from the API's query string, or (None, a message
    saying what is wrong): the API refuses what a page would forgive."""
    q = args.get("q", "").strip()
    kind = args.get("type") or None
    page, size = args.get("page", "1"), args.get("size", str(DEFAULT_SIZE))
    if not q:
        return None, _("请提供搜索词 q。")
    if len(q) > MAX_RAW_QUERY:
        return None, _("搜索词太长，请不超过 %(limit)s 个字。", limit=MAX_QUERY_LENGTH)
    if kind is not None and kind not in KINDS:
        return None, _("type 只能是 matter、answer 或 article。")
    if not (page.isdecimal() and 1 <= int(page) <= MAX_PAGE):
        return None, _("page 须为 1 到 %(limit)s 之间的整数。", limit=MAX_PAGE)
    if not (size.isdecimal() and 1 <= int(size) <= MAX_SIZE):
        return None, _("size 须为 1 到 %(limit)s 之间的整数。", limit=MAX_SIZE)
    return {"q": q, "kind": kind, "filters": facet_filters(args), "page": int(page), "size": int(size)}, None

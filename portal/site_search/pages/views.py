"""Thin views over portal.site_search.service."""

import re

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import get_locale, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import content_generation
from portal import page_cache as shared_pages
from portal.permissions import public
from portal.popularity import popular_matters
from portal.safety import safe_local_path
from portal.site_search.pages import page_cache, search_pages
from portal.site_search.pages.links import SearchLinks, click_links
from portal.site_search.pages.requests import is_staff, params_from_request
from portal.site_search.service import (
    closest_answers,
    find,
    log_entry,
    query_logger,
    record_click,
    suggestion_fragment,
    suggestions,
)
from search.queries import COMPONENTS, FACETS, MAX_PAGE

PAGE_SIZE = 10
POSITION = re.compile("[0-9]{1,5}")
# A tab holds many results ("Services", "Answers"); the same word on one result is its kind ("Service").
TABS = (("", _l("全部")), ("matter", lazy_pgettext("search tab", "办事")),
        ("answer", lazy_pgettext("search tab", "问答")), ("article", _l("政务公开")))


def page_labels():
    """The results page's fixed labels (tabs, facet names, online-depth levels, kinds of result) in
    the visitor's language, translated once per language and app instead of on every page (they
    were a third of the page's calls to gettext). Plain text: the template escapes it."""
    return content_generation.kept(("site_search.page_labels", str(get_locale())), _translated_labels, lasting=True)


def _translated_labels():
    return {
        "tabs": tuple((value, str(label)) for value, label in TABS),
        "facets": {"department": _("实施部门"), "matter_type": _("事项类型"), "audiences": _("服务对象"),
                   "themes": _("主题"), "online_depth": _("网上办理深度"), "level": _("层级")},
        "depths": {0: _("不能网上办理"), 1: _("一级：信息公开"), 2: _("二级：在线预约"),
                   3: _("三级：网上预审"), 4: _("四级：全程网办")},
        "kinds": {"matter": _("办事"), "answer": _("问答"), "article": _("政务公开")},
    }


@search_pages.route("/search")
@public
def search():
    """The results page. Visitors who are not signed in share pages rendered up to
    SEARCH_PAGE_CACHE_SECONDS ago, served in front of Flask (see page_cache)."""
    offer = page_cache.offer()
    params = params_from_request(default_size=PAGE_SIZE, max_size=PAGE_SIZE)
    # A page that others will share is rendered from a fresh search, not the result cache: that
    # cache keeps results for a second, and the page is kept under the current search generation.
    results = find(params, fresh=offer is not None) if params.q else None
    last_page = min(MAX_PAGE, max(1, -(-results.total // params.size))) if results else 1
    links = SearchLinks(url_for("search_pages.search"), request.args.to_dict(flat=False))
    show_facets = bool(results and results.facets and params.kind in (None, "matter"))
    facet_links = {facet: links.facet_links(facet, results.facets[facet])
                   for facet in FACETS if show_facets and results.facets.get(facet)}
    hits = results.hits if results else []
    clicks = click_links(url_for("search_pages.click"), params.q, params.kind, hits,
                         (params.page - 1) * params.size + 1)
    labels = page_labels()
    page = render_template(
        "search_pages/search.html", params=params, results=results, tabs=labels["tabs"], show_facets=show_facets,
        facet_labels=labels["facets"], depth_labels=labels["depths"], kind_labels=labels["kinds"],
        hit_links=list(zip(hits, clicks, strict=True)),
        facet_links=facet_links, url_with=links.url_with, last_page=last_page, staff=is_staff(),
        components=COMPONENTS,
        popular=popular_matters() if results is None or results.total == 0 else [],
        answers=closest_answers(params, results) if results and results.weak and params.kind != "answer" else [],
        ask_url=url_for("interaction.new_message") if "interaction.new_message" in current_app.view_functions else None,
    )
    if offer is not None:
        if (results and results.degraded) or params.explain:
            shared_pages.withdraw()
        elif results and (entry := log_entry(params, results, "page")):
            offer.on_hit = query_logger(entry)  # every search is counted, however it is answered
    return page


@search_pages.route("/search/suggest")
@public
def suggest():
    """Completions: an HTML fragment for htmx, or a small page of links without JavaScript."""
    q = request.args.get("q", "")[:100]
    page_cache.offer()  # the same for every visitor not signed in: served in front of Flask
    if request.headers.get("HX-Request"):
        # The fragment is the same for everyone: rendered once per text and search generation.
        return suggestion_fragment(q, lambda items: render_template("search_pages/_suggestions.html", items=items))
    return render_template("search_pages/suggest.html", items=suggestions(q), q=q)


@search_pages.route("/search/click")
@public
def click():
    """Counts which result of a search (its words q and tab type) was opened, then goes there
    (same site only)."""
    target = safe_local_path(request.args.get("to"), fallback=url_for("search_pages.search"))
    position = request.args.get("pos", "")
    if POSITION.fullmatch(position):
        record_click(request.args.get("q", ""), request.args.get("type") or None,
                     request.args.get("id", ""), int(position))
    return redirect(target)


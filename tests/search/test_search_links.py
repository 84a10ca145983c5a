"""Links of a results page: the same search with a tab, page or facet value changed."""

from urllib.parse import parse_qs, urlsplit

import pytest

from portal.site_search.pages.links import SearchLinks

pytestmark = pytest.mark.unit

ARGS = {"department": ["市公安局"], "q": ["驾驶 证&"], "page": ["3"], "online_depth": ["4"], "type": ["matter"]}


def query(url):
    parts = urlsplit(url)
    assert parts.path == "/search"
    return parts.query


def test_url_with_changes_some_parameters_and_goes_back_to_page_one():
    links = SearchLinks("/search", ARGS)
    assert query(links.url_with(type=None)) == \
        "department=%E5%B8%82%E5%85%AC%E5%AE%89%E5%B1%80&q=%E9%A9%BE%E9%A9%B6+%E8%AF%81%26&online_depth=4"
    assert parse_qs(query(links.url_with(page=2)))["page"] == ["2"]
    assert "page" not in parse_qs(query(links.url_with(q="驾照")))
    assert parse_qs(query(links.url_with(level=["市", "省"])))["level"] == ["市", "省"]


@pytest.mark.parametrize("facet", ["department", "online_depth", "level"])
def test_facet_links_are_what_url_with_gives_for_each_toggled_value(facet):
    links = SearchLinks("/search", ARGS)
    buckets = [("市公安局", 5), (4, 3), (3, 2), ("省", 1), ("a&b c", 1)]
    chosen = ARGS.get(facet, [])
    for (value, count), (same_value, same_count, is_chosen, url) in zip(buckets, links.facet_links(facet, buckets),
                                                                           strict=True):
        assert (same_value, same_count, is_chosen) == (value, count, str(value) in chosen)
        toggled = [each for each in chosen if each != str(value)] if is_chosen else [*chosen, str(value)]
        assert url == links.url_with(**{facet: toggled or None})


def test_the_last_chosen_value_taken_out_drops_the_parameter():
    links = SearchLinks("/search", {"q": ["驾驶证"], "online_depth": ["4"]})
    [(_, _, chosen, url)] = links.facet_links("online_depth", [(4, 2)])
    assert chosen and url == "/search?q=%E9%A9%BE%E9%A9%B6%E8%AF%81"


def test_facet_links_with_several_values_chosen():
    links = SearchLinks("/search", {"q": ["证"], "department": ["市公安局", "a&b c"], "type": ["matter"]})
    buckets = [("市公安局", 5), ("a&b c", 2), ("市 民政局+", 1)]
    for (value, _), (_, _, is_chosen, url) in zip(buckets, links.facet_links("department", buckets), strict=True):
        chosen = ["市公安局", "a&b c"]
        toggled = [each for each in chosen if each != value] if is_chosen else [*chosen, value]
        assert url == links.url_with(department=toggled)


@pytest.mark.parametrize("kind", [None, "matter"])
def test_click_links_are_what_url_for_builds(kind):
    from types import SimpleNamespace

    from flask import Flask, url_for

    from portal.site_search.pages.links import click_links

    app = Flask(__name__)
    app.add_url_rule("/search/click", "click", lambda: "")
    hits = [SimpleNamespace(id="matter-1", url="/matters/11370500MB?x=1&y=a b#c"),
            SimpleNamespace(id="answer-2", url="/answers/2"),
            SimpleNamespace(id="x y+z/é", url="https://example.gov.cn/p?q=驾照!$'()*,;:@")]
    with app.test_request_context():
        expected = [url_for("click", q="驾驶 证&+%", type=kind, id=hit.id, pos=position, to=hit.url)
                    for position, hit in enumerate(hits, start=11)]
        assert click_links(url_for("click"), "驾驶 证&+%", kind, hits, 11) == expected


@pytest.mark.parametrize("changes", [{}, {"type": None}, {"page": 2}, {"q": "驾照 a&b"}, {"level": ["市", "省"]},
                                     {"department": []}, {"online_depth": None, "type": "answer", "page": 3},
                                     {"new": "x y", "q": None}])
def test_url_with_is_urlencode_of_the_changed_parameters(changes):
    from urllib.parse import urlencode

    links = SearchLinks("/search", ARGS)
    args = {name: values for name, values in ARGS.items() if name != "page"}
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value if isinstance(value, list) else [value]
    assert links.url_with(**changes) == "/search?" + urlencode(args, doseq=True)

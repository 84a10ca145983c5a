"""Reading a search request (portal/site_search/params.py): bad input falls back to defaults on
pages, and gets a clear refusal from the API; the words are normalised once, the same for all."""

import pytest
from werkzeug.datastructures import MultiDict

from portal.site_search import params
from search.indexes import KINDS
from search.queries import MAX_PAGE, MAX_QUERY_LENGTH, MAX_SIZE, clean_query

pytestmark = pytest.mark.unit


def args(**values):
    return MultiDict([(name, value) for name, each in values.items()
                      for value in (each if isinstance(each, list) else [each])])


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1), ("7", 7), (" 3 ", 3), (None, 1), ("", 1), ("abc", 1), ("1.5", 1), ("0", 1), ("-4", 1),
    ("99999999999999999999", MAX_PAGE), (str(MAX_PAGE + 1), MAX_PAGE), ("٣", 3), ("9" * 5000, 1),
])
def test_a_bad_or_huge_page_falls_back_or_is_clamped(raw, expected):
    assert params.page_of(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("5", 5), (None, 10), ("x", 10), ("-3", 1), ("0", 1), ("500", MAX_SIZE),
])
def test_a_negative_or_huge_size_is_clamped(raw, expected):
    assert params.size_of(raw) == expected


def test_a_page_may_narrow_the_size():
    assert params.size_of("50", default=10, max_size=10) == 10
    assert params.size_of(None, default=10, max_size=10) == 10
    assert params.size_of("50", max_size=10_000) == MAX_SIZE  # never beyond what the library serves


@pytest.mark.parametrize("raw", ["video", "", None, "MATTER", "matter ", ["matter"]])
def test_an_unknown_type_means_all_kinds(raw):
    assert params.kind_of(raw) is None


def test_known_types_pass():
    assert [params.kind_of(kind) for kind in KINDS] == list(KINDS)
    assert params.kinds_of(("answer", "video", "matter", "answer")) == ("answer", "matter")
    assert params.kinds_of(()) == params.kinds_of(None) == params.kinds_of(("video",)) == KINDS


def test_the_words_are_normalised_once_and_cut():
    assert params.search_text("  ＹＹＺＺ\u3000 营业\t执照 ") == "yyzz 营业 执照"
    assert params.search_text(None) == params.search_text("") == params.search_text(" \x00 ") == ""
    long = params.search_text("驾驶证" * 1000)
    assert len(long) == MAX_QUERY_LENGTH and long == clean_query("驾驶证" * 1000)
    # A cut that lands on a space leaves none behind: the text is its own normal form.
    cut_at_space = params.search_text("字" * (MAX_QUERY_LENGTH - 1) + " 尾巴")
    assert cut_at_space == "字" * (MAX_QUERY_LENGTH - 1)
    for text in (params.search_text("  ＹＹＺＺ 营业执照"), cut_at_space, long):
        assert params.search_text(text) == clean_query(text) == text


def test_overlong_words_are_read_only_so_far():
    # What follows the first MAX_RAW_QUERY characters is never read, however it normalises.
    assert params.search_text(" " * params.MAX_RAW_QUERY + "驾驶证") == ""


def test_repeated_blank_and_overlong_facet_values():
    filters = params.facet_filters(args(
        department=["市公安局", "市公安局", " ", "市民政局"], matter_type="行政许可",
        level=["x" * 500], themes=[f"主题{n}" for n in range(40)], unknown="ignored"))
    assert filters["department"] == ["市公安局", "市民政局"]
    assert filters["matter_type"] == ["行政许可"]
    assert filters["level"] == ["x" * params.MAX_FACET_VALUE_CHARS]
    assert len(filters["themes"]) == params.MAX_FACET_VALUES
    assert "unknown" not in filters and "audiences" not in filters


@pytest.mark.parametrize(("values", "expected"), [
    (["4", "4", "2"], [4, 2]), (["x", "-1", "1.5", "²"], None), (["٣"], [3]),
])
def test_number_facets_keep_whole_numbers_only(values, expected):
    assert params.facet_filters(args(online_depth=values)).get("online_depth") == expected


def test_a_page_reads_everything_forgivingly():
    read = params.read_args(args(q="  驾照 ", type="video", page="-2", size="1000", department="市公安局",
                                 off="words", explain="1"), default_size=10, max_size=10)
    assert read == {"q": "  驾照 ", "kind": None, "filters": {"department": ["市公安局"]}, "page": 1, "size": 10,
                    "disabled": (), "explain": False}
    assert params.read_args(args(q="x", type="answer", page="2", size="5")) == {
        "q": "x", "kind": "answer", "filters": {}, "page": 2, "size": 5, "disabled": (), "explain": False}


def test_staff_may_switch_components_off_and_explain():
    read = params.read_args(args(q="x", off=["words", "nonsense", "pinyin"], explain="1"), staff=True)
    assert read["disabled"] == ["words", "pinyin"] and read["explain"] is True


@pytest.mark.parametrize("query", [
    {"q": ""}, {"q": "   "}, {"q": "x", "type": "video"}, {"q": "x", "page": "0"}, {"q": "x", "page": "-1"},
    {"q": "x", "page": str(MAX_PAGE + 1)}, {"q": "x", "size": "500"}, {"q": "x", "size": "-5"},
    {"q": "x", "page": "abc"}, {"q": "婚" * 1000},
])
def test_the_api_refuses_what_a_page_forgives(app, query):
    with app.test_request_context():
        read, message = params.check_args(args(**query))
    assert read is None and message


def test_the_api_reads_good_values():
    read, message = params.check_args(args(q=" 婚姻登记 ", type="matter", page="3", size="5",
                                          department=["市民政局", "市民政局"]))
    assert message is None
    assert read == {"q": "婚姻登记", "kind": "matter", "filters": {"department": ["市民政局"]}, "page": 3, "size": 5}

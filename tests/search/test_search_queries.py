"""Searches through the real Elasticsearch: colloquial names, pinyin, initials, typos, facets,
best bets, duplicates, switchable components, highlighting, suggestions, hostile input."""

from datetime import date, timedelta

import pytest

from portal.extensions import db, search_client
from portal.models import BestBet, SynonymGroup
from portal.site_search.service import find, make_params, search_settings_changed, suggestions
from search.queries import SearchParams, search

pytestmark = pytest.mark.integration


def titles(q, **options):
    results = find(make_params(q, **options), log=False)
    return [hit.title for hit in results.hits]


@pytest.fixture
def synonyms(app):
    db.session.add(SynonymGroup(terms="驾照,驾驶证,机动车驾驶证"))
    db.session.commit()
    search_settings_changed()
    yield
    search_settings_changed()


@pytest.mark.parametrize(("query", "expected"), [
    ("驾照增加车型", "机动车驾驶证增加准驾车型"),  # colloquial word, via the synonym table
    ("户口本借出来", "户口页借出"),  # 俗称 indexed as an alias
    ("失业了去登记", "失业登记"),  # filler words
    ("shiye dengji", "失业登记"),  # pinyin
    ("shiyedengji", "失业登记"),  # pinyin typed without spaces
    ("sydj", "失业登记"),  # initials of the words
    ("yyzz", "营业执照遗失补领"),  # initials of one word inside the name
    ("失叶登记", "失业登记"),  # a wrong character that sounds the same
    ("律协查询", "律师协会基本信息查询"),  # abbreviation
    ("大学教师资格", "高等学校教师资格认定"),
])
def test_people_find_matters_in_their_own_words(search_index, synonyms, query, expected):
    assert titles(query, kind="matter")[0] == expected


def test_synonyms_come_from_the_table_and_can_be_switched_off(search_index, synonyms):
    assert set(titles("驾照", kind="matter")) == {"机动车驾驶证增加准驾车型", "机动车驾驶证期满换证"}
    # without the table only the matter whose 俗称 says 驾照 is found
    assert titles("驾照", kind="matter", disabled={"synonyms"}) == ["机动车驾驶证期满换证"]


def test_all_kinds_with_counts_and_a_tab(search_index, synonyms):
    results = find(make_params("驾驶证"), log=False)
    assert results.counts == {"matter": 2, "answer": 1, "article": 1}
    assert {hit.type for hit in results.hits} == {"matter", "answer", "article"}
    tab = find(make_params("驾驶证", kind="answer"), log=False)
    assert [hit.type for hit in tab.hits] == ["answer"]
    assert tab.counts == results.counts  # the tabs keep their counts


def test_facets_combine(search_index):
    results = find(make_params("驾驶证 失业", kind="matter"), log=False)
    departments = dict(results.facets["department"])
    assert departments["市公安局"] == 2
    filtered = find(make_params("驾驶证 失业", kind="matter",
                                         filters={"department": ["市公安局"], "online_depth": [4]}), log=False)
    assert [hit.title for hit in filtered.hits] == ["机动车驾驶证增加准驾车型"]
    # a facet's counts ignore its own filter (other values stay choosable) but apply the others
    assert dict(filtered.facets["department"]) == {"市公安局": 1, "市人力资源和社会保障局": 2}
    assert dict(filtered.facets["online_depth"])[3] == 1


def test_facets_counted_together_are_the_facets_counted_one_by_one(search_index, elasticsearch):
    """The facets without a filter of their own share one aggregation on `facet_values`; each
    must count exactly what a terms aggregation on its own field under the same filters counts."""
    from search.queries import FACETS, aliases_for, build_body

    for filters in ({}, {"department": ["市公安局"]}, {"online_depth": [3, 4], "level": ["市"]}):
        params = make_params("驾驶证 失业 备案 营业执照 律师", filters=filters)
        body = build_body(params)
        for facet in FACETS:
            body["aggs"][f"one_{facet}"] = {"filter": {"bool": {"filter": [{"term": {"kind": "matter"}}, *[
                {"terms": {other: values}} for other, values in filters.items() if other != facet]]}},
                "aggs": {"values": {"terms": {"field": facet, "size": 30}}}}
        response = elasticsearch.search(index=aliases_for(search_index), body=body)
        results = find(params, log=False)
        assert results.total > 0
        for facet in FACETS:
            expected = [(bucket["key"], bucket["doc_count"])
                        for bucket in response["aggregations"][f"one_{facet}"]["values"]["buckets"]]
            assert results.facets[facet] == expected, (filters, facet)


def test_intent_boosts_read_the_actions_found_at_index_time_as_the_phrase_queries_did(search_index, elasticsearch):
    from search.queries import aliases_for
    from search.understanding import INTENT_MARKERS

    for intent, markers in INTENT_MARKERS.items():
        def ids(query):
            response = elasticsearch.search(index=aliases_for(search_index), query=query, size=100, _source=False)
            return {hit["_id"] for hit in response["hits"]["hits"]}

        phrases = {"bool": {"should": [{"match_phrase": {"title": marker}} for marker in markers]}}
        assert ids({"term": {"title_actions": intent}}) == ids(phrases), intent


@pytest.mark.parametrize("query", ["驾驶证", "企业投资项目备案", "失业 登记", "T-001 律师", "yyzz"])
def test_title_marks_made_here_are_what_the_highlighter_gave(search_index, elasticsearch, query):
    from search.queries import _join_marks, _marked_words, aliases_for, clean_query, mark_title

    params = make_params(query)
    marked = _marked_words(clean_query(query), params)
    response = elasticsearch.search(
        index=aliases_for(search_index), query={"match": {"title": {"query": marked}}}, size=50,
        highlight={"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
                   "fields": {"title": {"number_of_fragments": 0}}})
    for hit in response["hits"]["hits"]:
        expected = _join_marks(hit["highlight"]["title"][0]) if "highlight" in hit else ""
        assert mark_title(hit["_source"]["title"], marked) == expected


def test_title_marks_are_encoded_like_the_highlighter_encodes():
    from search.queries import mark_title

    assert mark_title("A/B <证> & \"补\" 'x' ISO9001", "证 iso9001 b") == (
        "A&#x2F;<mark>B</mark> &lt;<mark>证</mark>&gt; &amp; &quot;补&quot; &#x27;x&#x27; <mark>ISO9001</mark>")
    assert mark_title("失业登记", "驾驶证") == ""


def test_distinct_titles_are_counted_exactly(search_index):
    results = find(make_params("企业投资项目备案", kind="matter"), log=False)
    assert results.counts["matter"] == results.total == len({hit.title for hit in results.hits})


def test_no_duplicate_titles(search_index):
    found = titles("企业投资项目备案", kind="matter")
    assert found.count("企业投资项目备案") == 1
    assert titles("企业投资项目备案", kind="matter", disabled={"dedupe"}).count("企业投资项目备案") == 2


def test_matters_lead_the_all_tab_over_hotline_answers_of_similar_relevance(search_index):
    query = "驾照过期怎么办"

    def answer_score(disabled):
        hits = find(make_params(query, disabled=disabled), log=False).hits
        return next(hit.score for hit in hits if hit.type == "answer")

    assert answer_score({"format"}) > answer_score(())  # answers weigh less than matters
    assert titles(query)[0] == "机动车驾驶证期满换证"


def test_a_live_lookup_searches_its_kinds_for_titles_without_duplicates(search_index):
    def lookup(q, **options):
        params = make_params(q, **options)
        params.kinds, params.lookup, params.with_facets = ("matter", "answer"), True, False
        return search(search_client.es, search_index, params).hits

    assert [hit.title for hit in lookup("企业投资项目备案")].count("企业投资项目备案") == 1
    assert [hit.title for hit in lookup("企业投资项目备案", disabled={"dedupe"})].count("企业投资项目备案") == 2
    hits = lookup("驾驶证", size=2)
    assert len(hits) == 2
    assert {hit.type for hit in lookup("驾驶证")} == {"matter", "answer"}  # the article is not searched
    assert not any(hit.title_html or hit.snippet for hit in hits)  # titles only: nothing highlighted


def test_best_bets_come_first_until_they_expire(search_index, make_department, make_matter):
    department = make_department()
    # database ids of the pinned matter match the fixed records' entity ids (1..10) on a fresh table
    pinned = [make_matter(department, code=f"BB-{n}", name=f"事项{n}") for n in range(1, 6)][4]
    db.session.add(BestBet(query="失业登记", matter_id=pinned.id, position=1))
    db.session.commit()
    search_settings_changed()  # what the admin page does after an edit
    assert titles("失业登记", kind="matter")[0] == "营业执照遗失补领"  # matter 5, though it does not match
    assert titles("失业登记", kind="matter", disabled={"best_bets"})[0] == "失业登记"
    db.session.query(BestBet).update({"expires_on": date.today() - timedelta(days=1)})
    db.session.commit()
    search_settings_changed()
    assert titles("失业登记", kind="matter")[0] == "失业登记"


def test_popularity_can_be_switched_off_to_explain_a_ranking(search_index, app):
    params = SearchParams(q="机动车驾驶证", kind="matter", explain=True, disabled=frozenset({"intent"}))
    with_popularity = search(search_client.es, search_client.index_prefix, params).hits
    assert with_popularity[0].title == "机动车驾驶证期满换证"  # 50 page views and clicks
    assert with_popularity[0].explanation["details"]
    params.disabled = frozenset({"popularity", "depth", "intent"})
    assert search(search_client.es, search_client.index_prefix, params).hits[0].title != with_popularity[0].title \
        or with_popularity[0].score != search(search_client.es, search_client.index_prefix, params).hits[0].score


def test_highlights_are_escaped_marks(search_index):
    results = find(make_params("驾驶证", kind="matter"), log=False)
    hit = results.hits[0]
    assert "<mark>驾驶证</mark>" in hit.title_html
    assert "&lt;b&gt;" in hit.snippet and "<b>" not in hit.snippet


def test_suggestions_from_names_aliases_and_pinyin(search_index):
    assert suggestions("机动车")[0]["title"].startswith("机动车驾驶证")
    assert "失业登记" in [item["title"] for item in suggestions("shiye")]
    assert "失业保险金申领" in [item["title"] for item in suggestions("领失业")]
    assert suggestions("   ") == []


def test_did_you_mean_for_a_query_with_no_results(search_index):
    results = find(make_params("shiyedenji", kind="matter", disabled={"pinyin"}), log=False)
    assert results.total == 0 and results.did_you_mean == "失业登记"


def test_callers_that_show_no_hints_spare_their_work(search_index, searches_sent):
    """The API shows neither did-you-mean nor the weak-match verdict: a search for it with no
    results sends one request to Elasticsearch, not a second one for did-you-mean."""
    params = make_params("shiyedenji", kind="matter", disabled={"pinyin"})
    params.hints = False
    results = find(params, log=False)
    assert results.total == 0 and results.did_you_mean is None and not results.weak
    assert len(searches_sent) == 1


@pytest.mark.parametrize("query", [
    "<script>alert(1)</script>", "驾驶证" * 200, '"unbalanced quote', "title:(a OR b) AND c~2 /re.*/ \\",
    "*", "{{7*7}}", "' OR 1=1 --", "\x00\x1f", "🙂🙂",
])
def test_hostile_queries_get_results_or_nothing_never_an_error(search_index, client, query):
    response = client.get("/api/v1/search", query_string={"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.get_json()["error"]["message"]
    page = client.get("/search", query_string={"q": query})
    assert page.status_code == 200
    assert b"<script>alert" not in page.data


def test_identical_searches_share_one_answer_for_a_second(search_index, app):
    app.config["SEARCH_RESULT_CACHE_SECONDS"] = 1
    try:
        first = find(make_params("失业登记", kind="matter"), log=False)
        again = find(make_params("失业登记", kind="matter"), log=False)
        other = find(make_params("失业登记", kind="answer"), log=False)
        assert again is first and other is not first
    finally:
        app.config["SEARCH_RESULT_CACHE_SECONDS"] = 0

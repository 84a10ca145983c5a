"""The closest 12345 answers on a weak-match page: taken from the page's own search when it holds
enough of them (no second request to Elasticsearch), otherwise looked up — the same answers either way."""

import pytest

from portal.site_search.service import CLOSEST_ANSWERS, closest_answers, find, make_params
from tests.search.conftest import index_records

pytestmark = pytest.mark.integration

STUDY_ABROAD = [
    {"kind": "answer", "entity_id": number, "version": 1, "code": str(number), "url": f"/answers/{number}",
     "title": title, "aliases": [], "body": body, "department": "市教育局"}
    for number, (title, body) in enumerate([
        ("孩子出国留学需要准备哪些材料？", "出国留学需准备护照、录取通知书和资金证明。"),
        ("出国留学学历认证怎么办？", "留学回国后可在线申请国外学历学位认证。"),
        ("自费出国留学有什么注意事项？", "自费出国留学前请了解目的国的签证和安全提示。"),
        ("留学生回国落户要注意什么？", "留学回国人员落户需提交学历认证和就业证明。"),
        ("孩子出国读书要办护照吗？", "出国读书需先办理普通护照。"),
    ], start=1)
]
WEAK_QUERY = "孩子出国留学要注意什么"


@pytest.fixture(scope="module")
def study_abroad_index(app, elasticsearch):
    return index_records(elasticsearch, answers=STUDY_ABROAD)


def _weak_results(**arguments):
    params = make_params(WEAK_QUERY, size=10, **arguments)
    results = find(params, fresh=True)
    assert results.weak
    return params, results


def test_a_weak_page_takes_its_closest_answers_from_its_own_search(study_abroad_index, app, searches_sent):
    with app.test_request_context("/search"):
        params, results = _weak_results()
        assert sum(hit.type == "answer" for hit in results.hits) >= CLOSEST_ANSWERS
        searches_sent.clear()
        answers = closest_answers(params, results)
        assert searches_sent == []  # Elasticsearch was not asked again
        # The same answers, in the same order, as a lookup of answers alone finds.
        filtered, filtered_results = _weak_results(filters={"department": ["市教育局"]})
        looked_up = closest_answers(filtered, filtered_results)
        assert len(searches_sent) == 2  # the filtered page's search, then its lookup
    assert len(answers) == CLOSEST_ANSWERS
    assert [answer.id for answer in answers] == [answer.id for answer in looked_up]
    assert all(answer.url.startswith("/answers/") for answer in answers)


def test_a_weak_page_asks_elasticsearch_once_and_lists_them(study_abroad_index, client, searches_sent):
    page = client.get("/search", query_string={"q": WEAK_QUERY}).get_data(as_text=True)
    assert "明确对应的办事服务" in page
    assert page.count('href="/answers/') >= CLOSEST_ANSWERS
    assert len(searches_sent) == 1

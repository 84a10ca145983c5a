"""GET /api/v1/search as DESIGN.md defines it, and its OpenAPI description."""

import time

import pytest
from sqlalchemy import select

from portal.extensions import db, search_client
from portal.models import QueryLog
from search.indexing import reindex

pytestmark = pytest.mark.integration


def _record(kind, entity_id, title, **fields):
    return {"kind": kind, "entity_id": entity_id, "version": 1, "title": title, "aliases": [],
            "body": f"{title}的办理说明", "url": f"/{kind}s/{entity_id}", "department": "市民政局", **fields}


@pytest.fixture(scope="module")
def indexed(app, elasticsearch):
    prefix = search_client.index_prefix
    reindex(elasticsearch, prefix, "matter", [
        _record("matter", n, f"婚姻登记事项{n}", matter_type="行政确认", level="市", audiences=["自然人"])
        for n in range(1, 13)])
    reindex(elasticsearch, prefix, "answer", [_record("answer", 1, "婚姻登记需要带什么？")])
    reindex(elasticsearch, prefix, "article", [_record("article", 1, "婚姻登记处搬迁公告")])


def test_contract(indexed, client):
    body = client.get("/api/v1/search", query_string={"q": "婚姻登记", "size": 5}).get_json()
    assert set(body) == {"total", "results", "facets", "took_ms", "degraded"}
    assert body["total"] == 14 and body["degraded"] is False and isinstance(body["took_ms"], int)
    assert len(body["results"]) == 5
    for result in body["results"]:
        assert set(result) == {"id", "type", "title", "url", "snippet", "department"}
    assert body["facets"]["type"] == {"matter": 12, "answer": 1, "article": 1}
    assert {"value": "行政确认", "count": 12} in body["facets"]["matter_type"]


def test_type_page_and_size(indexed, client):
    query = {"q": "婚姻登记", "type": "matter", "page": 3, "size": 5}
    body = client.get("/api/v1/search", query_string=query).get_json()
    assert body["total"] == 12 and len(body["results"]) == 2
    assert {result["type"] for result in body["results"]} == {"matter"}


@pytest.mark.parametrize("query", [
    {"q": ""}, {"q": "x", "type": "video"}, {"q": "x", "page": "0"}, {"q": "x", "size": "500"},
    {"q": "x", "page": "abc"}, {"q": "婚" * 1000},
])
def test_bad_parameters_get_a_clear_message(indexed, client, query):
    response = client.get("/api/v1/search", query_string=query)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"]


def test_openapi_describes_search(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/search"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"q", "type", "page", "size"}
    schema = document["components"]["schemas"]["SearchResponse"]
    assert set(schema["required"]) == {"total", "results", "facets", "took_ms", "degraded"}


def test_api_searches_are_logged_off_the_request_path(indexed, client):
    client.get("/api/v1/search", query_string={"q": "婚姻登记处"})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and db.session.scalar(select(QueryLog.query)) is None:
        time.sleep(0.1)
        db.session.rollback()  # a fresh snapshot
    entry = db.session.scalar(select(QueryLog))
    assert (entry.query, entry.channel, entry.results) == ("婚姻登记处", "api", 14)

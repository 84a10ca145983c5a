"""GET /api/v1/matters and /api/v1/matters/<code>, checked against the served OpenAPI document."""

import pytest
from jsonschema import Draft202012Validator

from portal.extensions import db
from portal.models import MatterFee, MatterStep
from tests.catalogue.conftest import make_sample_catalogue


@pytest.fixture
def catalogue(app):
    return make_sample_catalogue()


def _validator(client, path, status):
    document = client.get("/api/v1/openapi.json").get_json()
    schema = document["paths"][path]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
    # The document's own components resolve the $refs, as any OpenAPI 3.1 tool would.
    return Draft202012Validator({**schema, "components": document["components"]})


def _assert_valid(client, path, status, body):
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in _validator(client, path, status)
              .iter_errors(body)]
    assert errors == []


@pytest.mark.integration
def test_the_list_filters_paginates_and_matches_its_schema(client, catalogue):
    response = client.get("/api/v1/matters?life_event=出生一件事&size=1&page=2")
    body = response.get_json()
    assert response.status_code == 200
    assert (body["total"], body["page"], body["size"]) == (2, 2, 1)
    assert [result["code"] for result in body["results"]] == ["M-HUKOU"]
    assert body["results"][0]["url"].endswith("/matters/M-HUKOU")
    assert {"value": "D-POLICE", "label": "市公安局", "count": 1} in body["facets"]["department"]
    _assert_valid(client, "/matters", 200, body)

    all_published = client.get("/api/v1/matters").get_json()
    assert all_published["total"] == 3 and "M-OLD" not in [r["code"] for r in all_published["results"]]


@pytest.mark.integration
@pytest.mark.parametrize("query", ["size=0", "size=101", "page=0", "page=x"])
def test_bad_pagination_is_a_clear_400(client, query):
    response = client.get(f"/api/v1/matters?{query}")
    assert response.status_code == 400 and "size" in response.get_json()["error"]["message"]
    _assert_valid(client, "/matters", 400, response.get_json())


@pytest.mark.integration
def test_one_matter_has_every_guide_field_and_matches_its_schema(client, catalogue):
    birth = catalogue["birth"]
    birth.fees = [MatterFee(item="工本费", standard="不收费", position=0)]
    birth.steps = [MatterStep(name="申请", description="到医院申请", position=0)]
    db.session.commit()
    body = client.get("/api/v1/matters/M-BIRTH").get_json()
    assert body["materials"][0]["name"] == "出生医学证明首次签发登记表"
    assert body["platform"] == {"code": "P-DEMO", "name": "演示部门办事平台", "sso_connected": True,
                                "is_down": False, "downtime_message": None}
    assert body["go_url"].endswith("/go/M-BIRTH") and body["legal_time_limit_days"] == 20
    _assert_valid(client, "/matters/{code}", 200, body)
    _assert_valid(client, "/matters/{code}", 200, client.get("/api/v1/matters/M-HUKOU").get_json())

    for code in ("M-OLD", "NOPE"):
        missing = client.get(f"/api/v1/matters/{code}")
        assert missing.status_code == 404
        _assert_valid(client, "/matters/{code}", 404, missing.get_json())


@pytest.mark.integration
def test_the_openapi_document_is_itself_valid_json_schema(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
        assert name

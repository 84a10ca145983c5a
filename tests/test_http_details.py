"""Smaller hardening points (issue 11, item 8): no-store on signed-in pages, Allow on 405, the OpenAPI
document's q matching what the API accepts, and the demo platform's security headers."""

import pytest

from dept_demo.app import create_app as create_dept_demo
from portal.api.openapi import openapi_document


@pytest.mark.integration
def test_signed_in_pages_are_not_stored_by_any_cache(client, login, make_user):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(make_user("operator"))
    for path in ("/", "/me", "/hotline/"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


@pytest.mark.integration
def test_a_405_names_the_methods_allowed(client):
    response = client.post("/healthz")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    api = client.delete("/api/v1/search")
    assert api.status_code == 405 and "GET" in api.headers["Allow"] and api.get_json()["error"]["code"] == 405


@pytest.mark.integration
def test_the_openapi_document_refuses_an_empty_q_like_the_api(client):
    parameter = next(item for item in openapi_document()["paths"]["/search"]["get"]["parameters"]
                     if item["name"] == "q")
    assert parameter["schema"]["minLength"] == 1
    assert client.get("/api/v1/search", query_string={"q": ""}).status_code == 400


@pytest.mark.unit
def test_the_demo_platform_sends_a_csp_and_a_referrer_policy(tmp_path):
    app = create_dept_demo({"SESSION_DATABASE": str(tmp_path / "sessions.db"), "TESTING": True})
    response = app.test_client().get("/healthz")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "base-uri 'none'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert app.test_client().get("/static/demo.css").status_code == 200

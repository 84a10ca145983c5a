"""Health and readiness probes (DESIGN.md contract)."""

import pytest

from portal import create_app


@pytest.mark.integration
def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


@pytest.mark.integration
def test_readyz_reports_every_backend_ok_against_the_real_servers(client, elasticsearch, keycloak):
    response = client.get("/readyz")
    assert response.get_json() == {"db": "ok", "search": "ok", "sso": "ok"}
    assert response.status_code == 200


@pytest.mark.integration
def test_readyz_names_search_and_sso_when_they_are_down_while_pages_still_render(app):
    # A port nothing listens on is what a stopped server looks like to the portal.
    down = create_app({
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "ELASTICSEARCH_URL": "http://127.0.0.1:9",
        "KEYCLOAK_URL": "http://127.0.0.1:9",
        "KEYCLOAK_MANAGEMENT_URL": "http://127.0.0.1:9",
    })
    client = down.test_client()

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.get_json()
    assert body["db"] == "ok"
    assert body["search"].startswith("unavailable")
    assert body["sso"].startswith("unavailable")
    assert client.get("/").status_code == 200

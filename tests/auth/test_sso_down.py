"""With Keycloak gone after the portal cached its discovery document, /login answers the portal's own
503 page instead of sending the visitor to a dead server (issue 11, faults under load)."""

import time

import pytest

from portal import create_app

pytestmark = pytest.mark.integration


def test_login_answers_503_when_keycloak_stopped_answering(app, keycloak, database_url):
    portal = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                         "SEARCH_INDEX_PREFIX": app.config["SEARCH_INDEX_PREFIX"], "WTF_CSRF_ENABLED": False})
    client = portal.test_client()
    assert client.get("/login").status_code == 302  # discovery fetched and cached
    oidc = portal.extensions["keycloak_client"].oidc
    oidc.issuer = "http://127.0.0.1:9/realms/portal"  # Keycloak's address stops answering (port 9: discard)
    time.sleep(oidc.REACHABLE_FOR_SECONDS + 0.1)
    response = client.get("/login")
    assert response.status_code == 503
    assert "统一身份认证服务暂时不可用" in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200

"""Production refuses development secrets, short keys and insecure cookies; every environment trusts
only its configured host names; HSTS over HTTPS; ProxyFix only when configured (issue 11, item 5)."""

import pytest

from portal import create_app
from portal.config import ProductionConfig, config_for

GOOD = {"SECRET_KEY": "k" * 48, "KEYCLOAK_CLIENT_SECRET": "a-real-client-secret-from-the-vault",
        "KEYCLOAK_ADMIN_PASSWORD": "a-real-admin-password-from-the-vault",
        "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True, "TRUSTED_HOSTS": ["portal.example.gov.cn"],
        "SQLALCHEMY_DATABASE_URI": "sqlite://"}


def production(**overrides):
    return type("ProductionUnderTest", (ProductionConfig,), {**GOOD, **overrides})


@pytest.mark.unit
@pytest.mark.parametrize(("overrides", "complaint"), [
    ({"SECRET_KEY": "dev-only-insecure-secret-key"}, "SECRET_KEY is a development-only value"),
    ({"SECRET_KEY": "x"}, "SECRET_KEY must be at least 32 characters"),
    ({"KEYCLOAK_CLIENT_SECRET": "dev-only-portal-secret"}, "KEYCLOAK_CLIENT_SECRET is a development-only value"),
    # The write API's example system client (sso/realm/portal-realm.json) is development-only too.
    ({"KEYCLOAK_CLIENT_SECRET": "dev-only-portal-api-system-demo-secret"},
     "KEYCLOAK_CLIENT_SECRET is a development-only value"),
    ({"KEYCLOAK_ADMIN_PASSWORD": "admin"}, "KEYCLOAK_ADMIN_PASSWORD .* is a development-only value"),
    ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE must be on"),
    ({"TRUSTED_HOSTS": []}, "TRUSTED_HOSTS must name"),
])
def test_production_refuses_development_values(overrides, complaint):
    with pytest.raises(RuntimeError, match=complaint):
        create_app(production(**overrides))


@pytest.mark.unit
def test_production_starts_with_proper_settings():
    app = create_app(production())
    assert app.config["PORTAL_ENV"] == "production"


@pytest.mark.unit
def test_flask_env_production_alone_means_production(monkeypatch):
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    monkeypatch.setenv("FLASK_ENV", "production")
    assert config_for() is ProductionConfig
    monkeypatch.setenv("PORTAL_ENV", "staging")
    with pytest.raises(RuntimeError, match="PORTAL_ENV must be one of"):
        config_for()


@pytest.mark.integration
def test_a_foreign_host_header_is_refused_not_echoed_into_links(client):
    response = client.get("/api/v1/search", query_string={"q": "驾驶证"}, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "127.0.0.1:8000"}).status_code == 200


@pytest.mark.integration
def test_hsts_only_over_https_and_proxy_headers_only_when_configured(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    assert "max-age=" in client.get("/healthz", base_url="https://localhost").headers["Strict-Transport-Security"]
    # Without PROXY_FIX_HOPS an X-Forwarded-Proto header is ignored.
    forwarded = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in forwarded.headers


@pytest.mark.unit
def test_behind_a_configured_proxy_its_headers_count():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "PROXY_FIX_HOPS": 1})
    response = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers

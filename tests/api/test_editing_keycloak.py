"""The write API with a real Keycloak access token (demo user `editor`, department `demo-dept`),
on an app configured as the realm's `portal-test` client with CSRF on: the token alone signs in."""

import pytest

from portal import create_app
from portal.extensions import db
from portal.models import AuditLog

pytestmark = pytest.mark.integration

PORTAL_TEST_CLIENT = ("portal-test", "dev-only-portal-test-secret")  # development-only, from the realm JSON


@pytest.fixture(scope="module")
def token_app(app, keycloak, database_url):
    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "SEARCH_INDEX_PREFIX": app.config["SEARCH_INDEX_PREFIX"],
        "KEYCLOAK_CLIENT_ID": PORTAL_TEST_CLIENT[0], "KEYCLOAK_CLIENT_SECRET": PORTAL_TEST_CLIENT[1],
        "SSO_SESSION_REQUIRED": True,
        # A password grant hashes the password: on a busy test machine Keycloak can take seconds.
        "KEYCLOAK_TIMEOUT_SECONDS": 30,
    })


@pytest.fixture(scope="module")
def editor_token(token_app):
    return token_app.extensions["keycloak_client"].oidc.password_grant("editor", "demo")["access_token"]


def test_editor_token_edits_and_submits_own_department_matter(token_app, editor_token, make_department, make_matter):
    own = make_matter(make_department("示范业务部门", code="demo-dept"), name="令牌编辑前")
    foreign = make_matter(make_department("别的部门"), name="别的部门事项")
    client = token_app.test_client()
    bearer = {"Authorization": f"Bearer {editor_token}"}

    changed = client.patch(f"/api/v1/matters/{own.code}", json={"lock_version": 1, "name": "令牌编辑后"},
                           headers=bearer)
    assert changed.status_code == 200, changed.get_json()
    submitted = client.post(f"/api/v1/matters/{own.code}/submit", json={"lock_version": 2}, headers=bearer)
    assert submitted.get_json()["status"] == "in_review"
    refused = client.patch(f"/api/v1/matters/{foreign.code}", json={"lock_version": 1, "name": "越权"},
                           headers=bearer)
    assert refused.status_code == 403
    assert client.patch(f"/api/v1/matters/{own.code}", json={"lock_version": 3}).status_code == 401

    db.session.refresh(foreign)
    assert foreign.name == "别的部门事项"
    actors = db.session.scalars(db.select(AuditLog.actor_name).order_by(AuditLog.id)).all()
    assert actors == ["editor", "editor"]

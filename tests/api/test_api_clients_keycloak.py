"""Outside clients of the write API against the real Keycloak and the portal served over HTTP: the
README's example (client credentials of `portal-api-system-demo`) run as it is written, and tokens of
the wrong client or the wrong role refused. The realm's clients are in sso/realm/portal-realm.json."""

import base64
import hashlib
import json
import re
import secrets
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from portal.extensions import db
from portal.models import AuditLog, Matter
from tests.sso.conftest import sign_in_at_keycloak

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLE = re.compile(r"<!-- api-token-example -->\s*```sh\n(.*?)```", re.S)
SYSTEM_CLIENT = ("portal-api-system-demo", "dev-only-portal-api-system-demo-secret")  # development-only
CLI_CLIENT = "portal-api-cli"
CLI_REDIRECT = "http://127.0.0.1:8765/callback"
OTHER_CLIENT = ("portal-test", "dev-only-portal-test-secret")  # development-only, audience portal-test


def _token_url(keycloak):
    return f"{keycloak}/realms/portal/protocol/openid-connect/token"


def _claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@pytest.fixture
def system_department(keycloak, make_department):
    """The department the system client's service account writes for (its group decides: demo-dept in
    the realm file, the demo staff department after `make run`), present in the test database."""
    answer = requests.post(_token_url(keycloak), timeout=30, data={
        "grant_type": "client_credentials", "client_id": SYSTEM_CLIENT[0], "client_secret": SYSTEM_CLIENT[1]})
    assert answer.status_code == 200, answer.text
    claims = _claims(answer.json()["access_token"])
    assert "editor" in claims["roles"] and "portal" in claims["aud"]
    return make_department("接口示例部门", code=claims["department_code"])


def test_the_readme_example_creates_a_draft_with_a_client_credentials_token(keycloak, live_server,
                                                                           system_department):
    script = EXAMPLE.search(README.read_text(encoding="utf-8")).group(1)

    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "KEYCLOAK": keycloak, "PORTAL": live_server})

    assert run.returncode == 0, run.stdout + run.stderr
    created = json.loads(run.stdout)
    assert created["status"] == "draft" and created["lock_version"] == 1
    assert created["department_code"] == system_department.code
    db.session.expire_all()
    matter = db.session.scalar(db.select(Matter).filter_by(code=created["code"]))
    assert matter.name == "接口示例事项" and matter.department_id == system_department.id
    audit = db.session.scalars(db.select(AuditLog).filter_by(entity_id=str(matter.id))).all()
    assert [row.actor_name for row in audit] == ["service-account-portal-api-system-demo"]


def test_a_token_of_another_client_is_refused(keycloak, live_server, system_department):
    # portal-test accepts the password grant (for tests); its tokens are for portal-test, not the portal.
    answer = requests.post(_token_url(keycloak), timeout=30, data={
        "grant_type": "password", "client_id": OTHER_CLIENT[0], "client_secret": OTHER_CLIENT[1],
        "username": "editor", "password": "demo", "scope": "openid"})
    token = answer.json()["access_token"]
    assert "portal" not in _claims(token)["aud"]

    refused = requests.post(f"{live_server}/api/v1/matters", timeout=30, headers={"Authorization": f"Bearer {token}"},
                            json={"code": f"API-X-{secrets.token_hex(3)}", "name": "别的客户端"})

    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == "Bearer"


def test_a_person_signs_in_with_pkce_and_their_own_role_decides(keycloak, live_server, system_department):
    """portal-api-cli: code flow with PKCE on an exact loopback redirect; a citizen's token is the portal's
    audience but not an editor's, so the write API answers 403. Another redirect URI is refused."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_urlsafe(16)
    query = {"client_id": CLI_CLIENT, "response_type": "code", "scope": "openid", "redirect_uri": CLI_REDIRECT,
             "code_challenge": challenge, "code_challenge_method": "S256", "state": state}
    auth_url = f"{keycloak}/realms/portal/protocol/openid-connect/auth"
    with requests.Session() as http:
        wrong_redirect = http.get(f"{auth_url}?{urlencode({**query, 'redirect_uri': 'http://127.0.0.1:9999/cb'})}",
                                  timeout=30)
        assert wrong_redirect.status_code == 400
        back = sign_in_at_keycloak(http, f"{auth_url}?{urlencode(query)}", "citizen", follow_redirects=False)
    location = back.headers["Location"]
    assert location.startswith(CLI_REDIRECT + "?")
    returned = parse_qs(urlsplit(location).query)
    assert returned["state"] == [state]
    exchange = {"grant_type": "authorization_code", "client_id": CLI_CLIENT, "code": returned["code"][0],
                "redirect_uri": CLI_REDIRECT}
    tokens = requests.post(_token_url(keycloak), data={**exchange, "code_verifier": verifier}, timeout=30)
    assert tokens.status_code == 200, tokens.text
    token = tokens.json()["access_token"]
    assert "portal" in _claims(token)["aud"] and "citizen" in _claims(token)["roles"]

    headers = {"Authorization": f"Bearer {token}"}
    refused = requests.post(f"{live_server}/api/v1/matters", timeout=30, headers=headers,
                            json={"code": f"API-C-{secrets.token_hex(3)}", "name": "市民不能写"})
    assert refused.status_code == 403
    # The same token reads what anyone may read.
    assert requests.get(f"{live_server}/api/v1/matters", timeout=30, headers=headers).status_code == 200

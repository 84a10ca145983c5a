"""The realm as code: a password policy, and clients that accept only their exact callback and
sign-out return addresses, never a wildcard (issue 11, item 8)."""

import json
from pathlib import Path

import pytest

REALM_FILE = Path(__file__).resolve().parents[2] / "sso" / "realm" / "portal-realm.json"


def _realm():
    return json.loads(REALM_FILE.read_text(encoding="utf-8"))


@pytest.mark.unit
def test_the_realm_file_has_a_password_policy_and_no_wildcard_redirects():
    realm = _realm()
    assert "length(12)" in realm["passwordPolicy"] and "notUsername" in realm["passwordPolicy"]
    for client in realm["clients"]:
        for uri in client.get("redirectUris", []):
            assert "*" not in uri, f"{client['clientId']}: wildcard redirect URI {uri}"
        after_logout = client.get("attributes", {}).get("post.logout.redirect.uris")
        if after_logout is not None:
            assert "*" not in after_logout and after_logout != "+", client["clientId"]


@pytest.mark.integration
def test_the_running_realm_enforces_it(keycloak):
    from portal.extensions import keycloak_client

    admin = keycloak_client.admin()
    realm = admin.get_realm(_realm()["realm"])
    assert "length(12)" in realm.get("passwordPolicy", "")
    portal = admin.get_client(admin.get_client_id("portal"))
    assert all("*" not in uri for uri in portal["redirectUris"])

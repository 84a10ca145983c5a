"""Single sign-on against the real Keycloak: realm admin, sign-in helpers, throw-away users and keys.
The SSO test portal and demo platform servers are in tests/sso/servers.py."""

import base64
import hashlib
import json
import os
import re
import uuid
from html import unescape

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from portal.config import Config
from sso.oidc import OidcClient
from tests.sso.servers import (  # noqa: F401 - re-exported for the SSO tests
    DEMO_PASSWORD,
    DEPT_DEMO_CLIENT,
    DEPT_DEMO_URL,
    PORTAL_CLIENT,
    PORTAL_URL,
)

LOGIN_FORM = re.compile(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"')


@pytest.fixture(scope="session")
def kc_admin():
    """python-keycloak's admin API on the realm (no app needed, so tests using it alone skip the
    database clean-up)."""
    from keycloak import KeycloakAdmin

    return KeycloakAdmin(server_url=f"{Config.KEYCLOAK_URL}/", username=Config.KEYCLOAK_ADMIN_USERNAME,
                         password=Config.KEYCLOAK_ADMIN_PASSWORD, realm_name=Config.KEYCLOAK_REALM,
                         user_realm_name="master")


@pytest.fixture(scope="session")
def portal_oidc():
    """An OIDC client configured like the test portal (portal-test)."""
    return OidcClient(Config.KEYCLOAK_URL, Config.KEYCLOAK_REALM, *PORTAL_CLIENT, jwks_refetch_interval=0)


def sign_in_at_keycloak(http, start_url, username, password=DEMO_PASSWORD, follow_redirects=True):
    """Follows `start_url` to Keycloak's login form and submits it; then follows the redirects back
    (the last response's `.url` is where the browser lands), or stops at Keycloak's answer."""
    page = http.get(start_url, timeout=10)
    # Keycloak marks its cookies Secure; browsers still send them to http://127.0.0.1 (a trustworthy
    # origin), requests does not unless told.
    for cookie in http.cookies:
        cookie.secure = False
    match = LOGIN_FORM.search(page.text)
    assert match, f"no Keycloak login form at {page.url}"
    return http.post(unescape(match.group(1)), data={"username": username, "password": password},
                     allow_redirects=follow_redirects, timeout=10)


@pytest.fixture
def keycloak_sign_in():
    return sign_in_at_keycloak


def demo_password_credential():
    """The demo password as a PBKDF2 hash, as the realm file stores it: the realm's password policy
    refuses `demo` in plain text, also through the admin API, but takes a hashed credential."""
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha512", DEMO_PASSWORD.encode(), salt, 210_000, dklen=64)
    return {"type": "password", "temporary": False,
            "secretData": json.dumps({"value": base64.b64encode(key).decode(), "salt": base64.b64encode(salt).decode(),
                                      "additionalParameters": {}}),
            "credentialData": json.dumps({"hashIterations": 210_000, "algorithm": "pbkdf2-sha512",
                                          "additionalParameters": {}})}


def _first_sign_in(username):
    """Sign in once, unhurried: a Keycloak whose realm predates the policy's hashAlgorithm re-hashes a
    password at its first use, which can take seconds on a busy machine (longer than the tests' timeout)."""
    token_url = f"{Config.KEYCLOAK_URL}/realms/{Config.KEYCLOAK_REALM}/protocol/openid-connect/token"
    requests.post(token_url, timeout=60, data={
        "grant_type": "password", "client_id": PORTAL_CLIENT[0], "client_secret": PORTAL_CLIENT[1],
        "username": username, "password": DEMO_PASSWORD, "scope": "openid"})


@pytest.fixture
def keycloak_user(kc_admin):
    """Creates throw-away realm users (password `demo`) and deletes them afterwards."""
    created = []

    def make(roles=("citizen",), **attributes):
        username = f"t-{uuid.uuid4().hex[:10]}"
        user_id = kc_admin.create_user({
            "username": username, "enabled": True, "emailVerified": True, "firstName": "测试",
            "lastName": "用户", "email": f"{username}@test.invalid",
            "attributes": {name: [str(value)] for name, value in attributes.items()},
            "credentials": [demo_password_credential()],
        })
        created.append(user_id)
        kc_admin.assign_realm_roles(user_id, [kc_admin.get_realm_role(role) for role in roles])
        _first_sign_in(username)
        return username

    yield make
    for user_id in created:
        kc_admin.delete_user(user_id)


def import_realm_key(kc_admin):
    """Imports an RSA key of our own into the realm at the lowest priority: Keycloak keeps signing
    with its own key but publishes this one in the JWKS, so tokens we sign with it carry a valid
    signature and every other check can be tested alone. Returns (private key, kid, component id)."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    realm_id = kc_admin.get_realm(kc_admin.connection.realm_name)["id"]
    component_id = kc_admin.create_component({
        "name": f"test-key-{uuid.uuid4().hex[:8]}", "providerId": "rsa",
        "providerType": "org.keycloak.keys.KeyProvider", "parentId": realm_id,
        "config": {"priority": ["-100"], "enabled": ["true"], "active": ["true"], "algorithm": ["RS256"],
                   "privateKey": [pem]},
    })
    kid = next(key["kid"] for key in kc_admin.get_keys()["keys"] if key.get("providerId") == component_id)
    return private_key, kid, component_id


@pytest.fixture(scope="module")
def realm_test_key(kc_admin):
    """(private key, kid) of a key the realm publishes; removed after the module."""
    private_key, kid, component_id = import_realm_key(kc_admin)
    yield private_key, kid
    kc_admin.delete_component(component_id)


@pytest.fixture
def http():
    with requests.Session() as session:
        yield session

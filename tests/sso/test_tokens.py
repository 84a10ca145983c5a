"""Local token validation against the real realm's JWKS: ID tokens, access tokens on the API,
back-channel logout tokens, and key rotation."""

import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from portal.config import Config
from portal.extensions import db
from portal.models import Department, Matter, SsoSession
from sso.oidc import BACKCHANNEL_LOGOUT_EVENT, OidcClient, TokenRejected
from tests.sso.conftest import PORTAL_CLIENT, import_realm_key

pytestmark = pytest.mark.integration


def _sign(private_key, kid, **claims):
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": kid})


def _id_claims(oidc, **overrides):
    now = int(time.time())
    claims = {"iss": oidc.issuer, "aud": oidc.client_id, "sub": str(uuid.uuid4()), "iat": now, "exp": now + 300,
              "typ": "ID", "nonce": "the-nonce"}
    return {**claims, **overrides}


def _logout_claims(oidc, session_id, **overrides):
    claims = {"iss": oidc.issuer, "aud": oidc.client_id, "sub": str(uuid.uuid4()), "iat": int(time.time()),
              "exp": int(time.time()) + 300, "jti": str(uuid.uuid4()), "typ": "Logout", "sid": session_id,
              "events": {BACKCHANNEL_LOGOUT_EVENT: {}}}
    return {key: value for key, value in {**claims, **overrides}.items() if value is not None}


def test_id_token_signed_by_a_realm_key_passes_every_check(portal_oidc, realm_test_key):
    claims = portal_oidc.validate_id_token(_sign(*realm_test_key, **_id_claims(portal_oidc)), "the-nonce")

    assert claims["nonce"] == "the-nonce"


@pytest.mark.parametrize(("change", "reason"), [
    ({"nonce": "another-nonce"}, "nonce mismatch"),
    ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 4000}, "expired token"),
    ({"aud": "dept-demo"}, "wrong audience"),
    ({"iss": "http://127.0.0.1:8080/realms/master"}, "wrong issuer"),
    ({"typ": "Bearer"}, "not a ID token"),
])
def test_forged_id_tokens_are_refused(portal_oidc, realm_test_key, change, reason):
    token = _sign(*realm_test_key, **_id_claims(portal_oidc, **change))

    with pytest.raises(TokenRejected) as refused:
        portal_oidc.validate_id_token(token, "the-nonce")
    assert refused.value.reason == reason


def test_id_token_signed_by_a_key_the_realm_does_not_hold_is_refused(portal_oidc, realm_test_key):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _, realm_kid = realm_test_key

    with pytest.raises(TokenRejected) as refused:
        portal_oidc.validate_id_token(_sign(stranger, realm_kid, **_id_claims(portal_oidc)), "the-nonce")
    assert refused.value.reason == "bad signature"


def test_unsigned_token_is_refused(portal_oidc):
    token = jwt.encode(_id_claims(portal_oidc), None, algorithm="none")

    with pytest.raises(TokenRejected):
        portal_oidc.validate_id_token(token, "the-nonce")


def test_a_rotated_key_is_fetched_when_a_token_names_it_but_not_more_often_than_allowed(kc_admin, portal_oidc):
    rotating = OidcClient(Config.KEYCLOAK_URL, Config.KEYCLOAK_REALM, *PORTAL_CLIENT, jwks_refetch_interval=0)
    throttled = OidcClient(Config.KEYCLOAK_URL, Config.KEYCLOAK_REALM, *PORTAL_CLIENT, jwks_refetch_interval=3600)
    access_token = portal_oidc.password_grant("citizen", "demo")["access_token"]
    for oidc in (rotating, throttled):
        oidc.validate_access_token(access_token)  # the JWKS is cached now
    private_key, kid, component_id = import_realm_key(kc_admin)
    try:
        claims = rotating.validate_id_token(_sign(private_key, kid, **_id_claims(rotating)), "the-nonce")
        assert claims["aud"] == rotating.client_id
        with pytest.raises(TokenRejected, match="unknown signing key"):
            throttled.validate_id_token(_sign(private_key, kid, **_id_claims(throttled)), "the-nonce")
    finally:
        kc_admin.delete_component(component_id)


# --- back-channel logout on the portal ------------------------------------------------------------

@pytest.fixture
def signed_in_portal(app, portal_server, http, keycloak_sign_in):
    keycloak_sign_in(http, f"{portal_server}/login", "citizen")
    assert "/me" in http.get(f"{portal_server}/", timeout=10).text
    return db.session.query(SsoSession).one()


def _post_logout_token(http, portal_server, token):
    return http.post(f"{portal_server}/auth/backchannel-logout", data={"logout_token": token}, timeout=10)


def _still_signed_in(http, portal_server, record):
    db.session.expire_all()
    return db.session.get(SsoSession, record.id).active and \
        http.get(f"{portal_server}/me", allow_redirects=False, timeout=10).status_code == 200


FORGED_LOGOUT_TOKENS = [
    ({"aud": "dept-demo"}, "wrong audience"),
    ({"events": None}, "missing back-channel logout event"),
    ({"events": {"http://example.com/other-event": {}}}, "missing back-channel logout event"),
    ({"nonce": "n"}, "logout token carries a nonce"),
    ({"sid": None, "sub": None}, "logout token names no session or subject"),
    ({"iat": None}, "invalid token: MissingRequiredClaimError"),
]


def test_forged_logout_tokens_are_refused_and_end_nothing(http, portal_server, portal_oidc, realm_test_key,
                                                          signed_in_portal):
    # one signed-in session receives every forgery in turn: none may end it
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    valid_claims = _logout_claims(portal_oidc, signed_in_portal.keycloak_session_id)
    forgeries = [(_sign(stranger, realm_test_key[1], **valid_claims), "bad signature")] + [
        (_sign(*realm_test_key, **_logout_claims(portal_oidc, signed_in_portal.keycloak_session_id, **change)),
         reason)
        for change, reason in FORGED_LOGOUT_TOKENS
    ]
    for token, reason in forgeries:
        answer = _post_logout_token(http, portal_server, token)

        assert (answer.status_code, answer.json()["error_description"]) == (400, reason)
        assert _still_signed_in(http, portal_server, signed_in_portal), reason


def test_valid_logout_token_ends_the_portal_session(http, portal_server, portal_oidc, realm_test_key,
                                                    signed_in_portal):
    claims = _logout_claims(portal_oidc, signed_in_portal.keycloak_session_id)

    answer = _post_logout_token(http, portal_server, _sign(*realm_test_key, **claims))

    assert answer.status_code == 200
    assert not _still_signed_in(http, portal_server, signed_in_portal)
    assert http.get(f"{portal_server}/me", allow_redirects=False, timeout=10).headers["Location"].startswith("/login")


# --- bearer tokens on the API ---------------------------------------------------------------------

@pytest.fixture
def department_matter(app):
    department = Department(code="demo-dept", name="示范业务部门", slug="demo-dept")
    matter = Matter(code="M-SSO-API", name="接口测试事项", department=department, status="draft")
    db.session.add_all([department, matter])
    db.session.commit()
    return matter


def _editorial(http, portal_server, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return http.get(f"{portal_server}/api/v1/matters/M-SSO-API/editorial", headers=headers, timeout=10)


def test_api_accepts_an_editors_access_token(http, portal_server, portal_oidc, department_matter):
    token = portal_oidc.password_grant("editor", "demo")["access_token"]

    answer = _editorial(http, portal_server, token)

    assert answer.status_code == 200
    assert answer.json()["code"] == "M-SSO-API"


def test_api_write_endpoint_accepts_the_token_without_a_csrf_token(http, portal_server, portal_oidc,
                                                                   department_matter):
    token = portal_oidc.password_grant("editor", "demo")["access_token"]

    answer = http.post(f"{portal_server}/api/v1/matters", json={"code": "M-SSO-API"},
                       headers={"Authorization": f"Bearer {token}"}, timeout=10)

    assert answer.status_code not in (401, 403)
    assert "表单已过期" not in answer.text  # the CSRF refusal


def test_api_refuses_a_citizens_token(http, portal_server, portal_oidc, department_matter):
    token = portal_oidc.password_grant("citizen", "demo")["access_token"]

    assert _editorial(http, portal_server, token).status_code == 403


def test_api_refuses_missing_or_unusable_tokens(http, portal_server, portal_oidc, realm_test_key, department_matter):
    tokens = portal_oidc.password_grant("editor", "demo")
    unusable = {
        "none": None,
        "id_token": tokens["id_token"],
        "garbage": "not-a-token",
        "other audience": _sign(*realm_test_key, **_id_claims(portal_oidc, aud="dept-demo", typ="Bearer")),
    }
    for kind, token in unusable.items():
        answer = _editorial(http, portal_server, token)

        assert answer.status_code == 401, kind
        assert answer.headers["WWW-Authenticate"] == "Bearer"

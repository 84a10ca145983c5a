"""Signing in to the portal through the real Keycloak (authorization code + PKCE), over HTTP."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from portal.extensions import db
from portal.models import Department, SsoSession, User

pytestmark = pytest.mark.integration


def _count(model):
    db.session.expire_all()
    return db.session.query(model).count()


def _callback_url(http, portal_server, keycloak_sign_in, username="citizen"):
    """Signs in at Keycloak but stops before the portal's callback; returns the callback URL."""
    answer = keycloak_sign_in(http, f"{portal_server}/login", username, follow_redirects=False)
    assert answer.status_code == 302
    return answer.headers["Location"]


def test_sign_in_creates_the_local_user_from_the_token(app, sso_app, portal_server, http, keycloak_sign_in):
    department = Department(code="demo-dept", name="示范业务部门", slug="demo-dept")
    db.session.add(department)
    db.session.commit()

    landed = keycloak_sign_in(http, f"{portal_server}/login?next=/me", "editor")

    assert landed.status_code == 200
    assert urlsplit(landed.url).path == "/me"
    assert "赵编辑" in landed.text
    db.session.expire_all()
    user = db.session.query(User).filter_by(username="editor").one()
    assert user.roles == ["editor"]
    assert user.department_id == department.id
    assert user.real_name_level == 3
    record = db.session.query(SsoSession).filter_by(user_id=user.id).one()
    assert record.keycloak_session_id and record.refresh_token and record.active
    # the tokens stay on the server: the cookie carries the session's id only
    cookie = sso_app.session_interface.get_signing_serializer(sso_app).loads(http.cookies["session"])
    assert cookie["sso_session"] == record.id
    assert not {record.id_token, record.access_token, record.refresh_token} & set(map(str, cookie.values()))


def test_enterprise_account_page_shows_enterprise_and_credit_code(app, portal_server, http, keycloak_sign_in):
    landed = keycloak_sign_in(http, f"{portal_server}/login?next=/me", "enterprise")

    assert "东营示范科技有限公司" in landed.text
    assert "91370500MA3C1234X8" in landed.text
    assert "法人" in landed.text and "2 级" in landed.text


def test_next_outside_the_site_falls_back_to_the_home_page(app, portal_server, keycloak_sign_in):
    for evil in ("//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)"):
        with requests.Session() as http:
            landed = keycloak_sign_in(http, f"{portal_server}/login?next={evil}", "citizen")

        assert landed.url == f"{portal_server}/", evil


def test_tampered_state_is_refused_and_nothing_is_stored(app, portal_server, http, keycloak_sign_in):
    callback = _callback_url(http, portal_server, keycloak_sign_in)
    tampered = callback.replace("state=", "state=x")

    answer = http.get(tampered, allow_redirects=False, timeout=10)

    assert answer.status_code == 400
    assert "登录请求已失效或来源不明" in answer.text
    assert _count(User) == 0 and _count(SsoSession) == 0


def test_replayed_authorization_code_is_refused(app, portal_server, http, keycloak_sign_in):
    callback = _callback_url(http, portal_server, keycloak_sign_in)
    assert http.get(callback, allow_redirects=False, timeout=10).status_code == 302
    sessions_after_first_use = _count(SsoSession)
    # another browser starts a login (fresh state) and answers it with the code already used
    with requests.Session() as replayer:
        new_state = parse_qs(urlsplit(
            replayer.get(f"{portal_server}/login", allow_redirects=False, timeout=10).headers["Location"]
        ).query)["state"][0]
        old_code = parse_qs(urlsplit(callback).query)["code"][0]
        answer = replayer.get(f"{portal_server}/auth/callback", params={"code": old_code, "state": new_state},
                              allow_redirects=False, timeout=10)

    assert answer.status_code == 400
    assert "登录凭证校验未通过" in answer.text
    assert _count(SsoSession) == sessions_after_first_use


def test_account_with_a_bad_credit_code_is_refused(app, portal_server, http, keycloak_sign_in, keycloak_user):
    username = keycloak_user(("enterprise",), account_type="法人", real_name_level=2,
                             credit_code="91370500MA3C1234X9", enterprise_name="校验位错误公司")

    landed = keycloak_sign_in(http, f"{portal_server}/login", username)

    assert landed.status_code == 400
    assert "统一社会信用代码校验未通过" in landed.text
    assert _count(User) == 0 and _count(SsoSession) == 0


def test_expired_access_token_is_refreshed_server_side(app, portal_server, http, keycloak_sign_in):
    keycloak_sign_in(http, f"{portal_server}/login", "citizen")
    record = db.session.query(SsoSession).one()
    old_token = record.access_token
    record.access_token_expires_at = record.created_at.replace(year=2000)
    db.session.commit()

    page = http.get(f"{portal_server}/me", allow_redirects=False, timeout=10)

    assert page.status_code == 200
    db.session.expire_all()
    record = db.session.query(SsoSession).one()
    assert record.access_token != old_token and record.active


def test_session_cookie_is_http_only_and_same_site_lax(portal_server, http):
    cookie = http.get(f"{portal_server}/login", allow_redirects=False, timeout=10).headers["Set-Cookie"]

    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_refresh_keycloak_refuses_ends_the_portal_session(app, portal_server, http, keycloak_sign_in):
    keycloak_sign_in(http, f"{portal_server}/login", "citizen")
    record = db.session.query(SsoSession).one()
    record.access_token_expires_at = record.created_at.replace(year=2000)
    record.refresh_token = "revoked-or-unknown"
    db.session.commit()

    page = http.get(f"{portal_server}/me", allow_redirects=False, timeout=10)

    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    db.session.expire_all()
    assert not db.session.query(SsoSession).one().active

"""The portal's sign-in pages and session rules, including Keycloak being down."""

import socket

import pytest

from portal import create_app
from portal.extensions import db
from portal.models import SsoSession, utcnow

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app_without_keycloak(app, database_url):
    """The portal pointed at a loopback port where nothing listens: Keycloak is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "SEARCH_INDEX_PREFIX": app.config["SEARCH_INDEX_PREFIX"],
        "KEYCLOAK_URL": f"http://127.0.0.1:{closed_port}", "KEYCLOAK_MANAGEMENT_URL": f"http://127.0.0.1:{closed_port}",
        "KEYCLOAK_TIMEOUT_SECONDS": 1, "WTF_CSRF_ENABLED": False,
    })


def _start_sso_session(user):
    record = SsoSession(id=f"test-{user.id}", user=user, subject=user.subject, keycloak_session_id="kc-sid",
                        id_token="id-token", access_token="access-token", refresh_token="refresh-token",
                        access_token_expires_at=utcnow().replace(year=2999))
    db.session.add(record)
    db.session.commit()
    return record


def _sign_in(client, user, record=None):
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        if record is not None:
            session["sso_session"] = record.id


def test_login_with_keycloak_down_shows_a_clear_page(app_without_keycloak):
    answer = app_without_keycloak.test_client().get("/login?next=/me")

    assert answer.status_code == 503
    page = answer.get_data(as_text=True)
    assert "统一身份认证服务暂时不可用" in page
    assert "Traceback" not in page


def test_login_with_keycloak_down_in_english(app_without_keycloak):
    page = app_without_keycloak.test_client().get("/login?lang=en").get_data(as_text=True)

    assert "Single sign-on is temporarily unavailable" in page


def test_public_pages_work_and_readiness_names_sso_with_keycloak_down(app_without_keycloak):
    client = app_without_keycloak.test_client()

    assert client.get("/").status_code == 200
    readiness = client.get("/readyz")
    assert readiness.status_code == 503
    assert readiness.get_json()["sso"] != "ok"


def test_signing_out_with_keycloak_down_still_ends_the_portal_session(app_without_keycloak, make_user):
    user = make_user("citizen")
    record = _start_sso_session(user)
    client = app_without_keycloak.test_client()
    _sign_in(client, user, record)

    answer = client.post("/logout")

    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    db.session.expire_all()
    assert not db.session.get(SsoSession, record.id).active
    assert client.get("/me").status_code == 302


def test_account_page_shows_the_enterprise(client, make_user, login):
    user = make_user("enterprise", account_type="法人", real_name_level=2, credit_code="91350100M000100Y43",
                     enterprise_name="福州示范有限公司", username="陈经理")
    login(user)

    page = client.get("/me").get_data(as_text=True)

    for text in ("陈经理", "法人（企业）", "2 级", "福州示范有限公司", "91350100M000100Y43", "法人用户"):
        assert text in page


def test_account_page_of_a_citizen_shows_no_enterprise_fields(client, make_user, login):
    login(make_user("citizen", account_type="个人", real_name_level=3, username="王小明"))

    page = client.get("/me").get_data(as_text=True)

    assert "王小明" in page and "3 级" in page
    assert "统一社会信用代码" not in page


def test_logout_link_asks_for_confirmation_with_a_form(client, make_user, login):
    login(make_user("citizen"))

    page = client.get("/logout").get_data(as_text=True)

    assert 'method="post"' in page and "确认退出" in page


def test_a_session_ended_by_back_channel_logout_is_signed_out(app, client, make_user):
    user = make_user("citizen")
    record = _start_sso_session(user)
    _sign_in(client, user, record)
    assert client.get("/me").status_code == 200

    record.ended_at = utcnow()
    db.session.commit()

    assert client.get("/me").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session and "sso_session" not in session


def test_production_refuses_a_session_without_its_keycloak_session(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_SESSION_REQUIRED", True)
    _sign_in(client, make_user("citizen"))

    assert client.get("/me").status_code == 302



def test_signed_in_user_keeps_the_session_and_is_told_when_keycloak_cannot_refresh(app_without_keycloak, make_user):
    """Keycloak down and the access token due for a refresh: still signed in, with a clear notice."""
    user = make_user("citizen", username="王小明")
    record = _start_sso_session(user)
    record.access_token_expires_at = utcnow().replace(year=2000)
    db.session.commit()
    client = app_without_keycloak.test_client()
    _sign_in(client, user, record)

    answer = client.get("/me")

    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "王小明" in page and "统一身份认证服务暂时无法连接" in page
    db.session.expire_all()
    assert db.session.get(SsoSession, record.id).active


def test_no_keycloak_notice_while_the_token_is_fresh(app_without_keycloak, make_user):
    user = make_user("citizen")
    client = app_without_keycloak.test_client()
    _sign_in(client, user, _start_sso_session(user))

    assert "统一身份认证服务暂时无法连接" not in client.get("/me").get_data(as_text=True)

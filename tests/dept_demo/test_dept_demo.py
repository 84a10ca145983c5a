"""The demo department platform on its own: sessions, sign-in redirect, refusals, Keycloak down.
Single sign-on through it is tested end to end in tests/sso/test_browser_sso.py."""

import socket
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from dept_demo.app import create_app
from dept_demo.sessions import SessionStore


def _identity(subject="sub-1", sid="sid-1"):
    return SimpleNamespace(subject=subject, keycloak_session_id=sid, display_name="王小明")


@pytest.mark.unit
def test_session_store_ends_sessions_by_keycloak_session_or_subject(tmp_path):
    store = SessionStore(str(tmp_path / "sessions.db"))
    first = store.start(_identity(sid="sid-1"), "id-token-1")
    second = store.start(_identity(sid="sid-2"), "id-token-2")
    other = store.start(_identity(subject="sub-2", sid="sid-3"), "id-token-3")

    assert store.end_for_logout("sid-1", "sub-1") == 1
    assert store.active(first) is None and store.active(second)["display_name"] == "王小明"
    assert store.end_for_logout(None, "sub-1") == 1
    assert store.active(second) is None and store.active(other) is not None


@pytest.mark.unit
def test_session_store_ends_one_session(tmp_path):
    store = SessionStore(str(tmp_path / "sessions.db"))
    session_id = store.start(_identity(), "id-token")

    store.end(session_id)

    assert store.active(session_id) is None
    assert store.active(None) is None


def _app(tmp_path, **overrides):
    return create_app({"SESSION_DATABASE": str(tmp_path / "sessions.db"), "TESTING": True, **overrides})


@pytest.mark.integration
def test_a_visitor_without_a_sign_in_is_sent_to_keycloak_with_pkce(tmp_path, keycloak):
    answer = _app(tmp_path).test_client().get("/apply/M-1")

    assert answer.status_code == 302
    target = urlsplit(answer.headers["Location"])
    query = parse_qs(target.query)
    assert target.path == "/realms/portal/protocol/openid-connect/auth"
    assert query["client_id"] == ["dept-demo"] and query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://127.0.0.1:8001/callback"]


@pytest.mark.integration
def test_a_callback_without_a_login_request_is_refused(tmp_path, keycloak):
    answer = _app(tmp_path).test_client().get("/callback?code=abc&state=forged")

    assert answer.status_code == 400
    assert "未能登录" in answer.get_data(as_text=True)


@pytest.mark.integration
def test_a_forged_logout_token_is_refused(tmp_path, keycloak):
    answer = _app(tmp_path).test_client().post("/backchannel-logout", data={"logout_token": "not-a-token"})

    assert answer.status_code == 400
    assert answer.get_json()["error_description"] == "malformed token"


@pytest.mark.unit
def test_with_keycloak_down_the_platform_says_so(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app = _app(tmp_path, KEYCLOAK_URL=f"http://127.0.0.1:{closed_port}", KEYCLOAK_TIMEOUT_SECONDS=1)

    answer = app.test_client().get("/apply/M-1")

    assert answer.status_code == 503
    assert "统一身份认证服务暂时不可用" in answer.get_data(as_text=True)

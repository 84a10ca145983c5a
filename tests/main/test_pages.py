"""Base layout, language choice and error pages."""

import json
import logging

import pytest

from portal import create_app
from portal.permissions import public


@pytest.mark.integration
def test_home_page_is_chinese_by_default_with_header_and_footer(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert "一网通办政务服务门户" in html
    assert 'action="/search"' in html
    assert "/login?next=" in html
    assert "12345" in html


@pytest.mark.integration
def test_home_page_leads_to_the_public_faq_and_messages(client):
    """Issue 14 item 5: the public FAQ and 留言 on the home page, not only in the footer."""
    html = client.get("/").get_data(as_text=True)
    block = html[html.index('id="interaction-heading"'):]
    assert 'href="/answers"' in block and 'href="/messages"' in block and 'href="/messages/new"' in block


@pytest.mark.integration
def test_language_switch_is_remembered_and_returns_to_the_same_page(client):
    response = client.get("/language/en?next=/healthz")
    assert response.status_code == 302
    assert response.headers["Location"] == "/healthz"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "One-Stop Government Services Portal" in html


@pytest.mark.integration
@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


@pytest.mark.integration
def test_unknown_page_gets_a_chinese_404_with_a_search_box(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "页面不存在" in html
    assert 'name="q"' in html


@pytest.mark.integration
def test_unknown_page_in_english(client):
    client.set_cookie("portal_locale", "en")
    assert "Page not found" in client.get("/no-such-page").get_data(as_text=True)


@pytest.mark.integration
def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


@pytest.mark.integration
def test_unexpected_error_shows_no_stack_trace(app):
    broken = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @broken.route("/boom")
    @public
    def boom():
        raise RuntimeError("secret internals")

    response = broken.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "系统出错了" in html
    assert "secret internals" not in html and "Traceback" not in html


@pytest.mark.integration
def test_security_headers_and_cookie_flags(client):
    response = client.get("/language/en")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


class _ListHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.mark.integration
def test_access_log_is_json_with_request_id_and_no_query_string(client):
    from portal.request_logging import JsonFormatter

    capture = _ListHandler()
    capture.setFormatter(JsonFormatter())
    logger = logging.getLogger("portal.access")
    logger.addHandler(capture)
    try:
        response = client.get("/healthz?phone=13812345678", headers={"X-Request-ID": "abc-123"})
    finally:
        logger.removeHandler(capture)
    assert response.headers["X-Request-ID"] == "abc-123"
    entry = json.loads(capture.lines[-1])
    assert entry["path"] == "/healthz" and entry["status"] == 200 and entry["request_id"] == "abc-123"
    assert "13812345678" not in capture.lines[-1]

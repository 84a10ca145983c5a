"""The write API refuses what a browser could be tricked into sending, and what would exhaust a
worker: CSRF on calls authenticated by the session cookie (issue 11, item 2), body size, list
lengths and nesting depth (item 3)."""

import re

import pytest

from portal.extensions import db

pytestmark = pytest.mark.integration


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture
def desk(make_department, make_matter, make_user):
    home = make_department("甲局")
    return {"matter": make_matter(home, name="原名称"), "editor": make_user("editor", department=home),
            "reviewer": make_user("reviewer", department=home)}


def _csrf_token(client):
    """The token every signed-in page carries (the sign-out form)."""
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("action", ["submit", "reopen", "withdraw", "approve"])
def test_session_cookie_write_without_csrf_token_is_refused_even_with_an_empty_body(
        client, login, desk, csrf_on, action):
    matter = desk["matter"]
    login(desk["reviewer"])
    response = client.post(f"/api/v1/matters/{matter.code}/{action}")  # what a cross-site form can send
    assert response.status_code == 400
    assert "X-CSRFToken" in response.get_json()["error"]["message"]
    db.session.refresh(matter)
    assert matter.status == "draft" and matter.lock_version == 1


def test_session_cookie_writes_with_the_token_pass(client, login, desk, csrf_on):
    login(desk["editor"])
    token = _csrf_token(client)
    code = desk["matter"].code
    assert client.patch(f"/api/v1/matters/{code}", json={"lock_version": 1, "name": "新名称"}).status_code == 400
    changed = client.patch(f"/api/v1/matters/{code}", json={"lock_version": 1, "name": "新名称"},
                           headers={"X-CSRFToken": token})
    assert changed.status_code == 200, changed.get_json()
    submitted = client.post(f"/api/v1/matters/{code}/submit", headers={"X-CSRFToken": token})
    assert submitted.get_json()["status"] == "in_review"


def test_creating_and_article_actions_need_the_token_too(client, login, desk, csrf_on):
    login(desk["editor"])
    assert client.post("/api/v1/matters", json={"code": "M-CSRF", "name": "x"}).status_code == 400
    assert client.post("/api/v1/articles/1/submit").status_code == 400


def test_calls_without_a_session_are_not_asked_for_a_token(client, desk, csrf_on):
    """Bearer-token calls (tests/api/test_editing_keycloak.py runs them with CSRF on) and anonymous ones
    get their usual answers: a bad token is a 401, not a CSRF error."""
    code = desk["matter"].code
    assert client.post(f"/api/v1/matters/{code}/submit").status_code == 401
    assert client.post(f"/api/v1/matters/{code}/submit", headers={"Authorization": "Bearer x.y.z"}).status_code == 401


def test_a_body_over_the_size_limit_is_a_413_with_a_message(client, login, desk):
    login(desk["editor"])
    rows = [{"name": f"材料{index}", "copies": 1} for index in range(100_000)]  # about 2.4 MB
    response = client.post("/api/v1/matters", json={"code": "M-BIG", "name": "x", "materials": rows})
    assert response.status_code == 413
    assert response.get_json()["error"]["message"] == "提交的内容超过了允许的大小，请删减后重试。"


def test_a_list_over_the_cap_is_refused_naming_the_field(client, login, desk):
    login(desk["editor"])
    rows = [{"name": "材料"} for _ in range(201)]
    response = client.post("/api/v1/matters", json={"code": "M-LONG", "name": "x", "materials": rows})
    assert response.status_code == 400
    assert list(response.get_json()["error"]["fields"]) == ["materials"]
    accepted = client.post("/api/v1/matters", json={"code": "M-OK", "name": "x", "materials": rows[:200]})
    assert accepted.status_code == 201


@pytest.mark.parametrize("depth", [6, 5000])
def test_a_deeply_nested_body_is_a_400_not_a_500(client, login, desk, depth):
    login(desk["editor"])
    body = '{"name": ' + "[" * depth + "]" * depth + "}"
    response = client.post("/api/v1/matters", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" in response.get_json()["error"]["message"]

"""The editors' write API: create, change (with lock_version), workflow actions, department
scoping, validation errors as JSON, and responses that match the OpenAPI document."""

import jsonschema
import pytest

from portal.api.openapi import openapi_document
from portal.extensions import db
from portal.models import AuditLog, SearchOutbox

pytestmark = pytest.mark.integration


@pytest.fixture
def desk(make_department, make_matter, make_user):
    home, other = make_department("甲局"), make_department("乙局")
    return {
        "home": home, "matter": make_matter(home, name="原名称"), "foreign": make_matter(other, name="乙局事项"),
        "editor": make_user("editor", department=home), "reviewer": make_user("reviewer", department=home),
        "outsider": make_user("editor", department=other),
    }


def _check(response, path, method, status):
    """The response body validates against the schema the OpenAPI document declares for it."""
    document = openapi_document()
    schema = document["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    assert response.status_code == status, response.get_json()
    jsonschema.validate(response.get_json(), {**schema, "components": document["components"]})


def test_create_edit_submit_approve(client, login, desk):
    login(desk["editor"])
    created = client.post("/api/v1/matters", json={
        "code": "M-API-1", "name": "接口新建", "aliases": ["俗称"], "fee_free": True,
        "materials": [{"name": "申请表", "copies": 2, "requirement": "必要"}],
    })
    _check(created, "/matters", "post", 201)
    assert created.json["status"] == "draft" and created.json["content"]["materials"][0]["copies"] == 2
    changed = client.patch("/api/v1/matters/M-API-1", json={"lock_version": 1, "conditions": "年满十八周岁"})
    _check(changed, "/matters/{code}", "patch", 200)
    assert changed.json["lock_version"] == 2 and changed.json["content"]["name"] == "接口新建"
    submitted = client.post("/api/v1/matters/M-API-1/submit", json={"lock_version": 2})
    _check(submitted, "/matters/{code}/submit", "post", 200)
    assert submitted.json["status"] == "in_review"
    login(desk["reviewer"])
    approved = client.post("/api/v1/matters/M-API-1/approve", json={"lock_version": 3})
    assert approved.json["status"] == "published"
    assert db.session.scalar(db.select(SearchOutbox.operation)) == "upsert"
    assert [row.action for row in db.session.scalars(db.select(AuditLog).order_by(AuditLog.id))] == \
        ["create", "save", "submit", "approve"]
    _check(client.get("/api/v1/matters/M-API-1/editorial"), "/matters/{code}/editorial", "get", 200)


def test_put_replaces_and_patch_keeps(client, login, desk):
    login(desk["editor"])
    client.patch(f"/api/v1/matters/{desk['matter'].code}", json={"lock_version": 1, "conditions": "条件"})
    replaced = client.put(f"/api/v1/matters/{desk['matter'].code}", json={"lock_version": 2, "name": "只剩名称"})
    assert replaced.status_code == 200
    assert replaced.json["content"]["conditions"] is None and replaced.json["content"]["materials"] == []


def test_stale_lock_version_is_refused(client, login, desk):
    login(desk["editor"])
    code = desk["matter"].code
    client.patch(f"/api/v1/matters/{code}", json={"lock_version": 1, "name": "先到"})
    stale = client.patch(f"/api/v1/matters/{code}", json={"lock_version": 1, "name": "后到"})
    _check(stale, "/matters/{code}", "patch", 409)
    assert "已被他人修改" in stale.json["error"]["message"]
    missing = client.patch(f"/api/v1/matters/{code}", json={"name": "没带版本"})
    assert missing.status_code == 400 and "lock_version" in missing.json["error"]["message"]
    db.session.refresh(desk["matter"])
    assert desk["matter"].name == "先到"


def test_validation_errors_name_each_field(client, login, desk):
    login(desk["editor"])
    response = client.patch(f"/api/v1/matters/{desk['matter'].code}", json={
        "lock_version": 1, "name": "", "online_depth": 9, "materials": [{"name": ""}], "colour": "red"})
    _check(response, "/matters/{code}", "patch", 400)
    assert response.json["error"]["fields"] == {"colour": ["未知字段"]}
    response = client.patch(f"/api/v1/matters/{desk['matter'].code}", json={
        "lock_version": 1, "name": "", "online_depth": 9, "materials": [{"name": ""}]})
    assert set(response.json["error"]["fields"]) == {"name", "online_depth", "materials[0].name"}
    not_json = client.patch(f"/api/v1/matters/{desk['matter'].code}", data="name=x")
    assert not_json.status_code == 415


def test_illegal_transition_and_roles(client, login, desk):
    login(desk["editor"])
    code = desk["matter"].code
    refused = client.post(f"/api/v1/matters/{code}/approve", json={})
    assert refused.status_code == 409  # a draft cannot be approved
    client.post(f"/api/v1/matters/{code}/submit", json={})
    not_reviewer = client.post(f"/api/v1/matters/{code}/approve", json={})
    assert not_reviewer.status_code == 403  # editors do not publish


def test_editor_of_another_department_is_refused(client, login, desk):
    login(desk["outsider"])
    code = desk["matter"].code
    assert client.get(f"/api/v1/matters/{code}/editorial").status_code == 403
    assert client.patch(f"/api/v1/matters/{code}", json={"lock_version": 1, "name": "越权"}).status_code == 403
    assert client.post(f"/api/v1/matters/{code}/submit", json={}).status_code == 403
    db.session.refresh(desk["matter"])
    assert desk["matter"].name == "原名称" and desk["matter"].status == "draft"


def test_anonymous_gets_401(client, desk):
    response = client.post("/api/v1/matters", json={"code": "X", "name": "x"})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_articles_through_the_api(client, login, desk, make_user):
    login(desk["editor"])
    created = client.post("/api/v1/articles", json={
        "column": "政策解读", "title": "接口文章", "body_html": '<p onclick="x()">正文</p><script>alert(1)</script>'})
    _check(created, "/articles", "post", 201)
    article_id = created.json["id"]
    assert created.json["content"]["body_html"] == "<p>正文</p>"
    wrong_column = client.patch(f"/api/v1/articles/{article_id}", json={"lock_version": 1, "column": "杂谈"})
    assert set(wrong_column.json["error"]["fields"]) == {"column"}
    changed = client.patch(f"/api/v1/articles/{article_id}", json={"lock_version": 1, "summary": "摘要"})
    _check(changed, "/articles/{article_id}", "patch", 200)
    client.post(f"/api/v1/articles/{article_id}/submit", json={"lock_version": 2})
    login(desk["reviewer"])
    approved = client.post(f"/api/v1/articles/{article_id}/approve", json={"lock_version": 3})
    _check(approved, "/articles/{article_id}/approve", "post", 200)
    page = client.get(f"/dept/{desk['home'].slug}/articles/{approved.json['content']['slug']}")
    assert page.status_code == 200 and "接口文章" in page.text
    login(desk["outsider"])
    assert client.patch(f"/api/v1/articles/{article_id}", json={"lock_version": 4, "title": "越权"}).status_code == 403

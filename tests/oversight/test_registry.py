"""The platform registry: who sees and edits what, audited edits, merges of duplicates."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Matter, Platform

pytestmark = pytest.mark.integration


def _audit(entity_id):
    return db.session.scalars(select(AuditLog).where(AuditLog.entity_type == "platform",
                                                     AuditLog.entity_id == entity_id).order_by(AuditLog.id)).all()


def test_administrators_see_every_platform_with_its_use(client, login, registry):
    login(registry["admin"])
    page = client.get("/admin/platforms").get_data(as_text=True)
    for name in ("公安办事系统", "公安办事系统（旧）", "卫健办事系统"):
        assert name in page
    assert "已对接（wjw）" in page
    filtered = client.get("/admin/platforms?sso=yes").get_data(as_text=True)
    assert "卫健办事系统" in filtered and "公安办事系统" not in filtered


def test_department_editors_see_and_edit_only_their_own(client, login, registry):
    login(registry["health_editor"])
    page = client.get("/admin/platforms").get_data(as_text=True)
    assert "卫健办事系统" in page and "公安办事系统" not in page
    assert client.get("/admin/platforms/gaj.example").status_code == 403
    assert client.post("/admin/platforms/gaj.example", data={"name": "改名"}).status_code == 403
    assert client.get("/admin/platforms/wjw.example").status_code == 200


def test_citizens_are_refused(client, login, registry):
    login(registry["citizen"])
    assert client.get("/admin/platforms").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_an_edit_is_audited_with_before_and_after(client, login, registry):
    login(registry["admin"])
    response = client.post("/admin/platforms/gaj.example", data={
        "name": "公安网上办事大厅", "department_id": registry["police"].id, "base_url": "https://gaj.example",
        "mobile_base_url": "", "kind": "service", "status": "integrating", "sso_client_id": "gaj-portal",
        "contact": "信息中心 0546-0000000", "notes": "拟接入统一身份认证",
    })
    assert response.status_code == 302
    platform = db.session.scalar(select(Platform).where(Platform.code == "gaj.example"))
    assert (platform.name, platform.status, platform.sso_client_id) == ("公安网上办事大厅", "integrating", "gaj-portal")
    [entry] = _audit("gaj.example")
    assert entry.action == "update" and entry.actor_id == registry["admin"].id
    assert entry.before["name"] == "公安办事系统" and entry.after["name"] == "公安网上办事大厅"
    assert set(entry.after) == {"name", "status", "sso_client_id", "contact", "notes"}


def test_department_editors_cannot_move_where_go_leads(client, login, registry):
    login(registry["health_editor"])
    response = client.post("/admin/platforms/wjw.example", data={
        "name": "卫健办事系统", "kind": "website", "status": "active", "contact": "办公室",
        "base_url": "https://evil.example", "sso_client_id": "", "department_id": registry["police"].id,
    })
    assert response.status_code == 302
    platform = db.session.scalar(select(Platform).where(Platform.code == "wjw.example"))
    assert (platform.base_url, platform.sso_client_id, platform.department_id) == \
        ("https://wjw.example", "wjw", registry["health"].id)
    assert (platform.kind, platform.contact) == ("website", "办公室")


def test_a_base_url_with_a_path_is_refused_with_a_message(client, login, registry):
    login(registry["admin"])
    response = client.post("/admin/platforms/gaj.example", data={
        "name": "公安办事系统", "department_id": registry["police"].id, "base_url": "https://gaj.example/apply",
        "kind": "service", "status": "active"})
    assert response.status_code == 200
    assert "不带路径" in response.get_data(as_text=True)


def test_merging_a_duplicate_moves_its_matters_and_keeps_its_links_working(client, login, registry):
    login(registry["admin"])
    response = client.post("/admin/platforms/gaj.example/merge", data={"duplicate_code": "old-gaj.example",
                                                                       "comment": "同一系统的旧地址"})
    assert response.status_code == 302
    db.session.expire_all()
    hukou = db.session.scalar(select(Matter).where(Matter.code == "M-HUKOU"))
    assert hukou.platform.code == "gaj.example"
    old = db.session.scalar(select(Platform).where(Platform.code == "old-gaj.example"))
    assert (old.status, old.merged_into.code) == ("retired", "gaj.example")
    assert hukou.platform.extra_origins == ["http://old-gaj.example"]
    go = client.get("/go/M-HUKOU")
    assert (go.status_code, go.headers["Location"]) == (302, "http://old-gaj.example/apply/hukou")
    [merge] = _audit("gaj.example")
    assert (merge.action, merge.after["matters_moved"], merge.comment) == ("merge", ["M-HUKOU"], "同一系统的旧地址")
    assert _audit("old-gaj.example")[0].action == "merged_into"
    # merged platforms are not merged again, nor into themselves
    again = client.post("/admin/platforms/gaj.example/merge", data={"duplicate_code": "old-gaj.example"},
                        follow_redirects=True)
    assert "该平台已并入其他平台" in again.get_data(as_text=True)
    itself = client.post("/admin/platforms/gaj.example/merge", data={"duplicate_code": "gaj.example"},
                         follow_redirects=True)
    assert "不能把平台并入它自己" in itself.get_data(as_text=True)


def test_only_administrators_merge(client, login, registry):
    login(registry["police_editor"])
    assert client.post("/admin/platforms/gaj.example/merge",
                       data={"duplicate_code": "old-gaj.example"}).status_code == 403


def test_a_reseed_keeps_a_merged_duplicates_matters_on_the_platform_that_absorbed_it(app, registry):
    from portal.oversight import registry as platform_registry
    from portal.seed.importer import _platforms

    platform_registry.merge(registry["admin"], registry["gaj"], registry["gaj_old"])

    class Record:
        handling_url = "http://old-gaj.example/apply/hukou"
        platform_name = "公安办事系统（旧）"
        region_code, department = "X", "市公安局"

    class Report:
        platforms_inserted = platforms_total = 0

    mapping = _platforms([Record()], {("X", "市公安局"): registry["police"]}, None, Report())
    assert mapping["http://old-gaj.example"].code == "gaj.example"

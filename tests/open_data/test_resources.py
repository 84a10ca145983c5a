"""The information resource catalogue: editors describe resources through the editorial workflow,
the public sees published ones, administrators see coverage; the seed describes the portal's datasets."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, InformationResource, InformationResourceVersion
from portal.open_data import datasets, resources

pytestmark = pytest.mark.integration

FORM = {
    "code": "SOCIAL-001", "name": "社会保险参保登记信息", "summary": "个人和单位的参保登记记录。",
    "platform_code": "", "source_system": "社会保险业务系统", "format": "数据库", "update_frequency": "每日",
    "sharing_type": "有条件共享", "sharing_condition": "仅向办理社保相关事项的部门共享。", "opening_type": "不予开放",
    "opening_condition": "", "dataset": "", "data_updated_on": "",
    "data_items": "参保人姓名|字符串|\n社会保障号码|字符串|公民身份号码\n参保日期|日期|首次参保日期",
}


@pytest.fixture
def desk(sample, make_user, login, app):
    editor = make_user("editor", department=sample["social"])
    reviewer = make_user("reviewer", department=sample["social"])
    return {"editor": login(editor, app.test_client()), "reviewer": login(reviewer, app.test_client())}


def _resource(code="SOCIAL-001"):
    return db.session.scalar(select(InformationResource).where(InformationResource.code == code))


def test_an_editor_describes_a_resource_and_a_reviewer_publishes_it(client, desk, sample):
    editor, reviewer = desk["editor"], desk["reviewer"]
    assert "本部门还没有登记信息资源" in editor.get("/open/manage/").get_data(as_text=True)
    created = editor.post("/open/manage/new", data=FORM)
    assert created.status_code == 302
    resource = _resource()
    assert (resource.status, resource.department_id) == ("draft", sample["social"].id)
    assert [(item.name, item.data_type) for item in resource.data_items] == [
        ("参保人姓名", "字符串"), ("社会保障号码", "字符串"), ("参保日期", "日期")]
    assert client.get("/open/resources/SOCIAL-001").status_code == 404  # not published yet

    edit_page = f"/open/manage/{resource.id}"
    submitted = editor.post(f"/editor/resource/{resource.id}/transition",
                            data={"action": "submit", "lock_version": resource.lock_version})
    assert submitted.headers["Location"] == edit_page
    page = reviewer.get(edit_page).get_data(as_text=True)
    assert "审核通过并发布" in page
    assert "社会保险参保登记信息" in reviewer.get("/editor/review").get_data(as_text=True)
    db.session.refresh(resource)
    reviewer.post(f"/editor/resource/{resource.id}/transition",
                  data={"action": "approve", "lock_version": resource.lock_version})
    db.session.refresh(resource)
    assert resource.status == "published"

    public = client.get("/open/resources/SOCIAL-001").get_data(as_text=True)
    assert "有条件共享：仅向办理社保相关事项的部门共享。" in public and "社会保障号码" in public
    assert "社会保险参保登记信息" in client.get("/open/resources").get_data(as_text=True)
    versions = db.session.scalars(select(InformationResourceVersion.status)
                                  .where(InformationResourceVersion.resource_id == resource.id)).all()
    assert versions == ["draft", "in_review", "published"]
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.entity_type == "resource")).all()
    assert actions == ["create", "submit", "approve"]
    assert reviewer.get(f"/editor/resource/{resource.id}/history").status_code == 200


def test_a_published_resource_is_corrected_through_an_edition(client, desk):
    editor, reviewer = desk["editor"], desk["reviewer"]
    editor.post("/open/manage/new", data=FORM)
    resource = _resource()
    editor.post(f"/editor/resource/{resource.id}/transition", data={"action": "submit"})
    reviewer.post(f"/editor/resource/{resource.id}/transition", data={"action": "approve"})
    db.session.refresh(resource)
    editor.post(f"/open/manage/{resource.id}", data={**FORM, "name": "社会保险参保信息",
                                                    "lock_version": resource.lock_version})
    assert "社会保险参保登记信息" in client.get("/open/resources/SOCIAL-001").get_data(as_text=True)  # still live
    assert 'value="社会保险参保信息"' in editor.get(f"/open/manage/{resource.id}").get_data(as_text=True)


@pytest.mark.parametrize(("changes", "message"), [
    ({"sharing_condition": ""}, "有条件共享时请写明共享条件。"),
    ({"opening_type": "有条件开放"}, "有条件开放时请写明开放条件。"),
    ({"dataset": "matters"}, "只有无条件开放的资源链接开放数据集。"),
    ({"platform_code": "NO-SUCH"}, "业务系统登记表中没有这个编码"),
    ({"update_frequency": ""}, "请选择更新周期。"),
    ({"data_items": "|字符串|没有名称"}, "第 1 行缺少信息项名称。"),
])
def test_incomplete_descriptions_are_sent_back_with_the_reason(desk, changes, message):
    response = desk["editor"].post("/open/manage/new", data={**FORM, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _resource() is None


def test_a_code_in_use_is_refused(desk):
    desk["editor"].post("/open/manage/new", data=FORM)
    again = desk["editor"].post("/open/manage/new", data={**FORM, "name": "另一个"})
    assert again.status_code == 400 and "已有资源使用这个代码。" in again.get_data(as_text=True)


def test_a_registered_platform_is_the_source_system(desk, sample):
    desk["editor"].post("/open/manage/new", data={**FORM, "platform_code": "P-TAX", "source_system": ""})
    assert _resource().platform_id == sample["platform"].id


def test_other_departments_resources_are_out_of_reach(desk, sample, make_user, login, app):
    desk["editor"].post("/open/manage/new", data=FORM)
    outsider = login(make_user("editor", department=sample["tax"]), app.test_client())
    assert outsider.get(f"/open/manage/{_resource().id}").status_code == 403


def test_the_seed_describes_the_portals_own_datasets_truthfully(client, app, sample):
    assert resources.seed_resources() == len(datasets.main_datasets())
    assert resources.seed_resources() == 0  # idempotent
    matters = _resource("PORTAL-OPEN-matters")
    assert (matters.status, matters.opening_type, matters.dataset, matters.update_frequency) == (
        "published", "无条件开放", "matters", "实时")
    assert matters.department.name == "市政务服务数据管理局"
    assert [item.name for item in matters.data_items][:4] == ["code", "name", "base_name", "short_name"]
    page = client.get("/open/resources/PORTAL-OPEN-matters").get_data(as_text=True)
    assert 'href="/open/matters"' in page
    assert _resource("PORTAL-OPEN-search-weekly").update_frequency == "每周"


def test_coverage_shows_departments_without_resources_and_stale_ones(app, sample, make_user, login):
    resources.seed_resources()
    db.session.add(InformationResource(
        code="TAX-001", name="发票领用记录", department_id=sample["tax"].id, update_frequency="每月",
        sharing_type="无条件共享", opening_type="不予开放", status="published",
        data_updated_on=date.today() - timedelta(days=60)))
    db.session.add(InformationResource(
        code="TAX-002", name="纳税人名录", department_id=sample["tax"].id, update_frequency="每年",
        sharing_type="无条件共享", opening_type="不予开放", status="published",
        data_updated_on=date.today() - timedelta(days=30)))
    db.session.commit()
    admin = login(make_user("admin"), app.test_client())
    page = admin.get("/open/coverage").get_data(as_text=True)
    stale_section, without = page.split("还没有登记信息资源的部门")[0], page.split("还没有登记信息资源的部门")[1]
    assert "发票领用记录" in stale_section and "纳税人名录" not in stale_section
    assert "人社局" in without.split("已登记的部门")[0]
    assert "税务局" in without.split("已登记的部门")[1]
    editor = login(make_user("editor", department=sample["tax"]), app.test_client())
    assert editor.get("/open/coverage").status_code == 403

"""The editors' pages through the Flask test client: editing, list buttons without JavaScript,
inline errors, the optimistic-lock refusal, review, history and department scoping."""

import pytest

from portal.extensions import db
from portal.models import AuditLog, MatterVersion

pytestmark = pytest.mark.integration


def _edit_url(matter):
    return f"/editor/matters/{matter.code}/edit"


def test_content_list_and_edit_page(team, login):
    client = login(team.editor)
    listing = client.get("/editor/")
    assert listing.status_code == 200
    assert "原名称" in listing.text and "乙局事项" not in listing.text
    page = client.get(_edit_url(team.matter))
    assert page.status_code == 200
    for label in ("事项名称", "申请材料", "办理流程", "收费", "设定依据", "常见问题", "业务办理项", "添加一行"):
        assert label in page.text
    assert f'hx-post="{_edit_url(team.matter)}"' in page.text  # list buttons re-render this page in place


def test_save_writes_a_version_and_audit(team, login, matter_form_data):
    client = login(team.editor)
    response = client.post(_edit_url(team.matter), data=matter_form_data(team.matter, name="新名称"))
    assert response.status_code == 302
    db.session.refresh(team.matter)
    assert team.matter.name == "新名称" and team.matter.lock_version == 2
    assert db.session.scalar(db.select(AuditLog.action)) == "save"


def test_list_buttons_work_without_javascript(team, login, matter_form_data):
    client = login(team.editor)
    data = matter_form_data(team.matter)
    data["list_action"] = "materials:add"
    added = client.post(_edit_url(team.matter), data=data)
    assert added.status_code == 200 and 'name="materials-1-name"' in added.text
    assert 'autofocus id="materials-1-name"' in added.text or 'id="materials-1-name" autofocus' in added.text
    data = matter_form_data(team.matter, materials=[{"name": "第一"}, {"name": "第二"}])
    data["list_action"] = "materials:up:1"
    moved = client.post(_edit_url(team.matter), data=data)
    assert moved.text.index('value="第二"') < moved.text.index('value="第一"')
    data["list_action"] = "materials:remove:0"
    removed = client.post(_edit_url(team.matter), data=data)
    assert 'value="第一"' not in removed.text and 'value="第二"' in removed.text
    db.session.refresh(team.matter)
    assert team.matter.lock_version == 1  # re-arranging the form saves nothing


def test_validation_errors_are_inline_and_nothing_is_saved(team, login, matter_form_data):
    client = login(team.editor)
    response = client.post(_edit_url(team.matter), data=matter_form_data(
        team.matter, name="", handling_url="ftp://x", materials=[{"name": ""}]))
    assert response.status_code == 400
    assert "请填写事项名称。" in response.text and "请填写材料名称。" in response.text
    assert 'aria-invalid="true"' in response.text and "http://" in response.text
    db.session.refresh(team.matter)
    assert team.matter.name == "原名称" and team.matter.lock_version == 1


def test_stale_save_is_refused_with_a_clear_message(team, login, matter_form_data):
    client = login(team.editor)
    stale = matter_form_data(team.matter, name="我的修改")
    client.post(_edit_url(team.matter), data=matter_form_data(team.matter, name="别人先改了"))
    response = client.post(_edit_url(team.matter), data=stale)
    assert response.status_code == 409
    assert "已被他人修改" in response.text and "我的修改" in response.text  # the editor's input is kept
    db.session.refresh(team.matter)
    assert team.matter.name == "别人先改了" and team.matter.lock_version == 2


def test_submit_reject_approve_and_history(team, login, client, matter_form_data):
    login(team.editor)
    client.post(_edit_url(team.matter), data=matter_form_data(team.matter, name="第二版"))
    url = f"/editor/matter/{team.matter.id}/transition"
    assert client.post(url, data={"action": "submit", "lock_version": 2}).status_code == 302
    login(team.reviewer)
    queue = client.get("/editor/review")
    assert "第二版" in queue.text
    rejected = client.post(url, data={"action": "reject", "lock_version": 3, "comment": ""}, follow_redirects=True)
    assert "退回时请填写修改意见" in rejected.text
    client.post(url, data={"action": "reject", "lock_version": 3, "comment": "请补充材料"})
    db.session.refresh(team.matter)
    assert team.matter.status == "draft"
    login(team.editor)
    client.post(url, data={"action": "submit", "lock_version": 4})
    login(team.reviewer)
    published = client.post(url, data={"action": "approve", "lock_version": 5}, follow_redirects=True)
    assert "已发布" in published.text
    history = client.get(f"/editor/matter/{team.matter.id}/history?a=1&b=2")
    assert history.status_code == 200
    assert "原名称" in history.text and "第二版" in history.text and "请补充材料" in history.text


def test_restore_from_history(team, login, matter_form_data):
    client = login(team.editor)
    client.post(_edit_url(team.matter), data=matter_form_data(team.matter, name="第二版"))
    response = client.post(f"/editor/matter/{team.matter.id}/restore", data={"version": 1, "lock_version": 2})
    assert response.status_code == 302
    db.session.refresh(team.matter)
    assert team.matter.name == "原名称" and team.matter.lock_version == 3
    assert db.session.query(MatterVersion).count() == 3


def test_editor_of_another_department_cannot_touch_the_matter(team, login, matter_form_data):
    client = login(team.outsider)
    assert client.get(_edit_url(team.matter)).status_code == 403
    assert client.post(_edit_url(team.matter), data=matter_form_data(team.matter, name="越权")).status_code == 403
    transition = f"/editor/matter/{team.matter.id}/transition"
    assert client.post(transition, data={"action": "submit", "lock_version": 1}).status_code == 403
    assert client.get(f"/editor/matter/{team.matter.id}/history").status_code == 403
    assert client.post(f"/editor/matter/{team.matter.id}/restore", data={"version": 1}).status_code == 403
    db.session.refresh(team.matter)
    assert team.matter.name == "原名称" and team.matter.status == "draft"


def test_new_matter(team, login):
    client = login(team.editor)
    response = client.post("/editor/matters/new", data={"code": "M-NEW-1", "name": "新事项", "platform_id": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith("/editor/matters/M-NEW-1/edit")
    duplicate = client.post("/editor/matters/new", data={"code": "M-NEW-1", "name": "重复"})
    assert duplicate.status_code == 400 and "事项编码已存在" in duplicate.text


def test_scheduled_publishing_from_the_review_page_and_the_cli(app, team, login):
    team.matter.status = "in_review"
    db.session.commit()
    client = login(team.reviewer)
    url = f"/editor/matter/{team.matter.id}/transition"
    unreadable = client.post(url, data={"action": "approve", "lock_version": 1, "publish_at": "明天"},
                             follow_redirects=True)
    assert "定时发布时间格式不正确" in unreadable.text
    client.post(url, data={"action": "approve", "lock_version": 1, "publish_at": "2099-01-01T09:00"})
    db.session.refresh(team.matter)
    assert team.matter.status == "in_review"
    assert team.matter.scheduled_publish_at.isoformat() == "2099-01-01T01:00:00"  # 09:00 Beijing time in UTC
    assert "定时" in client.get("/editor/").text
    result = app.test_cli_runner().invoke(args=["workflow", "publish-due"])
    assert result.exit_code == 0 and "published 0" in result.output
    team.matter.scheduled_publish_at = team.matter.scheduled_publish_at.replace(year=2000)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["workflow", "publish-due"])
    assert "published 1" in result.output
    db.session.refresh(team.matter)
    assert team.matter.status == "published"


def test_admin_chooses_a_department_first(team, login, make_user):
    client = login(make_user("admin"))
    choose = client.get("/editor/")
    assert "选择要管理的部门" in choose.text and team.other.name in choose.text
    listing = client.get(f"/editor/?department={team.other.id}")
    assert "乙局事项" in listing.text and "原名称" not in listing.text
    assert client.get(f"/editor/matters/{team.matter.code}/edit").status_code == 200


def test_a_save_without_lock_version_is_refused(team, login, matter_form_data):
    data = matter_form_data(team.matter, name="没有版本号")
    del data["lock_version"]
    assert login(team.editor).post(_edit_url(team.matter), data=data).status_code == 409
    db.session.refresh(team.matter)
    assert team.matter.name == "原名称"


def test_editing_a_published_matter_keeps_its_guide_online(team, login, client, matter_form_data):
    """Correcting a live guide: the editor saves a new edition (修改稿) without withdrawing; the
    guide keeps answering 200 with the published text until a reviewer approves the edition."""
    team.matter.status = "published"
    db.session.commit()
    editor = login(team.editor)
    page = editor.get(_edit_url(team.matter))
    assert "撤回" in page.text and "修改稿" in page.text
    response = editor.post(_edit_url(team.matter), data=matter_form_data(team.matter, name="更正后的名称"))
    assert response.status_code == 302
    page = editor.get(_edit_url(team.matter))
    assert 'value="更正后的名称"' in page.text and "修改稿：草稿" in page.text
    guide = client.get(f"/matters/{team.matter.code}")
    assert guide.status_code == 200 and "原名称" in guide.text and "更正后的名称" not in guide.text

    editor.post(f"/editor/matter/{team.matter.id}/transition",
                data={"action": "submit", "lock_version": team.matter.lock_version})
    assert client.get(f"/matters/{team.matter.code}").status_code == 200
    queue = login(team.reviewer).get("/editor/review")
    assert "原名称" in queue.text and "修改稿：待审核" in queue.text
    db.session.refresh(team.matter)
    reviewer = login(team.reviewer)
    done = reviewer.post(f"/editor/matter/{team.matter.id}/transition",
                         data={"action": "approve", "lock_version": team.matter.lock_version}, follow_redirects=True)
    assert "已完成：审核通过并发布。当前状态：已发布" in done.text
    guide = client.get(f"/matters/{team.matter.code}")
    assert guide.status_code == 200 and "更正后的名称" in guide.text


def test_a_scheduled_approval_says_so(team, login):
    team.matter.status = "in_review"
    db.session.commit()
    done = login(team.reviewer).post(
        f"/editor/matter/{team.matter.id}/transition",
        data={"action": "approve", "lock_version": team.matter.lock_version, "publish_at": "2099-01-01T09:00"},
        follow_redirects=True)
    assert "已完成：审核通过，定时发布。当前状态：待审核" in done.text and "已完成：审核通过并发布" not in done.text


def test_the_guide_version_is_the_published_one_not_the_import_day(team, login, client, matter_form_data):
    team.matter.status = "published"
    db.session.commit()
    page = client.get(f"/matters/{team.matter.code}").text
    assert "依据政务服务事项目录数据，本站尚未修订" in page
    editor = login(team.editor)
    editor.post(_edit_url(team.matter), data=matter_form_data(team.matter, name="更正后的名称"))
    db.session.refresh(team.matter)
    editor.post(f"/editor/matter/{team.matter.id}/transition",
                data={"action": "submit", "lock_version": team.matter.lock_version})
    db.session.refresh(team.matter)
    assert team.matter.edition_status == "in_review"
    login(team.reviewer).post(f"/editor/matter/{team.matter.id}/transition",
                              data={"action": "approve", "lock_version": team.matter.lock_version})
    db.session.refresh(team.matter)
    page = client.get(f"/matters/{team.matter.code}").text
    assert f"第 {team.matter.lock_version} 版，" in page and "发布" in page

"""Calls, hand-offs (工单) between an operator and a department, time limits and masked numbers."""

from datetime import datetime, timedelta

import pytest

from portal.extensions import db
from portal.hotline.workdays import add_working_days
from portal.models import AuditLog, CallLog, HandOff

PHONE = "13812341234"


def _call(kb, **fields):
    return {"category": "劳动和社会保障", "summary": "来电人咨询失业金，需部门回电", "caller_phone": PHONE,
            "outcome": "handed_off", "department_id": str(kb.department.id), "answer_id": str(kb.answer.id),
            "matter_code": "", **fields}


@pytest.mark.unit
def test_working_days_skip_the_weekend():
    friday = datetime(2026, 11, 20, 10, 0)
    assert add_working_days(friday, 1) == datetime(2026, 11, 23, 10, 0)
    assert add_working_days(friday, 5) == datetime(2026, 11, 27, 10, 0)
    assert add_working_days(datetime(2026, 11, 21, 15, 0), 1) == datetime(2026, 11, 24, 9, 0)


@pytest.mark.integration
def test_hand_off_round_trip_between_operator_and_department_editor(kb, login, caplog):
    response = login(kb.operator).post("/hotline/calls", data=_call(kb))
    assert response.status_code == 302
    handoff = db.session.scalar(db.select(HandOff))
    assert (handoff.status, handoff.department_id, handoff.call.answer_id) == ("open", kb.department.id, kb.answer.id)
    assert handoff.acknowledge_due < handoff.reply_due

    # The department's editor sees it in the queue, with the number masked until it is theirs.
    staff = login(kb.editor)
    assert f"#{handoff.id}" in staff.get("/hotline/queue").get_data(as_text=True)
    page = staff.get(f"/hotline/handoffs/{handoff.id}").get_data(as_text=True)
    assert "138****1234" in page and PHONE not in page
    assert staff.post(f"/hotline/handoffs/{handoff.id}/acknowledge").status_code == 302
    assert PHONE in staff.get(f"/hotline/handoffs/{handoff.id}").get_data(as_text=True)
    staff.post(f"/hotline/handoffs/{handoff.id}/reply", data={"reply": "已电话联系来电人，下周一到窗口办理。"})
    db.session.refresh(handoff)
    assert (handoff.status, handoff.assignee_id) == ("replied", kb.editor.id)

    # The operator sees the reply (number still masked for them) and closes it.
    operator = login(kb.operator)
    assert "部门已答复，待回复来电人" in operator.get("/hotline/").get_data(as_text=True)
    page = operator.get(f"/hotline/handoffs/{handoff.id}").get_data(as_text=True)
    assert "下周一到窗口办理" in page and "138****1234" in page and PHONE not in page
    assert operator.post(f"/hotline/handoffs/{handoff.id}/close").status_code == 302
    db.session.refresh(handoff)
    assert handoff.status == "closed"
    actions = db.session.scalars(db.select(AuditLog.action).where(AuditLog.entity_type == "handoff")).all()
    assert actions == ["hand_off", "acknowledge", "reply", "close"]
    # The number never reaches the audit trail or the logs.
    audit_text = " ".join(str((row.before, row.after, row.comment)) for row in db.session.scalars(db.select(AuditLog)))
    assert PHONE not in audit_text and PHONE not in caplog.text


@pytest.mark.integration
def test_another_department_cannot_see_or_touch_the_hand_off(kb, login):
    login(kb.operator).post("/hotline/calls", data=_call(kb))
    handoff = db.session.scalar(db.select(HandOff))
    outsider = login(kb.outsider)
    assert f"#{handoff.id}" not in outsider.get("/hotline/queue").get_data(as_text=True)
    assert outsider.get(f"/hotline/handoffs/{handoff.id}").status_code == 403
    assert outsider.post(f"/hotline/handoffs/{handoff.id}/reply", data={"reply": "越权"}).status_code == 403
    db.session.refresh(handoff)
    assert handoff.status == "open"


@pytest.mark.integration
def test_overdue_hand_offs_are_listed_for_administrators(kb, login, make_user):
    login(kb.operator).post("/hotline/calls", data=_call(kb))
    handoff = db.session.scalar(db.select(HandOff))
    handoff.acknowledge_due = handoff.reply_due = datetime(2020, 1, 1)
    db.session.commit()
    page = login(make_user("admin")).get("/hotline/overdue").get_data(as_text=True)
    assert f"#{handoff.id}" in page and "已超期" in page
    assert login(kb.operator).get("/hotline/overdue").status_code == 403


@pytest.mark.integration
@pytest.mark.parametrize(("fields", "message"), [
    ({"category": "", "summary": "", "outcome": "resolved", "caller_phone": ""}, "请填写来电摘要"),
    ({"summary": "长" * 10_000}, "来电摘要最多 2000 字"),
    ({"caller_phone": "abc"}, "来电号码应为 7 到 15 位数字"),
    ({"department_id": ""}, "转交部门时请选择承办部门"),
])
def test_bad_calls_get_clear_messages_and_nothing_is_half_written(kb, login, fields, message):
    response = login(kb.operator).post("/hotline/calls", data=_call(kb, **fields))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(CallLog)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(HandOff)) == 0


@pytest.mark.integration
def test_a_resolved_call_is_logged_without_a_hand_off(kb, login):
    client = login(kb.operator)
    assert client.post("/hotline/calls", data=_call(kb, outcome="resolved", caller_phone="")).status_code == 302
    call = db.session.scalar(db.select(CallLog))
    assert (call.outcome, call.handoff, call.caller_phone) == ("resolved", None, None)
    assert "来电人咨询失业金" in client.get("/hotline/calls").get_data(as_text=True)
    assert timedelta(0) <= datetime.utcnow() - call.at < timedelta(minutes=5)  # noqa: DTZ003


@pytest.mark.integration
@pytest.mark.parametrize(("role", "status"), [(None, 302), ("citizen", 403), ("enterprise", 403), ("editor", 403),
                                              ("reviewer", 403), ("operator", 200), ("admin", 200)])
def test_only_operators_open_the_console(app, make_user, login, role, status):
    client = login(make_user(role), app.test_client()) if role else app.test_client()
    assert client.get("/hotline/").status_code == status


@pytest.mark.integration
def test_numbers_typed_into_the_summary_are_masked_before_department_staff_see_them(kb, login):
    summary = "来电人手机13912345678，身份证号370502199001011234，反映社保卡未到"
    assert login(kb.operator).post("/hotline/calls", data=_call(kb, summary=summary)).status_code == 302
    call = db.session.scalar(db.select(CallLog))
    assert "13912345678" not in call.summary and "370502199001011234" not in call.summary
    assert "139****5678" in call.summary and "反映社保卡未到" in call.summary
    page = login(kb.editor).get(f"/hotline/handoffs/{call.handoff.id}").get_data(as_text=True)
    assert "13912345678" not in page and "370502199001011234" not in page

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.interaction import cases, service
from portal.models import AuditLog, Message
from portal.workflow import NotPermitted, WorkflowError

pytestmark = pytest.mark.integration


@pytest.fixture
def staff(board, make_user):
    return {"editor": make_user("editor", department=board.housing),
            "reviewer": make_user("reviewer", department=board.housing),
            "outsider": make_user("editor", department=board.transport)}


def _written(board, kind="consult", body="小区电梯坏了三个月，物业不修，电话13812345678。"):
    return service.submit(board.citizen, kind, "小区电梯长期故障无人维修", body, True)


def test_the_whole_loop_with_time_limits_four_eyes_and_audit(app, board, staff):
    message = _written(board)
    cases.route(message, board.operator, board.housing, "城乡建设/住房保障/物业管理")
    assert message.status == "assigned" and message.department_id == board.housing.id
    assert (message.accept_due - message.assigned_at) >= timedelta(days=1)
    assert (message.reply_due - message.assigned_at) >= timedelta(days=5)
    with pytest.raises(NotPermitted):
        cases.accept(message, staff["outsider"])
    cases.accept(message, staff["editor"])
    reply = cases.submit_reply(message, staff["editor"], "已督促物业在一周内修复电梯。联系人李明 13912345678")
    assert message.status == "reviewing" and "13912345678" not in reply.public_body
    with pytest.raises(NotPermitted):
        cases.approve_reply(message, staff["editor"])  # four eyes
    cases.return_reply(message, staff["reviewer"], "请写明维修期限")
    assert message.status == "accepted"
    cases.submit_reply(message, staff["editor"], "已督促物业在 5 月 10 日前修复电梯。")
    cases.approve_reply(message, staff["reviewer"])
    assert message.status == "replied" and message.is_public and message.first_replied_at is not None

    cases.rate(message, board.citizen, "dissatisfied")
    assert message.status == "accepted" and message.reopened_at is not None  # reopened once
    cases.submit_reply(message, staff["editor"], "电梯已于 5 月 9 日修复并通过检验。")
    cases.approve_reply(message, staff["reviewer"])
    assert cases.can_rate(message, board.citizen)
    cases.rate(message, board.citizen, "dissatisfied")
    assert message.status == "closed"  # not reopened a second time
    with pytest.raises(WorkflowError):
        cases.rate(message, board.citizen, "satisfied")

    actions = db.session.scalars(db.select(AuditLog.action).where(AuditLog.entity_type == "message")
                                 .order_by(AuditLog.id)).all()
    assert actions == ["submit", "route", "accept", "submit_reply", "return_reply", "submit_reply", "approve_reply",
                       "rate", "submit_reply", "approve_reply", "rate"]
    trail = " ".join(str([entry.before, entry.after, entry.comment]) for entry in db.session.scalars(
        db.select(AuditLog)))
    assert "13812345678" not in trail and "13912345678" not in trail


def test_reply_limit_depends_on_the_kind_and_is_configurable(app, board):
    consult, complaint = _written(board, "consult"), _written(board, "complaint")
    cases.route(consult, board.operator, board.housing, "城乡建设")
    cases.route(complaint, board.operator, board.housing, "城乡建设")
    assert complaint.reply_due - consult.reply_due >= timedelta(days=10)
    app.config["INTERACTION_REPLY_WORKING_DAYS"] = {**app.config["INTERACTION_REPLY_WORKING_DAYS"], "consult": 1}
    try:
        quick = _written(board, "consult")
        cases.route(quick, board.operator, board.housing, "城乡建设")
        assert quick.reply_due - quick.assigned_at < timedelta(days=4)
    finally:
        app.config["INTERACTION_REPLY_WORKING_DAYS"] = {**app.config["INTERACTION_REPLY_WORKING_DAYS"],
                                                        "consult": 5}


def test_extension_once_transfer_and_overdue(app, board, staff):
    message = _written(board)
    with pytest.raises(NotPermitted):
        cases.route(message, staff["editor"], board.housing, "城乡建设")
    cases.route(message, board.operator, board.housing, "城乡建设")
    due = message.reply_due
    with pytest.raises(WorkflowError):
        cases.extend(message, staff["editor"], "  ")
    cases.extend(message, staff["editor"], "需要现场勘查")
    assert message.reply_due > due
    with pytest.raises(WorkflowError, match="只能延期一次"):
        cases.extend(message, staff["editor"], "再延一次")

    message.accept_due = message.reply_due = message.assigned_at - timedelta(days=1)
    db.session.commit()
    assert cases.is_overdue(message)
    assert [item.id for item in cases.overdue_messages()] == [message.id]
    assert [item.id for item in cases.overdue_messages(board.transport.id)] == []

    cases.transfer(message, staff["editor"], board.transport, "属交通部门职责")
    assert (message.status, message.department_id) == ("assigned", board.transport.id)
    assert not cases.is_overdue(message)  # the new department's clocks start afresh
    cases.transfer(message, staff["outsider"], None, "不属本部门职责")
    assert (message.status, message.department_id) == ("submitted", None)
    assert [item.id for item in cases.centre_queue()] == [message.id]


def test_only_the_writer_rates_and_only_a_replied_message(app, board, staff, make_user):
    message = _written(board)
    with pytest.raises(WorkflowError):
        cases.rate(message, board.citizen, "satisfied")
    with pytest.raises(NotPermitted):
        cases.rate(message, make_user("citizen"), "satisfied")


def test_centre_pages_route_with_a_suggestion(app, client, board, login):
    board.housing.name = "市住房和城乡建设局"
    message = _written(board)
    login(board.operator)
    queue = client.get("/interaction/centre").get_data(as_text=True)
    assert "小区电梯长期故障无人维修" in queue
    page = client.get(f"/interaction/centre/{message.id}").get_data(as_text=True)
    assert "系统建议" in page and "13812345678" in page  # staff read the text as written
    db.session.refresh(message)
    assert message.suggested_category and message.suggested_category.split("/")[0] in (
        "城乡建设", "劳动和社会保障", "商贸旅游", "环境保护", "交通运输", "卫生计生", "教育文体")
    bad = client.post(f"/interaction/centre/{message.id}", data={"category": "不存在", "department_id": ""})
    assert bad.status_code == 400 and "请选择分类体系中的分类。" in bad.get_data(as_text=True)
    done = client.post(f"/interaction/centre/{message.id}",
                       data={"category": "城乡建设", "department_id": board.housing.id})
    assert done.status_code == 302
    assert db.session.get(Message, message.id).status == "assigned"


def test_department_pages_sign_reply_review_and_citizen_rates(app, client, board, staff, login):
    message = _written(board)
    cases.route(message, board.operator, board.housing, "城乡建设")
    editor = login(staff["editor"], app.test_client())
    queue = editor.get("/interaction/department").get_data(as_text=True)
    assert "小区电梯长期故障无人维修" in queue
    assert editor.post(f"/interaction/department/{message.id}/accept").status_code == 302
    empty = editor.post(f"/interaction/department/{message.id}/reply", data={"body": ""})
    assert empty.status_code == 400 and "请填写答复内容。" in empty.get_data(as_text=True)
    editor.post(f"/interaction/department/{message.id}/reply", data={"body": "已督促物业修复。"})
    outsider = login(staff["outsider"], app.test_client())
    assert outsider.get(f"/interaction/department/{message.id}").status_code == 403
    reviewer = login(staff["reviewer"], app.test_client())
    reviewer.post(f"/interaction/department/{message.id}/review", data={"decision": "approve"})
    assert db.session.get(Message, message.id).status == "replied"

    citizen = login(board.citizen, app.test_client())
    page = citizen.get(f"/messages/{message.id}").get_data(as_text=True)
    assert "已督促物业修复。" in page and "提交评价" in page
    citizen.post(f"/messages/{message.id}/rating", data={"rating": "satisfied"})
    assert db.session.get(Message, message.id).status == "closed"
    assert "提交评价" not in citizen.get(f"/messages/{message.id}").get_data(as_text=True)
    public = client.get(f"/messages/{message.id}").get_data(as_text=True)
    assert "138****5678" in public and "13812345678" not in public

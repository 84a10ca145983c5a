import pytest

from portal import create_app
from portal.extensions import db
from portal.models import AuditLog, Message

pytestmark = pytest.mark.integration

VALID = {"kind": "consult", "title": "公积金提取需要什么材料", "body": "我想提取住房公积金用于租房，需要准备哪些材料？",
         "publishable": "yes", "department_id": ""}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/messages/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/me/messages").status_code == 302


def test_staff_may_not_write(client, board, login, make_user):
    login(make_user("editor", department=board.housing))
    assert client.get("/messages/new").status_code == 403


def test_citizen_writes_and_sees_the_message_in_my_messages(client, board, login):
    login(board.citizen)
    form = client.get("/messages/new").get_data(as_text=True)
    assert "不确定（由 12345 中心分办）" in form and board.housing.name in form
    response = client.post("/messages/new", data={**VALID, "department_id": board.housing.id,
                                                  "contact_phone": "138-1234-5678"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/messages")
    message = db.session.scalar(db.select(Message))
    assert (message.status, message.author_id, message.requested_department_id) == (
        "submitted", board.citizen.id, board.housing.id)
    assert message.contact_phone == "13812345678" and message.publishable
    entry = db.session.scalar(db.select(AuditLog).where(AuditLog.entity_type == "message"))
    assert entry.action == "submit" and "13812345678" not in str(entry.after)
    mine = client.get("/me/messages").get_data(as_text=True)
    assert "公积金提取需要什么材料" in mine and "待分办" in mine


def test_enterprise_may_leave_the_department_to_the_centre(client, board, login):
    login(board.enterprise)
    assert client.post("/messages/new", data=VALID).status_code == 302
    assert db.session.scalar(db.select(Message.requested_department_id)) is None


def test_validation_messages_name_each_problem(client, board, login):
    login(board.citizen)
    page = client.post("/messages/new", data={"kind": "consult", "title": "短", "body": "", "contact_phone": "12"})
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    for expected in ("标题应为 5 到 100 字。", "请填写留言内容。", "请选择是否同意公开。",
                     "联系电话应为 7 到 15 位数字。"):
        assert expected in text
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0


def test_phone_and_id_numbers_in_the_text_are_announced_before_submitting(client, board, login):
    login(board.citizen)
    data = {**VALID, "body": "我的电话是13812345678，身份证430102199001011234，请联系我。"}
    warned = client.post("/messages/new", data=data)
    assert warned.status_code == 400 and "您的留言中有电话号码或身份证号码。" in warned.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0
    assert client.post("/messages/new", data={**data, "confirmed": "y"}).status_code == 302
    message = db.session.scalar(db.select(Message))
    assert "13812345678" in message.body  # the department sees what was written
    assert "13812345678" not in message.public_body and "430102199001011234" not in message.public_body


def test_leader_mailbox_goes_to_the_leaders_department(client, board, login):
    board.transport.leaders = [{"name": "张局长", "title": "局长"}]
    db.session.commit()
    login(board.citizen)
    missing = client.post("/messages/new", data={**VALID, "kind": "leader"})
    assert "请选择要写信的领导。" in missing.get_data(as_text=True)
    assert client.post("/messages/new", data={**VALID, "kind": "leader",
                                              "leader": f"{board.transport.id}:0"}).status_code == 302
    message = db.session.scalar(db.select(Message))
    assert (message.kind, message.leader_name, message.requested_department_id) == (
        "leader", "张局长", board.transport.id)


def test_writing_is_rate_limited_per_user(app, board, make_user):
    limited = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
                          "INTERACTION_MESSAGE_RATE_LIMIT": "2/hour"})
    first, second = board.citizen, make_user("citizen")
    statuses = {}
    for user in (first, second):
        client = limited.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
        statuses[user.id] = [client.post("/messages/new", data=VALID).status_code for _attempt in range(3)]
    assert statuses[first.id] == [302, 302, 429]
    assert statuses[second.id] == [302, 302, 429]  # each user has a limit of their own

"""Published messages reach the search's 问答 tab through the outbox, become knowledge drafts with
one action, and are counted per department and month for the oversight dashboard."""

from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.interaction import cases, service
from portal.interaction.stats import department_month_stats
from portal.models import Answer, AuditLog, Message, SearchOutbox, utcnow
from portal.site_search import index as search_index
from portal.site_search.service import find, make_params

pytestmark = pytest.mark.integration


@pytest.fixture
def replied(board, make_user):
    editor = make_user("editor", department=board.housing)
    reviewer = make_user("reviewer", department=board.housing)

    def reply(title, body, publishable=True, message_id=None):
        message = service.submit(board.citizen, "consult", title, body, publishable)
        if message_id:  # ids of their own: the index outlives the tables
            message.id = message_id
            db.session.commit()
        cases.route(message, board.operator, board.housing, "城乡建设")
        cases.submit_reply(message, editor, "已联系物业公司，将于本周内完成维修。")
        cases.approve_reply(message, reviewer)
        return message

    reply.editor, reply.reviewer = editor, reviewer
    return reply


def test_an_approved_publishable_reply_is_searchable_in_the_answers_tab(app, elasticsearch, replied):
    message = replied("翡翠湾小区地下车库积水严重", "翡翠湾小区地下车库每逢下雨积水，电话13812345678。",
                      message_id=880_001)
    hidden = replied("翡翠湾小区私人纠纷", "不公开的翡翠湾留言", publishable=False, message_id=880_002)
    rows = db.session.scalars(db.select(SearchOutbox).where(SearchOutbox.entity_type == "message")).all()
    assert [(row.entity_id, row.operation) for row in rows] == [(message.id, "upsert")]
    assert search_index.sync().indexed >= 1
    results = find(make_params("翡翠湾 积水", kind="answer"), channel="test")
    urls = [hit.url for hit in results.hits]
    assert f"/messages/{message.id}" in urls and f"/messages/{hidden.id}" not in urls
    hit = next(hit for hit in results.hits if hit.url == f"/messages/{message.id}")
    assert "13812345678" not in str(hit.snippet)


def test_reindex_of_answers_keeps_the_messages(app, elasticsearch, replied):
    message = replied("青松路公交站台顶棚破损", "青松路公交站台顶棚破了，下雨没法等车。", message_id=880_003)
    search_index.reindex_kind("answer")
    urls = [hit.url for hit in find(make_params("青松路 顶棚", kind="answer"), channel="test").hits]
    assert f"/messages/{message.id}" in urls


def test_one_action_turns_a_message_into_a_knowledge_draft(app, client, login, replied, board):
    message = replied("电梯维修资金怎么申请", "老旧小区电梯维修资金如何申请使用？联系人王小明 13812345678")
    login(replied.editor)
    response = client.post(f"/interaction/department/{message.id}/knowledge")
    answer = db.session.scalar(db.select(Answer))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/knowledge/{answer.id}/edit")
    assert (answer.status, answer.department_id, answer.question) == ("draft", board.housing.id, "电梯维修资金怎么申请")
    assert "将于本周内完成维修" in answer.public_answer and "13812345678" not in answer.internal_note
    assert db.session.scalar(db.select(AuditLog.action).where(AuditLog.action == "knowledge_draft"))

    private = replied("不公开的留言标题", "这条留言不公开。", publishable=False)
    with pytest.raises(cases.WorkflowError):
        cases.knowledge_draft(private, replied.editor)


def test_department_month_figures(app, board, replied):
    on_time = replied("按期答复的留言", "按期答复的留言内容。")
    late = replied("超期答复的留言", "超期答复的留言内容。")
    late.first_replied_at = late.reply_due + timedelta(days=1)
    waiting = service.submit(board.citizen, "complaint", "还没答复的留言", "还没答复的留言内容。", True)
    cases.route(waiting, board.operator, board.housing, "城乡建设")
    waiting.reply_due = utcnow() - timedelta(hours=1)
    cases.rate(on_time, board.citizen, "satisfied")
    cases.rate(late, board.citizen, "dissatisfied")  # reopened: counts as rated 不满意
    centre = service.submit(board.citizen, "consult", "尚未分办的留言", "尚未分办的留言内容。", True)
    db.session.commit()

    rows = department_month_stats()
    housing = next(row for row in rows if row["department_id"] == board.housing.id)
    assert (housing["received"], housing["replied"], housing["on_time"], housing["overdue"]) == (3, 2, 1, 2)
    assert (housing["satisfied"], housing["dissatisfied"], housing["satisfaction"]) == (1, 1, 0.5)
    assert housing["avg_days_to_reply"] is not None and housing["department"] == board.housing.name
    assert housing["month"] == (utcnow() + timedelta(hours=8)).strftime("%Y-%m")
    assert any(row["department_id"] is None and row["received"] == 1 for row in rows)
    assert centre.department_id is None
    assert department_month_stats(department_id=board.transport.id) == []
    assert department_month_stats(since=date.today() + timedelta(days=2)) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 4


def test_department_month_figures_by_beijing_month_with_the_average_wait(app, board, replied):
    """Months are Beijing months (a message received at 16:30 UTC on the last day of a month counts in
    the next); the average is of the days from received to first reply, a late reply before it was
    received (bad data) counting as 0; filters by date and department."""
    from datetime import datetime

    early = replied("十月底收到的留言", "十月底收到的留言内容。")
    early.received_at = datetime(2026, 10, 31, 15, 0)  # 23:00 Beijing: October
    early.first_replied_at = datetime(2026, 11, 3, 3, 0)  # 2.5 days later
    early.reply_due = datetime(2026, 11, 7)
    november = replied("十一月收到的留言", "十一月收到的留言内容。")
    november.received_at = datetime(2026, 10, 31, 16, 30)  # 00:30 on 1 November, Beijing
    november.first_replied_at = datetime(2026, 11, 1, 16, 30)  # 1 day later
    november.reply_due = datetime(2026, 11, 1)  # replied after the deadline
    odd = replied("答复早于收到的留言", "答复早于收到的留言内容。")
    odd.received_at = datetime(2026, 11, 20)
    odd.first_replied_at = datetime(2026, 11, 19)  # counts as 0 days
    odd.reply_due = None  # imported: neither on time nor overdue
    cases.rate(early, board.citizen, "basically_satisfied")
    db.session.commit()

    rows = department_month_stats(now=datetime(2026, 12, 1))
    assert [(row["month"], row["received"], row["replied"], row["on_time"], row["overdue"],
             row["avg_days_to_reply"], row["basically_satisfied"], row["satisfaction"]) for row in rows] == [
        ("2026-10", 1, 1, 1, 0, 2.5, 1, 1.0),
        ("2026-11", 2, 2, 0, 1, 0.5, 0, None),
    ]
    assert list(rows[0]) == ["department_id", "department", "month", "received", "replied", "on_time", "overdue",
                             "satisfied", "basically_satisfied", "dissatisfied", "avg_days_to_reply", "satisfaction"]
    assert {row["department"] for row in rows} == {board.housing.name}
    assert [row["month"] for row in department_month_stats(since=date(2026, 11, 1))] == ["2026-11"]
    assert [row["month"] for row in department_month_stats(until=date(2026, 11, 1))] == ["2026-10"]
    assert department_month_stats(department_id=board.transport.id) == []

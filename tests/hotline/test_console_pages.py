"""Console pieces that need no search: the answer panel, feedback, recently and most used."""

import pytest

from portal.extensions import db
from portal.models import AnswerFeedback, AnswerUse

pytestmark = pytest.mark.integration
HTMX = {"HX-Request": "true"}


def test_answer_panel_shows_the_linked_matters_facts_and_counts_the_use(kb, login):
    client = login(kb.operator)
    panel = client.get(f"/hotline/answers/{kb.answer.id}", headers=HTMX).get_data(as_text=True)
    for fact in ("携带身份证到社保窗口", "5 个工作日", "市民之家二楼 12 号窗口", "0731-12345678",
                 f"/go/{kb.matter.code}", "先确认是否已办理离职手续", "复制答复"):
        assert fact in panel
    assert db.session.scalar(db.select(db.func.count()).select_from(AnswerUse)) == 1
    console = client.get("/hotline/").get_data(as_text=True)
    assert console.count("失业了怎么领失业金") == 2  # recently used and most used today
    # Without htmx the same address lands on the whole console.
    assert client.get(f"/hotline/answers/{kb.answer.id}").headers["Location"].endswith(f"?answer={kb.answer.id}")


def test_operators_mark_answers_helpful_or_outdated(kb, login):
    client = login(kb.operator)
    assert "谢谢" in client.post(f"/hotline/answers/{kb.answer.id}/feedback", data={"kind": "outdated"},
                                 headers=HTMX).get_data(as_text=True)
    assert client.post(f"/hotline/answers/{kb.answer.id}/feedback", data={"kind": "helpful"}).status_code == 302
    assert client.post(f"/hotline/answers/{kb.answer.id}/feedback", data={"kind": "wrong"},
                       headers=HTMX).get_data(as_text=True).count("请选择反馈类型") == 1
    kinds = sorted(db.session.scalars(db.select(AnswerFeedback.kind)))
    assert kinds == ["helpful", "outdated"]


def test_unpublished_answers_are_not_served_to_the_console(kb, login, make_answer):
    draft = make_answer(kb.department, "还在起草", status="draft")
    assert login(kb.operator).get(f"/hotline/answers/{draft.id}", headers=HTMX).status_code == 404


def test_console_and_bad_input_messages_speak_english_when_chosen(kb, login):
    client = login(kb.operator)
    client.set_cookie("portal_locale", "en")
    assert 'for="console-q">Caller\'s words' in client.get("/hotline/").get_data(as_text=True)
    response = client.post("/hotline/calls", data={"category": "其他", "summary": "", "outcome": "resolved"})
    assert response.status_code == 400
    assert "Enter a summary of the call." in response.get_data(as_text=True)


def test_console_shrugs_off_bad_addresses(kb, login):
    client = login(kb.operator)
    for path in ("/hotline/?answer=abc", "/hotline/?answer=999999", "/hotline/?matter=NO-SUCH", "/hotline/?q="):
        assert client.get(path).status_code == 200, path
    assert client.get("/hotline/matters/NO-SUCH", headers=HTMX).status_code == 404

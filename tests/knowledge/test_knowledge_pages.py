"""Editors write answers through the shared workflow; the public sees published ones as FAQ."""

import pytest

from portal.extensions import db
from portal.models import Answer, AnswerFeedback

pytestmark = pytest.mark.integration


def _form(**fields):
    return {"question": "社保卡丢了怎么办", "phrasings": "社保卡补办\n社保卡挂失",
            "public_answer": "<p>先挂失再补办。</p>", "internal_note": "", "category": "", "valid_until": "",
            "matters": "", **fields}


def test_editor_creates_an_answer_with_html_sanitized_and_linked_matter(kb, login):
    client = login(kb.editor)
    response = client.post("/knowledge/new", data=_form(
        public_answer='<p onclick="steal()">先挂失<script>alert(1)</script>再补办。'
                      '<a href="javascript:x()">链接</a></p>',
        matters=kb.matter.code, valid_until="2030-12-31"))
    assert response.status_code == 302
    answer = db.session.scalar(db.select(Answer).where(Answer.question == "社保卡丢了怎么办"))
    assert "<script" not in answer.public_answer and "onclick" not in answer.public_answer
    assert "javascript:" not in answer.public_answer and "先挂失" in answer.public_answer
    assert (answer.status, answer.phrasings, [m.code for m in answer.matters]) == (
        "draft", ["社保卡补办", "社保卡挂失"], [kb.matter.code])
    assert answer.versions[0].version == 1
    page = client.get(f"/knowledge/{answer.id}/edit").get_data(as_text=True)
    assert "提交审核" in page and "版本历史与对比" in page


@pytest.mark.parametrize(("fields", "message"), [
    ({"question": ""}, "请填写标准问题"),
    ({"public_answer": "长" * 20_001}, "答复口径最多 20000 字"),
    ({"matters": "NO-SUCH-CODE"}, "找不到这些事项编码：NO-SUCH-CODE"),
    ({"valid_until": "明年"}, "有效期至"),
])
def test_bad_input_gets_a_clear_message_and_nothing_is_stored(kb, login, fields, message):
    response = login(kb.editor).post("/knowledge/new", data=_form(**fields))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 1  # only the fixture's


def test_operator_and_citizen_cannot_edit_or_publish_answers(kb, login, make_user, app):
    draft = Answer(question="草稿", public_answer="x", department=kb.department, status="in_review")
    db.session.add(draft)
    db.session.commit()
    for role in ("operator", "citizen"):
        client = login(make_user(role))
        assert client.get("/knowledge/").status_code == 403
        assert client.post(f"/editor/answer/{draft.id}/transition", data={"action": "approve"}).status_code == 403
    assert login(kb.outsider).get(f"/knowledge/{kb.answer.id}/edit").status_code == 403
    assert db.session.get(Answer, draft.id).status == "in_review"


def test_editor_list_shows_feedback_counts(kb, login):
    db.session.add_all([AnswerFeedback(answer_id=kb.answer.id, operator_id=kb.operator.id, kind=kind)
                        for kind in ("helpful", "helpful", "outdated")])
    db.session.commit()
    page = login(kb.editor).get("/knowledge/").get_data(as_text=True)
    assert "失业了怎么领失业金" in page
    assert "<td>2</td>\n      <td>1</td>" in page


def test_public_faq_lists_published_answers_only(kb, client, make_answer):
    draft = make_answer(kb.department, "内部草稿问题", status="draft")
    listing = client.get("/answers").get_data(as_text=True)
    assert "失业了怎么领失业金" in listing and "内部草稿问题" not in listing
    page = client.get(f"/answers/{kb.answer.id}").get_data(as_text=True)
    assert "携带身份证到社保窗口" in page and "先确认是否已办理离职手续" not in page  # internal note stays internal
    assert client.get(f"/answers/{draft.id}").status_code == 404


def test_matter_guide_page_lists_its_published_answers_as_faq(kb, client, make_answer):
    make_answer(kb.department, "草稿里的问题", matters=[kb.matter], status="draft")
    page = client.get(f"/matters/{kb.matter.code}").get_data(as_text=True)
    assert "常见问题（12345 热线）" in page and "失业了怎么领失业金" in page and "携带身份证到社保窗口" in page
    assert "草稿里的问题" not in page


def test_public_faq_browses_by_category(kb, client, make_answer):
    make_answer(kb.department, "小区停车收费标准怎么定", category="城乡建设/城市建设和市政管理/物业管理")
    kb.answer.category = "劳动和社会保障/社会保险/失业保险"
    db.session.commit()
    listing = client.get("/answers").get_data(as_text=True)
    assert "城乡建设（1）" in listing and "劳动和社会保障（1）" in listing
    listing = client.get("/answers?category=城乡建设").get_data(as_text=True)
    assert "小区停车收费标准怎么定" in listing and "失业了怎么领失业金" not in listing


def test_answer_goes_from_draft_to_published_through_the_shared_workflow(kb, login):
    from portal.models import SearchOutbox

    editor = login(kb.editor)
    editor.post("/knowledge/new", data=_form())
    answer = db.session.scalar(db.select(Answer).where(Answer.question == "社保卡丢了怎么办"))
    response = editor.post(f"/editor/answer/{answer.id}/transition", data={"action": "submit",
                                                                          "lock_version": answer.lock_version})
    assert response.headers["Location"].endswith(f"/knowledge/{answer.id}/edit")
    db.session.refresh(answer)
    reviewer = login(kb.reviewer)
    assert "审核通过并发布" in reviewer.get(f"/knowledge/{answer.id}/edit").get_data(as_text=True)
    reviewer.post(f"/editor/answer/{answer.id}/transition", data={"action": "approve",
                                                                 "lock_version": answer.lock_version})
    db.session.refresh(answer)
    assert answer.status == "published"
    assert db.session.scalar(db.select(SearchOutbox.entity_id).where(SearchOutbox.entity_type == "answer")) == answer.id
    assert [version.status for version in answer.versions] == ["draft", "in_review", "published"]

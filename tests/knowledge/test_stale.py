"""Stale answers: flagged when a linked matter is published again with changes, cleared on review."""

from datetime import date, timedelta

import pytest

from portal import workflow
from portal.extensions import db
from portal.knowledge.stale import is_stale, mark_reviewed
from portal.models import AuditLog

pytestmark = pytest.mark.integration


def _republish_with_new_material(kb):
    matter = kb.matter  # published: the change is a new edition, approved by a reviewer
    workflow.save(matter, {"materials": [{"name": "身份证", "requirement": "必要", "copies": 1},
                                         {"name": "离职证明", "requirement": "必要", "copies": 1}],
                           "promised_time_limit_days": 3}, kb.editor, matter.lock_version)
    workflow.transition(matter, "submit", kb.editor)
    workflow.transition(matter, "approve", kb.reviewer)


def test_republished_matter_flags_its_answers_with_the_changed_fields(kb):
    _republish_with_new_material(kb)
    answer = db.session.get(type(kb.answer), kb.answer.id)
    assert answer.needs_review
    [entry] = answer.review_reason["matters"]
    changes = {change["field"]: change for change in entry["changes"]}
    assert set(changes) == {"materials", "promised_time_limit_days"}
    limit = changes["promised_time_limit_days"]
    assert (limit["before"], limit["after"]) == (["5"], ["3"])
    assert any("离职证明" in line for line in changes["materials"]["after"])
    assert db.session.scalar(db.select(AuditLog).where(AuditLog.action == "flag_stale")).entity_id == str(answer.id)
    # The flag is not content: versions and restores of the answer never carry it.
    assert "needs_review" not in workflow.take_snapshot(answer)


def test_an_approved_edition_flags_but_an_unchanged_save_or_a_pending_edition_does_not(kb):
    assert not workflow.save(kb.matter, {"name": kb.matter.name}, kb.reviewer, kb.matter.lock_version)
    assert not kb.answer.needs_review
    workflow.save(kb.matter, {"location": "政务服务中心一楼"}, kb.editor, kb.matter.lock_version)
    workflow.transition(kb.matter, "submit", kb.editor)
    assert not kb.answer.needs_review
    workflow.transition(kb.matter, "approve", kb.reviewer)
    assert kb.answer.needs_review
    assert kb.answer.review_reason["matters"][0]["changes"][0]["field"] == "location"


def test_review_clears_the_flag_only_for_the_answers_department(kb):
    _republish_with_new_material(kb)
    with pytest.raises(workflow.NotPermitted):
        mark_reviewed(kb.answer, kb.outsider)
    with pytest.raises(workflow.NotPermitted):
        mark_reviewed(kb.answer, kb.operator)
    assert mark_reviewed(kb.answer, kb.editor)
    assert not kb.answer.needs_review and kb.answer.review_reason is None
    assert db.session.scalar(db.select(AuditLog).where(AuditLog.action == "review")).actor_id == kb.editor.id


def test_an_answer_past_its_validity_date_is_stale(kb):
    kb.answer.valid_until = date.today() - timedelta(days=1)
    assert is_stale(kb.answer)
    kb.answer.valid_until = date.today()
    assert not is_stale(kb.answer)


def test_stale_list_shows_what_changed_and_review_clears_it(kb, login):
    _republish_with_new_material(kb)
    client = login(kb.editor)
    page = client.get("/knowledge/stale").get_data(as_text=True)
    assert "失业了怎么领失业金" in page and "离职证明" in page and "承诺办结时限" in page
    response = client.post(f"/knowledge/{kb.answer.id}/reviewed", data={"back": "stale"})
    assert response.status_code == 302
    assert "没有待复核的问答" in client.get("/knowledge/stale").get_data(as_text=True)
    assert login(kb.outsider).post(f"/knowledge/{kb.answer.id}/reviewed").status_code == 403


def test_publishing_a_corrected_answer_counts_as_its_review(kb):
    _republish_with_new_material(kb)
    assert kb.answer.needs_review
    workflow.save(kb.answer, {"public_answer": "<p>携带身份证和离职证明到社保窗口办理。</p>"}, kb.editor,
                  kb.answer.lock_version)
    assert kb.answer.needs_review  # a pending edition is not yet the public answer
    workflow.transition(kb.answer, "submit", kb.editor)
    workflow.transition(kb.answer, "approve", kb.reviewer)
    assert not kb.answer.needs_review
    assert db.session.scalar(db.select(AuditLog).where(AuditLog.action == "review")).actor_id == kb.reviewer.id


def _publish_edition(kb, changes):
    workflow.save(kb.matter, changes, kb.editor, kb.matter.lock_version)
    workflow.transition(kb.matter, "submit", kb.editor)
    workflow.transition(kb.matter, "approve", kb.reviewer)


def test_a_second_change_adds_to_the_one_warning_of_its_matter(kb, login):
    _publish_edition(kb, {"location": "政务服务中心一楼"})
    _publish_edition(kb, {"promised_time_limit_days": 3})
    [entry] = kb.answer.review_reason["matters"]
    assert {change["field"] for change in entry["changes"]} == {"location", "promised_time_limit_days"}
    panel = login(kb.operator).get(f"/hotline/?answer={kb.answer.id}").text
    assert panel.count("注意：此答复待复核") == 1 and panel.count(f"关联事项“{kb.matter.name}”已变更") == 1


def test_restoring_the_matters_content_clears_the_flag(kb):
    original = kb.matter.location
    _publish_edition(kb, {"location": "政务服务中心一楼"})
    assert kb.answer.needs_review
    _publish_edition(kb, {"location": original})  # changed back, as a restore does
    assert not kb.answer.needs_review and kb.answer.review_reason is None
    assert db.session.scalar(db.select(AuditLog.action).order_by(AuditLog.id.desc())) == "unflag_stale"

"""Every (status, action) pair: the legal ones move the record, the illegal ones are refused
with nothing written."""

import itertools
import threading
from datetime import timedelta

import pytest

from portal import workflow
from portal.extensions import db
from portal.models import STATUSES, AuditLog, MatterVersion, SearchOutbox, utcnow

LEGAL = {
    ("draft", "submit"): "in_review",
    ("in_review", "approve"): "published",
    ("in_review", "reject"): "draft",
    ("published", "withdraw"): "withdrawn",
    ("withdrawn", "reopen"): "draft",
}
PAIRS = list(itertools.product(STATUSES, workflow.ACTIONS))

pytestmark = pytest.mark.integration


def _counts():
    return tuple(db.session.query(model).count() for model in (AuditLog, MatterVersion, SearchOutbox))


@pytest.mark.parametrize(("status", "action"), PAIRS)
def test_every_transition_is_legal_or_refused(matter, make_user, status, action):
    admin = make_user("admin")
    matter.status = status
    db.session.commit()
    if (status, action) in LEGAL:
        workflow.transition(matter, action, admin, expected_version=1, comment="意见")
        db.session.refresh(matter)
        assert matter.status == LEGAL[(status, action)]
        assert matter.lock_version == 2
        return
    counts = _counts()
    with pytest.raises(workflow.IllegalTransition) as refused:
        workflow.transition(matter, action, admin, expected_version=1, comment="意见")
    assert "不能执行" in refused.value.message
    db.session.refresh(matter)
    assert (matter.status, matter.lock_version) == (status, 1)
    assert _counts() == counts


def test_unknown_action_is_refused(matter, reviewer):
    with pytest.raises(workflow.IllegalTransition):
        workflow.transition(matter, "teleport", reviewer)


@pytest.mark.parametrize("status", ["in_review", "withdrawn"])
def test_frozen_statuses_refuse_saves(matter, reviewer, status):
    matter.status = status
    db.session.commit()
    with pytest.raises(workflow.IllegalTransition):
        workflow.save(matter, {"name": "新名称"}, reviewer, expected_version=1)
    db.session.refresh(matter)
    assert matter.name == "原名称"


def test_full_cycle_writes_versions_audit_and_outbox(matter, editor, reviewer):
    assert workflow.save(matter, {"name": "新名称", "materials": [{"name": "户口簿"}]}, editor, expected_version=1)
    workflow.transition(matter, "submit", editor, expected_version=2)
    workflow.transition(matter, "reject", reviewer, expected_version=3, comment="材料不全")
    workflow.transition(matter, "submit", editor, expected_version=4)
    workflow.transition(matter, "approve", reviewer, expected_version=5)
    assert matter.status == "published" and matter.published_at is not None
    workflow.save(matter, {"conditions": "新条件"}, reviewer, expected_version=6)
    workflow.transition(matter, "withdraw", reviewer, expected_version=7)

    versions = db.session.scalars(db.select(MatterVersion).order_by(MatterVersion.version)).all()
    assert [v.version for v in versions] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert versions[0].snapshot["name"] == "原名称"  # the seeded state was kept as version 1
    assert versions[1].snapshot["materials"][0]["name"] == "户口簿"
    assert versions[3].comment == "材料不全"
    actions = db.session.scalars(db.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["save", "submit", "reject", "submit", "approve", "save", "withdraw"]
    first = db.session.scalar(db.select(AuditLog).order_by(AuditLog.id))
    assert first.before["name"] == "原名称" and first.after["name"] == "新名称"
    assert first.actor_name == editor.username
    outbox = [(row.entity_type, row.entity_id, row.operation, row.entity_version)
              for row in db.session.scalars(db.select(SearchOutbox).order_by(SearchOutbox.id))]
    # The save after publication is a new edition (not live, so not indexed); withdraw takes it down.
    assert outbox == [("matter", matter.id, "upsert", 6), ("matter", matter.id, "delete", 8)]


def test_reject_needs_a_comment(matter, reviewer):
    matter.status = "in_review"
    db.session.commit()
    with pytest.raises(workflow.WorkflowError):
        workflow.transition(matter, "reject", reviewer, comment="  ")
    assert matter.status == "in_review"


def test_roles_and_departments_are_enforced(matter, editor, make_user, departments):
    matter.status = "in_review"
    db.session.commit()
    with pytest.raises(workflow.NotPermitted):
        workflow.transition(matter, "approve", editor)  # editors cannot publish
    outsider = make_user("reviewer", department=departments[1])
    with pytest.raises(workflow.NotPermitted):
        workflow.transition(matter, "approve", outsider)
    matter.status = "published"
    db.session.commit()
    with pytest.raises(workflow.NotPermitted):  # another department's editor
        workflow.save(matter, {"name": "直接改"}, make_user("editor", department=departments[1]), expected_version=1)
    assert workflow.allowed_actions(matter, editor) == ["withdraw"]
    assert workflow.save(matter, {"name": "修改稿"}, editor, expected_version=1)  # a new edition
    assert (matter.name, matter.edition_status) == ("原名称", "draft")


def test_stale_save_is_refused_and_nothing_is_overwritten(matter, editor, reviewer):
    workflow.save(matter, {"name": "甲的修改"}, editor, expected_version=1)
    with pytest.raises(workflow.StaleEdit) as refused:
        workflow.save(matter, {"name": "乙的修改", "conditions": "乙"}, reviewer, expected_version=1)
    assert "已被他人修改" in refused.value.message
    db.session.expire_all()
    assert (matter.name, matter.conditions, matter.lock_version) == ("甲的修改", "原条件", 2)
    assert db.session.query(AuditLog).count() == 1


def test_unchanged_save_writes_nothing(matter, editor):
    assert workflow.save(matter, {"name": "原名称"}, editor, expected_version=1) is False
    assert matter.lock_version == 1 and db.session.query(MatterVersion).count() == 0


def test_restore_and_diff(matter, editor):
    workflow.save(matter, {"name": "第二版", "materials": []}, editor, expected_version=1)
    changes = {change.field: change for change in workflow.compare(
        workflow.find_version(matter, 1).snapshot, workflow.find_version(matter, 2).snapshot)}
    assert changes["name"].changed and changes["name"].before == ["原名称"]
    assert changes["materials"].before == ["身份证 · 必要 · 1"] and changes["materials"].after == []
    assert not changes["conditions"].changed
    workflow.restore(matter, 1, editor, expected_version=2)
    assert matter.name == "原名称" and [m.name for m in matter.materials] == ["身份证"]
    assert matter.lock_version == 3
    with pytest.raises(workflow.WorkflowError):
        workflow.restore(matter, 99, editor, expected_version=3)


def test_scheduled_publishing(matter, reviewer):
    matter.status = "in_review"
    db.session.commit()
    later = utcnow() + timedelta(hours=1)
    workflow.transition(matter, "approve", reviewer, publish_at=later)
    assert matter.status == "in_review" and matter.scheduled_publish_at == later
    assert workflow.publish_due() == 0
    assert workflow.publish_due(now=later + timedelta(seconds=1)) == 1
    db.session.refresh(matter)
    assert matter.status == "published" and matter.scheduled_publish_at is None
    assert db.session.scalar(db.select(SearchOutbox.operation)) == "upsert"
    assert db.session.scalar(db.select(AuditLog.action).order_by(AuditLog.id.desc())) == "publish"


def test_create_makes_version_one(departments, editor):
    from portal.models import Matter

    created = workflow.create(Matter, {"code": "M-NEW", "name": "新事项", "steps": [{"name": "受理"}]},
                              editor, departments[0].id)
    assert created.lock_version == 1 and created.status == "draft"
    assert workflow.find_version(created, 1).snapshot["steps"][0]["name"] == "受理"
    with pytest.raises(workflow.NotPermitted):
        workflow.create(Matter, {"code": "M-NEW-2", "name": "越权"}, editor, departments[1].id)


def test_two_simultaneous_saves_of_the_same_version_one_wins(app, matter, editor, reviewer):
    """Both start from version 1 at the same moment, each in its own session: the database's
    compare-and-set lets exactly one through."""
    from portal.models import Matter, User

    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(user_id, name):
        with app.app_context():
            entity, user = db.session.get(Matter, matter.id), db.session.get(User, user_id)
            barrier.wait()
            try:
                workflow.save(entity, {"name": name}, user, expected_version=1)
                outcomes.append(name)
            except workflow.StaleEdit:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=args) for args in ((editor.id, "甲"), (reviewer.id, "乙"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    assert sorted(outcomes) == sorted([matter.name, "refused"])  # the winner's name is the stored one
    assert matter.lock_version == 2 and db.session.query(MatterVersion).count() == 2


def test_published_hooks_run_when_published_content_changes(matter, editor, reviewer):
    from portal.workflow import machine

    seen = []

    def hook(kind, entity, actor):
        seen.append((kind.entity_type, entity.status, getattr(actor, "username", None)))

    machine.published_hooks.append(hook)
    try:
        workflow.save(matter, {"name": "草稿修改"}, editor, expected_version=1)  # not published: no hook
        workflow.transition(matter, "submit", editor)
        workflow.transition(matter, "approve", reviewer)
        workflow.save(matter, {"name": "更正"}, editor, expected_version=4)  # a new edition: not yet
        assert len(seen) == 1
        workflow.transition(matter, "submit", editor)
        workflow.transition(matter, "approve", reviewer)
    finally:
        machine.published_hooks.remove(hook)
    assert seen == [("matter", "published", reviewer.username)] * 2


def test_a_reviewer_does_not_approve_their_own_submission(matter, reviewer, make_user, departments):
    workflow.transition(matter, "submit", reviewer)
    assert "approve" not in workflow.allowed_actions(matter, reviewer)
    with pytest.raises(workflow.NotPermitted):
        workflow.transition(matter, "approve", reviewer)
    colleague = make_user("reviewer", department=departments[0])
    workflow.transition(matter, "approve", colleague)
    assert matter.status == "published"

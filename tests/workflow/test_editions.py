"""Editing published content makes a new edition: the published version stays live (and in the
public pages) while the edition is edited and reviewed; approving it replaces the live content."""

from datetime import timedelta

import pytest

from portal import workflow
from portal.extensions import db
from portal.models import AuditLog, MatterVersion, SearchOutbox, utcnow

pytestmark = pytest.mark.integration


@pytest.fixture
def published(matter, editor, reviewer):
    workflow.transition(matter, "submit", editor)
    workflow.transition(matter, "approve", reviewer)
    return matter


def _outbox():
    return db.session.query(SearchOutbox).count()


def test_editing_published_content_keeps_it_live(published, editor, reviewer, client):
    version = published.lock_version
    outbox = _outbox()
    assert workflow.save(published, {"name": "新名称", "materials": [{"name": "户口簿"}]}, editor, version)
    db.session.refresh(published)
    assert (published.status, published.name) == ("published", "原名称")
    assert [row.name for row in published.materials] == ["身份证"]
    assert published.edition_status == "draft" and published.edition["name"] == "新名称"
    assert workflow.working_snapshot(published)["materials"][0]["name"] == "户口簿"
    assert client.get(f"/matters/{published.code}").status_code == 200
    assert _outbox() == outbox  # nothing for the search index until the edition is approved
    assert set(workflow.allowed_actions(published, editor)) == {"submit", "withdraw", "discard"}

    workflow.transition(published, "submit", editor)
    assert (published.status, published.edition_status) == ("published", "in_review")
    with pytest.raises(workflow.IllegalTransition):
        workflow.save(published, {"name": "再改"}, editor, published.lock_version)
    page = client.get(f"/matters/{published.code}")
    assert page.status_code == 200 and "原名称" in page.text

    workflow.transition(published, "reject", reviewer, comment="名称不规范")
    assert published.edition_status == "draft"
    workflow.save(published, {"name": "规范名称"}, editor, published.lock_version)
    workflow.transition(published, "submit", editor)
    workflow.transition(published, "approve", reviewer)
    db.session.refresh(published)
    assert (published.status, published.name, published.edition_status, published.edition) == (
        "published", "规范名称", None, None)
    assert [row.name for row in published.materials] == ["户口簿"]
    assert "规范名称" in client.get(f"/matters/{published.code}").text
    assert _outbox() == outbox + 1
    versions = db.session.scalars(db.select(MatterVersion).where(MatterVersion.matter_id == published.id)
                                  .order_by(MatterVersion.version)).all()
    assert versions[-1].status == "published" and versions[-1].snapshot["name"] == "规范名称"
    assert "draft" in [version.status for version in versions]


def test_discarding_an_edition_leaves_the_live_content(published, editor):
    workflow.save(published, {"name": "不要了"}, editor, published.lock_version)
    workflow.transition(published, "discard", editor)
    db.session.refresh(published)
    assert (published.status, published.name, published.edition) == ("published", "原名称", None)
    assert "discard" not in workflow.allowed_actions(published, editor)
    with pytest.raises(workflow.IllegalTransition):
        workflow.transition(published, "discard", editor)


def test_withdraw_takes_it_down_and_keeps_the_newest_work(published, editor):
    workflow.save(published, {"name": "修改中"}, editor, published.lock_version)
    workflow.transition(published, "withdraw", editor)
    db.session.refresh(published)
    assert (published.status, published.name, published.edition) == ("withdrawn", "修改中", None)
    assert db.session.scalars(db.select(SearchOutbox.operation).order_by(SearchOutbox.id.desc())).first() == "delete"


def test_scheduled_edition_is_published_when_due(published, editor, reviewer):
    workflow.save(published, {"name": "定时新名称"}, editor, published.lock_version)
    workflow.transition(published, "submit", editor)
    workflow.transition(published, "approve", reviewer, publish_at=utcnow() + timedelta(hours=1))
    assert (published.name, published.edition_status) == ("原名称", "in_review")
    assert workflow.publish_due(utcnow()) == 0
    assert workflow.publish_due(utcnow() + timedelta(hours=2)) == 1
    db.session.refresh(published)
    assert (published.name, published.edition_status, published.scheduled_publish_at) == ("定时新名称", None, None)


def test_four_eyes_apply_to_editions(published, reviewer):
    workflow.save(published, {"name": "自己改"}, reviewer, published.lock_version)
    workflow.transition(published, "submit", reviewer)
    assert "approve" not in workflow.allowed_actions(published, reviewer)
    with pytest.raises(workflow.NotPermitted):
        workflow.transition(published, "approve", reviewer)


def test_edition_changes_are_audited(published, editor):
    workflow.save(published, {"name": "审计"}, editor, published.lock_version)
    row = db.session.scalars(db.select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert row.action == "save" and row.after["name"] == "审计" and row.before["name"] == "原名称"

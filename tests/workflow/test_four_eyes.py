"""Four eyes (issue 11, item 6): whoever edited the version under review may not approve it, even when
someone else submitted it; admins may, and their audit row says so."""

import pytest

from portal import workflow
from portal.extensions import db
from portal.models import AuditLog

pytestmark = pytest.mark.integration


def test_a_reviewer_who_edited_may_not_approve_what_someone_else_submitted(matter, editor, reviewer, make_user,
                                                                          departments):
    workflow.save(matter, {"name": "审核人自己改的"}, reviewer, matter.lock_version)
    workflow.transition(matter, "submit", editor)
    assert "approve" not in workflow.allowed_actions(matter, reviewer)
    with pytest.raises(workflow.NotPermitted, match="自己编辑或提交"):
        workflow.transition(matter, "approve", reviewer)
    colleague = make_user("reviewer", department=departments[0])
    workflow.transition(matter, "approve", colleague)
    assert matter.status == "published"


def test_edits_before_the_last_publication_do_not_count(matter, editor, reviewer, make_user, departments):
    colleague = make_user("reviewer", department=departments[0])
    workflow.save(matter, {"name": "第一版"}, reviewer, matter.lock_version)
    workflow.transition(matter, "submit", editor)
    workflow.transition(matter, "approve", colleague)
    workflow.save(matter, {"name": "第二版"}, editor, matter.lock_version)  # a new edition, by the editor
    workflow.transition(matter, "submit", editor)
    assert "approve" in workflow.allowed_actions(matter, reviewer)
    workflow.transition(matter, "approve", reviewer)
    assert matter.name == "第二版"


def test_an_admin_may_approve_their_own_work_and_the_audit_says_so(matter, editor, make_user):
    admin = make_user("admin")
    workflow.save(matter, {"name": "管理员改的"}, admin, matter.lock_version)
    workflow.transition(matter, "submit", editor)
    workflow.transition(matter, "approve", admin)
    row = db.session.scalars(db.select(AuditLog).where(AuditLog.action == "approve")).one()
    assert row.after["admin_approved_own_work"] is True


def test_an_admin_approving_others_work_is_not_marked(matter, editor, make_user):
    admin = make_user("admin")
    workflow.transition(matter, "submit", editor)
    workflow.transition(matter, "approve", admin)
    row = db.session.scalars(db.select(AuditLog).where(AuditLog.action == "approve")).one()
    assert "admin_approved_own_work" not in row.after

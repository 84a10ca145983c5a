"""Stale answers (待复核): when a linked matter is published again with changed fields, its answers
are flagged with what changed, until an editor of the answer's department marks them reviewed.
An answer past its validity date counts as stale too (computed, no job needed)."""

from datetime import date

from flask_babel import gettext as _

from portal import audit
from portal.extensions import db
from portal.models import Answer, MatterVersion
from portal.models.base import STATUS_PUBLISHED, utcnow
from portal.permissions import can_manage_department
from portal.workflow import NotPermitted, compare, machine, take_snapshot


def previous_published_snapshot(matter):
    """The matter as it was last published before its current version, or None."""
    version = db.session.scalar(
        db.select(MatterVersion)
        .where(MatterVersion.matter_id == matter.id, MatterVersion.status == STATUS_PUBLISHED,
               MatterVersion.version < matter.lock_version)
        .order_by(MatterVersion.version.desc()).limit(1)
    )
    return version.snapshot if version else None


def matter_changes(matter, links=()):
    """[{"field", "before", "after"}] between the last publication and now (display lines)."""
    before = previous_published_snapshot(matter)
    if before is None:
        return []
    after = take_snapshot(matter, links)
    return [
        {"field": change.field, "before": change.before, "after": change.after}
        for change in compare(before, after) if change.changed
    ]


def flag_answers_of_changed_matter(kind, entity, actor):
    """Workflow hook: runs in the publishing transaction, so the flags commit with the change."""
    if kind.entity_type != "matter" or not entity.answers:
        return
    changes = matter_changes(entity, kind.links)
    if not changes:
        return
    entry = {"matter_id": entity.id, "code": entity.code, "name": entity.name, "at": utcnow().isoformat(),
             "changes": changes}
    for answer in entity.answers:
        reason = dict(answer.review_reason or {})
        reason["matters"] = [*reason.get("matters", []), entry]
        answer.review_reason = reason
        answer.needs_review = True
        audit.record(actor, "flag_stale", "answer", answer.id, after={"matter": entity.code,
                                                                      "fields": [c["field"] for c in changes]})


def clear_on_republished_answer(kind, entity, actor):
    """Workflow hook: a new version of a flagged answer, published by its department's reviewer
    (who sees the 待复核 notice on the edit page), counts as its review."""
    if kind.entity_type == "answer" and entity.needs_review:
        _clear(entity, actor)


def register():
    for hook in (flag_answers_of_changed_matter, clear_on_republished_answer):
        if hook not in machine.published_hooks:
            machine.published_hooks.append(hook)


def is_expired(answer, today=None):
    return answer.valid_until is not None and answer.valid_until < (today or date.today())


def is_stale(answer, today=None):
    return answer.needs_review or is_expired(answer, today)


def stale_condition(today=None):
    """The SQL side of is_stale()."""
    return db.or_(Answer.needs_review.is_(True), Answer.valid_until < (today or date.today()))


def stale_answers_query(department_id, today=None):
    return db.select(Answer).where(Answer.department_id == department_id, stale_condition(today)) \
        .order_by(Answer.updated_at.desc())


def mark_reviewed(answer, actor):
    """An editor of the answer's department confirms it still holds; clears the flag."""
    if not (can_manage_department(actor, answer.department_id) and actor.has_role("admin", "editor", "reviewer")):
        raise NotPermitted(_("您只能复核本部门的问答。"))
    if not answer.needs_review:
        return False
    _clear(answer, actor)
    db.session.commit()
    return True


def _clear(answer, actor):
    matters = [entry["code"] for entry in (answer.review_reason or {}).get("matters", [])]
    before = {"needs_review": True, "matters": matters}
    answer.needs_review = False
    answer.review_reason = None
    audit.record(actor, "review", "answer", answer.id, before=before, after={"needs_review": False})

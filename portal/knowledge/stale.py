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


def previous_published_version(matter):
    """The matter's version row as it was last published before its current version, or None."""
    return db.session.scalar(
        db.select(MatterVersion)
        .where(MatterVersion.matter_id == matter.id, MatterVersion.status == STATUS_PUBLISHED,
               MatterVersion.version < matter.lock_version)
        .order_by(MatterVersion.version.desc()).limit(1)
    )


def previous_published_snapshot(matter):
    """The matter as it was last published before its current version, or None."""
    version = previous_published_version(matter)
    return version.snapshot if version else None


def _changes(before, after):
    return [
        {"field": change.field, "before": change.before, "after": change.after}
        for change in compare(before, after) if change.changed
    ]


def matter_changes(matter, links=()):
    """[{"field", "before", "after"}] between the last publication and now (display lines)."""
    before = previous_published_snapshot(matter)
    if before is None:
        return []
    return _changes(before, take_snapshot(matter, links))


def flag_answers_of_changed_matter(kind, entity, actor):
    """Workflow hook: runs in the publishing transaction, so the flags commit with the change.

    Each flagged answer keeps one entry per matter, comparing the matter as it was when the answer
    was last known good (`since_version`, the publication before the first change) with now: a
    second change adds to the same entry instead of a second warning, and a matter changed back to
    what it was (a restore) takes its entry away — and the flag, when nothing else is left."""
    if kind.entity_type != "matter" or not entity.answers:
        return
    previous = previous_published_version(entity)
    if previous is None:
        return
    now = take_snapshot(entity, kind.links)
    for answer in entity.answers:
        reason = dict(answer.review_reason or {})
        entries = list(reason.get("matters", []))
        mine = [entry for entry in entries if entry.get("matter_id") == entity.id]
        others = [entry for entry in entries if entry.get("matter_id") != entity.id]
        since = next((entry["since_version"] for entry in mine if entry.get("since_version")), None)
        baseline = db.session.scalar(db.select(MatterVersion).where(
            MatterVersion.matter_id == entity.id, MatterVersion.version == since)) if since else None
        baseline = baseline or previous
        changes = _changes(baseline.snapshot, now)
        if changes:
            entry = {"matter_id": entity.id, "code": entity.code, "name": entity.name, "at": utcnow().isoformat(),
                     "since_version": baseline.version, "changes": changes}
            answer.review_reason = {**reason, "matters": [*others, entry]}
            answer.needs_review = True
            audit.record(actor, "flag_stale", "answer", answer.id,
                         after={"matter": entity.code, "fields": [change["field"] for change in changes]})
        elif mine:  # changed back to what the answer was written for
            if others:
                answer.review_reason = {**reason, "matters": others}
            else:
                answer.review_reason = None
                answer.needs_review = False
            audit.record(actor, "unflag_stale", "answer", answer.id, before={"matter": entity.code},
                         after={"needs_review": answer.needs_review})


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

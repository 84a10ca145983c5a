"""The editorial state machine shared by matters, answers and articles.

    draft ──submit──▶ in_review ──approve──▶ published ──withdraw──▶ withdrawn ──reopen──▶ draft
                          │  (approve with a future time: stays in review, scheduled;
                          │   publish_due() publishes it when the time comes)
                          └──reject (with a comment)──▶ draft

Editions: saving published content starts a new edition (a draft kept beside the record, in
`edition` / `edition_status`) while the published content stays live. The edition goes through
the same submit → approve / reject steps; approving it replaces the live content in one step,
`discard` drops it. Withdraw is only for taking the record down (a pending edition becomes the
withdrawn record's content, so no work is lost).

Every change is one transaction: the content, a version snapshot (numbered by lock_version),
an audit row and, for published content, a search outbox row. A change carrying an older
lock_version than the stored one is refused and nothing is written (optimistic locking).
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from portal import audit, outbox
from portal.extensions import db
from portal.models import AuditLog
from portal.models.base import STATUS_DRAFT, STATUS_IN_REVIEW, STATUS_PUBLISHED, STATUS_WITHDRAWN, utcnow
from portal.permissions import can_manage_department
from portal.workflow.kinds import KINDS, kind_of
from portal.workflow.snapshot import apply_snapshot, take_snapshot


class WorkflowError(Exception):
    """A refused editorial action; `message` is for the person who tried it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class IllegalTransition(WorkflowError):
    pass


class StaleEdit(WorkflowError):
    pass


class NotPermitted(WorkflowError):
    pass


@dataclass(frozen=True)
class Action:
    name: str
    sources: tuple  # statuses the action starts from
    target: str
    roles: tuple  # who may take it (admins always may), within their own department
    needs_comment: bool = False
    live: bool = False  # acts on the published record itself, not on a pending edition
    edition_only: bool = False  # only for a pending edition of published content


ACTIONS = {
    action.name: action for action in (
        Action("submit", (STATUS_DRAFT,), STATUS_IN_REVIEW, ("editor", "reviewer")),
        Action("approve", (STATUS_IN_REVIEW,), STATUS_PUBLISHED, ("reviewer",)),
        Action("reject", (STATUS_IN_REVIEW,), STATUS_DRAFT, ("reviewer",), needs_comment=True),
        Action("withdraw", (STATUS_PUBLISHED,), STATUS_WITHDRAWN, ("editor", "reviewer"), live=True),
        Action("reopen", (STATUS_WITHDRAWN,), STATUS_DRAFT, ("editor", "reviewer"), live=True),
        Action("discard", (STATUS_DRAFT,), STATUS_PUBLISHED, ("editor", "reviewer"), edition_only=True),
    )
}
# Called as hook(kind, entity, actor) inside the transaction whenever published content changes
# (approval, scheduled publication or a reviewer's correction); other areas register here, e.g.
# the hotline flags answers whose linked matter changed.
published_hooks = []

# Who may save content in each (working) status: drafts by their editors; saving published content
# starts a new edition (a draft beside the live content); content in review and withdrawn content
# is frozen until it moves on.
SAVE_ROLES = {STATUS_DRAFT: ("editor", "reviewer"), STATUS_PUBLISHED: ("editor", "reviewer")}


def status_label(status):
    return {
        STATUS_DRAFT: _("草稿"), STATUS_IN_REVIEW: _("待审核"), STATUS_PUBLISHED: _("已发布"),
        STATUS_WITHDRAWN: _("已撤回"),
    }.get(status, status)


def action_label(name):
    return {
        "create": _("新建"), "save": _("保存"), "restore": _("恢复版本"), "submit": _("提交审核"),
        "approve": _("审核通过并发布"), "schedule": _("审核通过，定时发布"), "publish": _("定时发布"),
        "reject": _("退回修改"), "withdraw": _("撤回（下线）"), "reopen": _("重新编辑"),
        "discard": _("放弃修改稿"),
    }.get(name, name)


def has_edition(entity):
    """Whether published `entity` has a new edition being edited or reviewed."""
    return entity.status == STATUS_PUBLISHED and entity.edition_status is not None


def working_status(entity):
    """The status of what editors work on: the pending edition's, else the record's."""
    return entity.edition_status if has_edition(entity) else entity.status


def working_snapshot(entity):
    """The content editors see in the form: the pending edition, else the record's own content."""
    if has_edition(entity):
        return dict(entity.edition)
    return take_snapshot(entity, kind_of(entity).links)


def _applies(action, entity):
    if action.edition_only and not has_edition(entity):
        return False
    return (entity.status if action.live else working_status(entity)) in action.sources


def allowed_actions(entity, user):
    """The transitions `user` may take on `entity` now (for showing buttons)."""
    return [
        action.name for action in ACTIONS.values()
        if _applies(action, entity) and _may(user, entity, action.roles)
        and not (action.name == "approve" and _approves_own_submission(entity, user))
    ]


def can_save(entity, user):
    return _may(user, entity, SAVE_ROLES.get(working_status(entity), ()))


def _may(user, entity, roles):
    if user is None:  # the scheduler publishing what a reviewer already approved
        return True
    return can_manage_department(user, entity.department_id) and user.has_role("admin", *roles)


def _approves_own_submission(entity, user):
    """Four eyes: whoever edited or submitted the version under review does not approve it (admins
    excepted; transition() marks an admin's approval of their own work in the audit row)."""
    return user is not None and not user.has_role("admin") and _worked_on_version_under_review(entity, user)


def _worked_on_version_under_review(entity, user):
    """Whether `user` created, saved, restored or submitted `entity` since it was last published."""
    if user is None:
        return False
    rows = (AuditLog.entity_type == kind_of(entity).entity_type, AuditLog.entity_id == str(entity.id))
    last_published = db.select(db.func.max(AuditLog.id)).where(
        *rows, AuditLog.action.in_(("approve", "publish"))).scalar_subquery()
    return db.session.scalar(db.select(AuditLog.id).where(
        *rows, AuditLog.actor_id == user.id, AuditLog.action.in_(("create", "save", "restore", "submit")),
        AuditLog.id > db.func.coalesce(last_published, 0),
    ).limit(1)) is not None


def create(model, data, actor, department_id):
    """A new draft of `model` in `department_id` from snapshot-shaped `data` (version 1)."""
    kind = next(kind for kind in KINDS.values() if kind.model is model)
    if not (can_manage_department(actor, department_id) and actor.has_role("admin", "editor", "reviewer")):
        raise NotPermitted(_("您只能为本部门新建内容。"))
    try:
        entity = model(department_id=department_id, status=STATUS_DRAFT, lock_version=1)
        apply_snapshot(entity, data, kind.links)
        db.session.add(entity)
        db.session.flush()
        after = _write_version(kind, entity, actor, None)
        audit.record(actor, "create", kind.entity_type, entity.id, before=None, after=after)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return entity


def save(entity, data, actor, expected_version, comment=None, action="save"):
    """Apply snapshot-shaped `data` to `entity`. Returns False when nothing changed."""
    kind = kind_of(entity)
    if working_status(entity) not in SAVE_ROLES:
        raise IllegalTransition(_("“%(status)s”状态的内容不能修改。", status=status_label(working_status(entity))))
    if not can_save(entity, actor):
        raise NotPermitted(_("您没有权限修改此内容（只能修改本部门的内容）。"))
    if entity.status == STATUS_PUBLISHED:
        return _save_edition(kind, entity, data, actor, expected_version, comment, action)
    try:
        before = take_snapshot(entity, kind.links)
        _claim(kind, entity, expected_version)
        _keep_baseline(kind, entity, expected_version, entity.status, before)
        apply_snapshot(entity, data, kind.links)
        after = take_snapshot(entity, kind.links)
        if after == before:
            db.session.rollback()
            return False
        _write_version(kind, entity, actor, comment, after)
        audit.record(actor, action, kind.entity_type, entity.id, before=before, after=after, comment=comment)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return True


def _save_edition(kind, entity, data, actor, expected_version, comment, action):
    """Saving published content: the change goes into its edition; the live content is untouched."""
    try:
        before = working_snapshot(entity)
        _claim(kind, entity, expected_version)
        _keep_baseline(kind, entity, expected_version, entity.status)
        after = _merged_snapshot(kind, before, data)
        if after == before:
            db.session.rollback()
            return False
        entity.edition = after
        entity.edition_status = entity.edition_status or STATUS_DRAFT
        _write_version(kind, entity, actor, comment, after, status=entity.edition_status)
        audit.record(actor, action, kind.entity_type, entity.id, before=before, after=after, comment=comment)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return True


def _merged_snapshot(kind, base, data):
    """`base` (a snapshot) with the fields present in `data` applied, in snapshot form: built on a
    stand-in record that never joins the session, so the live record stays as it is."""
    stand_in = kind.model()
    plain = {key: value for key, value in base.items() if key not in kind.links}
    apply_snapshot(stand_in, plain)
    apply_snapshot(stand_in, {key: value for key, value in data.items() if key not in kind.links})
    merged = take_snapshot(stand_in)
    for key in kind.links:
        merged[key] = sorted(data[key] or []) if key in data else list(base.get(key) or [])
    return merged


def restore(entity, version_number, actor, expected_version):
    """Save the content of an earlier version as the newest one (history is kept, never rewritten)."""
    version = find_version(entity, version_number)
    if version is None:
        raise WorkflowError(_("版本 %(number)s 不存在。", number=version_number))
    return save(entity, version.snapshot, actor, expected_version,
                comment=_("恢复到版本 %(number)s", number=version_number), action="restore")


def transition(entity, action_name, actor, expected_version=None, comment=None, publish_at=None):
    """Take a workflow action. `publish_at` (naive UTC) on approve schedules publication instead."""
    kind = kind_of(entity)
    action = ACTIONS.get(action_name)
    if action is None:
        raise IllegalTransition(_("未知的操作。"))
    if not _applies(action, entity):
        raise IllegalTransition(_(
            "“%(status)s”状态的内容不能执行“%(action)s”。",
            status=status_label(working_status(entity)), action=action_label(action_name),
        ))
    if not _may(actor, entity, action.roles):
        raise NotPermitted(_("您没有权限对此内容执行“%(action)s”。", action=action_label(action_name)))
    # Read once: an admin's own work is approved (and marked in the audit row), anyone else's refused.
    admin_own_work = action_name == "approve" and _worked_on_version_under_review(entity, actor)
    if admin_own_work and not actor.has_role("admin"):
        raise NotPermitted(_("不能审核通过自己编辑或提交的内容，请由本部门其他审核人员审核。"))
    comment = (comment or "").strip() or None
    if action.needs_comment and not comment:
        raise WorkflowError(_("退回时请填写修改意见。"))
    now = utcnow()
    scheduled = action_name == "approve" and publish_at is not None and publish_at > now
    on_edition = has_edition(entity) and not action.live
    try:
        before = _state(entity)
        expected_version = entity.lock_version if expected_version is None else expected_version
        _claim(kind, entity, expected_version)
        _keep_baseline(kind, entity, expected_version, entity.status)
        published_content = False
        if scheduled:
            entity.scheduled_publish_at = publish_at
            audit_action = "schedule"
        else:
            entity.scheduled_publish_at = None
            audit_action = "publish" if actor is None else action_name
            if on_edition and action.target == STATUS_PUBLISHED:  # approve or discard the edition
                if action_name == "approve":
                    apply_snapshot(entity, entity.edition, kind.links)
                    entity.published_at = now
                    published_content = True
                entity.edition, entity.edition_status = None, None
            elif on_edition:  # submit or reject the edition
                entity.edition_status = action.target
            else:
                if has_edition(entity):  # withdrawn: the newest work becomes the record's content
                    apply_snapshot(entity, entity.edition, kind.links)
                    entity.edition, entity.edition_status = None, None
                entity.status = action.target
                if action.target == STATUS_PUBLISHED:
                    entity.published_at = now
                    published_content = True
        if has_edition(entity):
            _write_version(kind, entity, actor, comment, dict(entity.edition), status=entity.edition_status)
        else:
            _write_version(kind, entity, actor, comment)
        after = _state(entity) | ({"admin_approved_own_work": True} if admin_own_work else {})
        audit.record(actor, audit_action, kind.entity_type, entity.id, before=before, after=after, comment=comment)
        if published_content:
            outbox.enqueue(kind.entity_type, entity.id, "upsert", entity.lock_version)
            _run_published_hooks(kind, entity, actor)
        elif entity.status == STATUS_WITHDRAWN:
            outbox.enqueue(kind.entity_type, entity.id, "delete", entity.lock_version)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return entity


def publish_due(now=None):
    """Publish every approved record whose scheduled time has come; returns how many.
    Called by `flask workflow publish-due` and by the search sync worker's loop."""
    now = now or utcnow()
    published = 0
    for kind in KINDS.values():
        model = kind.model
        due = db.session.scalars(
            db.select(model).where(
                db.or_(model.status == STATUS_IN_REVIEW,
                       db.and_(model.status == STATUS_PUBLISHED, model.edition_status == STATUS_IN_REVIEW)),
                model.scheduled_publish_at <= now,
            )
        ).all()
        for entity in due:
            try:
                transition(entity, "approve", None)
            except StaleEdit:
                continue  # changed meanwhile (e.g. rejected); the next run looks again
            published += 1
    return published


def _run_published_hooks(kind, entity, actor):
    for hook in published_hooks:
        hook(kind, entity, actor)


def published_version(entity):
    """The version row of the content now live (the newest published one), or None for a record
    published as imported that no editor has published since."""
    kind = kind_of(entity)
    version_model = kind.version_model
    return db.session.scalar(
        db.select(version_model).where(getattr(version_model, kind.version_parent_key) == entity.id,
                                       version_model.status == STATUS_PUBLISHED)
        .order_by(version_model.version.desc()).limit(1)
    )


def find_version(entity, number):
    kind = kind_of(entity)
    version_model = kind.version_model
    return db.session.scalar(db.select(version_model).where(
        getattr(version_model, kind.version_parent_key) == entity.id, version_model.version == number,
    ))


def _claim(kind, entity, expected_version):
    """Compare-and-set lock_version in the database; refuse when someone saved in between."""
    table = kind.model.__table__
    result = db.session.execute(
        table.update()
        .where(table.c.id == entity.id, table.c.lock_version == expected_version)
        .values(lock_version=table.c.lock_version + 1)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise StaleEdit(_(
            "保存失败：此内容已被他人修改（您编辑的是第 %(yours)s 版）。为避免覆盖他人的修改，"
            "您的更改没有保存。请重新打开最新版本后再修改。", yours=expected_version,
        ))
    set_committed_value(entity, "lock_version", expected_version + 1)


def _keep_baseline(kind, entity, number, status, snapshot=None):
    """Records made before the workflow saw them (seeded ones) get their first state kept as a version."""
    if find_version(entity, number) is None:
        db.session.add(kind.version_model(**{
            kind.version_parent_key: entity.id, "version": number, "status": status,
            "snapshot": snapshot if snapshot is not None else take_snapshot(entity, kind.links),
        }))


def _write_version(kind, entity, actor, comment, snapshot=None, status=None):
    snapshot = snapshot if snapshot is not None else take_snapshot(entity, kind.links)
    db.session.add(kind.version_model(**{
        kind.version_parent_key: entity.id, "version": entity.lock_version, "status": status or entity.status,
        "snapshot": snapshot, "comment": comment, "author_id": getattr(actor, "id", None),
    }))
    return snapshot


def _state(entity):
    """The workflow state for audit rows."""
    state = {"status": entity.status, "scheduled_publish_at": _iso(entity.scheduled_publish_at)}
    if entity.edition_status:
        state["edition_status"] = entity.edition_status
    return state


def _iso(value):
    return value.isoformat() if value else None

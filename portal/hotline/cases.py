"""The call log and hand-offs (工单): an operator records a call and may hand it to a department;
department staff acknowledge and reply within time limits in working days; the operator closes it.

Callers' phone numbers are stored for the call back but never written to audit rows or logs, and
shown masked except to the staff member the hand-off is assigned to.
"""

from datetime import timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _

from portal import audit
from portal.extensions import db
from portal.hotline.workdays import add_working_days
from portal.hotline_import import load_taxonomy
from portal.knowledge.masking import mask_personal_data, mask_phone
from portal.models import CallLog, HandOff
from portal.models.base import utcnow
from portal.permissions import can_manage_department
from portal.workflow import NotPermitted, WorkflowError

ACKNOWLEDGE_WORKING_DAYS = 1
REPLY_WORKING_DAYS = 5
# Working days are counted on the hotline's calendar (Beijing time); times are stored in UTC.
BEIJING = timedelta(hours=8)


def due_after(now, working_days):
    return add_working_days(now + BEIJING, working_days) - BEIJING


def handoff_status_label(status):
    return {"open": _("待签收"), "acknowledged": _("办理中"), "replied": _("已答复"), "closed": _("已办结")}.get(
        status, status)


def outcome_label(outcome):
    return {"resolved": _("已解答"), "handed_off": _("转交部门"), "other": _("其他")}.get(outcome, outcome)


def log_call(operator, category, summary, outcome, caller_phone=None, answer=None, matter=None,
             department_id=None):
    """One call, and its hand-off when handed off, in one transaction."""
    now = utcnow()
    # Numbers a caller gives (phone, ID card) are masked in the free text before it is stored or shown to
    # department staff; the caller's number for a call-back has its own field.
    summary = mask_personal_data(summary)
    call = CallLog(operator_id=operator.id, at=now, category=category, summary=summary, outcome=outcome,
                   caller_phone=caller_phone or None, answer_id=getattr(answer, "id", None),
                   matter_id=getattr(matter, "id", None))
    db.session.add(call)
    if outcome == "handed_off":
        call.handoff = HandOff(
            department_id=department_id, status="open", created_at=now,
            acknowledge_due=due_after(now, ACKNOWLEDGE_WORKING_DAYS),
            reply_due=due_after(now, REPLY_WORKING_DAYS),
        )
    db.session.flush()
    if call.handoff is not None:
        audit.record(operator, "hand_off", "handoff", call.handoff.id,
                     after={"department_id": department_id, "call_id": call.id})
    db.session.commit()
    return call


def is_department_staff(user, handoff):
    return user.has_role("editor", "reviewer") and can_manage_department(user, handoff.department_id)


def can_view(user, handoff):
    return user.has_role("admin", "operator") or is_department_staff(user, handoff)


def shown_phone(handoff, user):
    """The caller's number in full for the assigned staff member, masked (138****1234) for everyone else."""
    phone = handoff.call.caller_phone
    if not phone:
        return ""
    return phone if handoff.assignee_id is not None and handoff.assignee_id == user.id else mask_phone(phone)


def _require_staff(user, handoff):
    if not is_department_staff(user, handoff):
        raise NotPermitted(_("只有承办部门的工作人员可以处理此工单。"))


def _change(handoff, actor, action, allowed, **values):
    if handoff.status not in allowed:
        raise WorkflowError(_("工单当前状态为“%(status)s”，不能执行此操作。",
                              status=handoff_status_label(handoff.status)))
    before = {"status": handoff.status}
    for name, value in values.items():
        setattr(handoff, name, value)
    audit.record(actor, action, "handoff", handoff.id, before=before, after={"status": handoff.status})
    db.session.commit()
    return handoff


def acknowledge(handoff, staff):
    """签收: the staff member takes the case and becomes its assignee."""
    _require_staff(staff, handoff)
    return _change(handoff, staff, "acknowledge", ("open",), status="acknowledged",
                   acknowledged_at=utcnow(), assignee_id=staff.id)


def reply(handoff, staff, text):
    _require_staff(staff, handoff)
    now = utcnow()
    return _change(handoff, staff, "reply", ("open", "acknowledged"), status="replied", reply=text, replied_at=now,
                   acknowledged_at=handoff.acknowledged_at or now, assignee_id=handoff.assignee_id or staff.id)


def close(handoff, operator):
    """The operator who logged the call (or an administrator) closes it once the department replied."""
    if not (operator.has_role("admin") or handoff.call.operator_id == operator.id):
        raise NotPermitted(_("只有登记此来电的话务员可以办结工单。"))
    return _change(handoff, operator, "close", ("replied",), status="closed", closed_at=utcnow())


def overdue_condition(now=None):
    now = now or utcnow()
    return db.or_(
        db.and_(HandOff.status == "open", HandOff.acknowledge_due < now),
        db.and_(HandOff.status.in_(("open", "acknowledged")), HandOff.reply_due < now),
    )


def is_overdue(handoff, now=None):
    now = now or utcnow()
    return (handoff.status == "open" and handoff.acknowledge_due < now) or (
        handoff.status in ("open", "acknowledged") and handoff.reply_due < now)


def department_queue(department_id):
    return db.session.scalars(
        db.select(HandOff).where(HandOff.department_id == department_id, HandOff.status != "closed")
        .order_by(HandOff.reply_due)
    ).all()


def overdue_handoffs():
    return db.session.scalars(db.select(HandOff).where(overdue_condition()).order_by(HandOff.reply_due)).all()


def replied_to(operator):
    """Hand-offs of this operator's calls that the department answered: to call back and close."""
    return db.session.scalars(
        db.select(HandOff).join(CallLog).where(CallLog.operator_id == operator.id, HandOff.status == "replied")
        .order_by(HandOff.replied_at)
    ).all()


def calls_of(operator, limit=50):
    return db.session.scalars(
        db.select(CallLog).where(CallLog.operator_id == operator.id).order_by(CallLog.at.desc()).limit(limit)
    ).all()


@lru_cache(maxsize=4)
def _taxonomy_categories(path):
    try:
        return tuple(dict.fromkeys(first for first, _second, _third in load_taxonomy(path)))
    except OSError:
        return ()


def call_categories():
    """The first level of the hotline's category tree, then 其他."""
    path = str(current_app.config["SHARED_DATA_DIR"] / "hotline" / "category_taxonomy.jsonl")
    return [*_taxonomy_categories(path), _("其他")]

"""The life of a message after it is written: the 12345 centre routes it, the department signs for
it (签收), replies within the time limit (one extension, 延期, with a reason), or transfers it (转办);
a second member of staff approves the reply (four eyes) before the citizen sees it; the citizen
rates it, and 不满意 reopens it once. Every step is one transaction with its audit row.

Time limits are counted in working days on Beijing's calendar (weekends skipped; statutory holidays
are not in the data) from configuration: `INTERACTION_ACCEPT_WORKING_DAYS`,
`INTERACTION_REPLY_WORKING_DAYS` per kind. No text and no phone number goes into audit rows.
"""

from flask import current_app
from flask_babel import gettext as _

from portal import audit, outbox
from portal.extensions import db
from portal.hotline.cases import due_after
from portal.knowledge.masking import mask_personal_data
from portal.models import Message, MessageReply, utcnow
from portal.permissions import can_manage_department
from portal.workflow import NotPermitted, WorkflowError

OPEN_STATUSES = ("assigned", "accepted", "reviewing")


def _reply_days(kind):
    return current_app.config["INTERACTION_REPLY_WORKING_DAYS"].get(kind, 15)


def _require_status(message, *allowed):
    if message.status not in allowed:
        from portal.interaction.service import status_label

        raise WorkflowError(_("留言当前状态为“%(status)s”，不能执行此操作。", status=status_label(message.status)))


def _record(actor, action, message, before, **after):
    audit.record(actor, action, "message", message.id, before={"status": before},
                 after={"status": message.status, **after})


def is_centre(user):
    return user.is_authenticated and user.has_role("operator", "admin")


def is_department_staff(user, message):
    return (message.department_id is not None and user.is_authenticated and user.has_role("editor", "reviewer")
            and can_manage_department(user, message.department_id)) or (user.is_authenticated
                                                                        and user.has_role("admin"))


def _require_staff(user, message):
    if not is_department_staff(user, message):
        raise NotPermitted(_("只有承办部门的工作人员可以处理此留言。"))


def route(message, operator, department, category):
    """分办: the centre sends a message to a department, with its category; the clocks start."""
    if not is_centre(operator):
        raise NotPermitted(_("只有 12345 中心可以分办留言。"))
    _require_status(message, "submitted")
    now = utcnow()
    before = message.status
    message.department_id, message.category, message.status = department.id, category, "assigned"
    message.assigned_at = now
    message.accept_due = due_after(now, current_app.config["INTERACTION_ACCEPT_WORKING_DAYS"])
    message.reply_due = due_after(now, _reply_days(message.kind))
    _record(operator, "route", message, before, department_id=department.id, category=category)
    db.session.commit()
    return message


def accept(message, staff):
    """签收: a member of the department's staff takes it."""
    _require_staff(staff, message)
    _require_status(message, "assigned")
    before = message.status
    message.status, message.accepted_at, message.assignee_id = "accepted", utcnow(), staff.id
    _record(staff, "accept", message, before)
    db.session.commit()
    return message


def extend(message, staff, reason):
    """延期: once per message, with a reason, by the reply limit of its kind again."""
    _require_staff(staff, message)
    _require_status(message, "assigned", "accepted")
    if message.extended_at is not None:
        raise WorkflowError(_("每条留言只能延期一次。"))
    if not (reason or "").strip():
        raise WorkflowError(_("请填写延期理由。"))
    now = utcnow()
    message.extended_at, message.extension_reason = now, reason.strip()
    message.reply_due = due_after(max(message.reply_due or now, now), _reply_days(message.kind))
    _record(staff, "extend", message, message.status, reply_due=message.reply_due.isoformat())
    db.session.commit()
    return message


def transfer(message, staff, department=None, reason=""):
    """转办: back to the centre (no department) or to another department, whose clocks start afresh."""
    _require_staff(staff, message)
    _require_status(message, "assigned", "accepted")
    if not (reason or "").strip():
        raise WorkflowError(_("请填写转办理由。"))
    if department is not None and department.id == message.department_id:
        raise WorkflowError(_("不能转办给本部门。"))
    before, origin = message.status, message.department_id
    message.assignee_id = message.accepted_at = None
    if department is None:
        message.status, message.department_id = "submitted", None
        message.assigned_at = message.accept_due = message.reply_due = None
    else:
        now = utcnow()
        message.status, message.department_id, message.assigned_at = "assigned", department.id, now
        message.accept_due = due_after(now, current_app.config["INTERACTION_ACCEPT_WORKING_DAYS"])
        message.reply_due = due_after(now, _reply_days(message.kind))
    audit.record(staff, "transfer", "message", message.id, before={"status": before, "department_id": origin},
                 after={"status": message.status, "department_id": message.department_id},
                 comment=reason.strip())
    db.session.commit()
    return message


def submit_reply(message, staff, text, unit_name=None):
    """The draft reply goes to review; the message waits for a second member of staff."""
    _require_staff(staff, message)
    _require_status(message, "assigned", "accepted")
    if not (text or "").strip():
        raise WorkflowError(_("请填写答复内容。"))
    before = message.status
    now = utcnow()
    reply = MessageReply(body=text.strip(), public_body=mask_personal_data(text.strip()), author_id=staff.id,
                         unit_name=unit_name or (message.department.name if message.department else None),
                         status="in_review", submitted_at=now)
    message.replies.append(reply)
    message.status = "reviewing"
    message.accepted_at = message.accepted_at or now
    message.assignee_id = message.assignee_id or staff.id
    db.session.flush()
    _record(staff, "submit_reply", message, before, reply_id=reply.id)
    db.session.commit()
    return reply


def knowledge_draft(message, staff):
    """One action: a public message and its reply become a draft knowledge item (question, public
    answer from the masked copies) of the message's department, for editors to turn into reusable
    knowledge through the editorial workflow."""
    from portal import workflow
    from portal.knowledge.importer import paragraphs
    from portal.models import Answer

    replies = message.approved_replies
    if not message.is_public or not replies:
        raise WorkflowError(_("只有已公开并已答复的留言可以转为知识库草稿。"))
    payload = {
        "question": message.public_title, "phrasings": [message.public_title],
        "public_answer": paragraphs(replies[-1].public_body),
        "internal_note": _("来源：政民互动留言 #%(id)s（已脱敏）：%(text)s", id=message.id, text=message.public_body),
        "category": message.category, "valid_until": None, "matters": [],
    }
    answer = workflow.create(Answer, payload, staff, message.department_id)
    audit.record(staff, "knowledge_draft", "message", message.id, after={"answer_id": answer.id})
    db.session.commit()
    return answer


def pending_reply(message):
    return next((reply for reply in message.replies if reply.status == "in_review"), None)


def approve_reply(message, reviewer):
    """审核通过: someone other than the reply's author (four eyes; admins excepted) sends it."""
    _require_staff(reviewer, message)
    _require_status(message, "reviewing")
    reply = pending_reply(message)
    if reply.author_id == reviewer.id and not reviewer.has_role("admin"):
        raise NotPermitted(_("答复须由另一名工作人员审核，不能审核自己写的答复。"))
    now = utcnow()
    reply.status, reply.reviewer_id, reply.reviewed_at = "approved", reviewer.id, now
    before = message.status
    message.status, message.replied_at = "replied", now
    message.first_replied_at = message.first_replied_at or now
    if message.publishable:
        message.published_at = message.published_at or now
        message.lock_version += 1
        outbox.enqueue("message", message.id, "upsert", message.lock_version)
    _record(reviewer, "approve_reply", message, before, reply_id=reply.id)
    db.session.commit()
    return reply


def return_reply(message, reviewer, comment):
    """退回修改: the draft goes back to the department with a comment."""
    _require_staff(reviewer, message)
    _require_status(message, "reviewing")
    if not (comment or "").strip():
        raise WorkflowError(_("退回时请填写意见。"))
    reply = pending_reply(message)
    reply.status, reply.reviewer_id, reply.reviewed_at = "returned", reviewer.id, utcnow()
    reply.review_comment = comment.strip()
    before = message.status
    message.status = "accepted"
    _record(reviewer, "return_reply", message, before, reply_id=reply.id)
    db.session.commit()
    return reply


def rate(message, citizen, rating):
    """The writer rates the reply once per reply round; 不满意 reopens the message once."""
    if message.author_id != citizen.id:
        raise NotPermitted(_("只有留言人可以评价答复。"))
    _require_status(message, "replied")
    if message.rating is not None and message.reopened_at is None:
        raise WorkflowError(_("您已经评价过此答复。"))
    before = message.status
    now = utcnow()
    message.rating, message.rated_at = rating, now
    if rating == "dissatisfied" and message.reopened_at is None:
        message.status, message.reopened_at = "accepted", now
        message.reply_due = due_after(now, _reply_days(message.kind))
    else:
        message.status = "closed"
    _record(citizen, "rate", message, before, rating=rating)
    db.session.commit()
    return message


def can_rate(message, user):
    if not user.is_authenticated or message.author_id != user.id or message.status != "replied":
        return False
    return message.rating is None or message.reopened_at is not None and message.rated_at <= message.reopened_at


def overdue_condition(now=None):
    now = now or utcnow()
    return db.or_(
        db.and_(Message.status == "assigned", Message.accept_due < now),
        db.and_(Message.status.in_(OPEN_STATUSES), Message.reply_due < now),
    )


def is_overdue(message, now=None):
    now = now or utcnow()
    return bool((message.status == "assigned" and message.accept_due and message.accept_due < now) or (
        message.status in OPEN_STATUSES and message.reply_due and message.reply_due < now))


def centre_queue():
    return db.session.scalars(db.select(Message).where(Message.status == "submitted")
                              .order_by(Message.received_at)).all()


def overdue_messages(department_id=None):
    statement = db.select(Message).where(overdue_condition())
    if department_id is not None:
        statement = statement.where(Message.department_id == department_id)
    return db.session.scalars(statement.order_by(Message.reply_due)).all()


def department_queue(department_id):
    return db.session.scalars(db.select(Message).where(Message.department_id == department_id,
                                                       Message.status.in_(OPEN_STATUSES))
                              .order_by(Message.reply_due)).all()

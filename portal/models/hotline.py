"""12345 hotline: calls operators log, hand-offs (工单) to departments, answer use and feedback."""

from portal.extensions import db
from portal.models.base import utcnow

CALL_OUTCOMES = ("resolved", "handed_off", "other")
HANDOFF_STATUSES = ("open", "acknowledged", "replied", "closed")
FEEDBACK_KINDS = ("helpful", "outdated")


class CallLog(db.Model):
    """One call an operator took: what it was about and what was used to answer it."""

    __tablename__ = "hotline_calls"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    operator_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    category = db.Column(db.String(200), nullable=False)
    summary = db.Column(db.Text, nullable=False)
    # Kept for a call back; shown masked except to the department staff a hand-off is assigned to.
    caller_phone = db.Column(db.String(20))
    answer_id = db.Column(db.Integer, db.ForeignKey("answers.id", ondelete="SET NULL"), index=True)
    matter_id = db.Column(db.Integer, db.ForeignKey("matters.id", ondelete="SET NULL"), index=True)
    outcome = db.Column(db.String(16), nullable=False)

    operator = db.relationship("User")
    answer = db.relationship("Answer")
    matter = db.relationship("Matter")
    handoff = db.relationship("HandOff", back_populates="call", uselist=False)


class HandOff(db.Model):
    """A case handed to a department's queue (工单), with time limits in working days."""

    __tablename__ = "hotline_handoffs"

    id = db.Column(db.Integer, primary_key=True)
    call_id = db.Column(db.Integer, db.ForeignKey("hotline_calls.id", ondelete="CASCADE"), nullable=False,
                        unique=True)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=False, index=True)
    status = db.Column(db.String(16), nullable=False, default="open", index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    acknowledge_due = db.Column(db.DateTime, nullable=False)
    reply_due = db.Column(db.DateTime, nullable=False)
    acknowledged_at = db.Column(db.DateTime)
    assignee_id = db.Column(db.Integer, db.ForeignKey("users.id"))  # the staff member who took it
    replied_at = db.Column(db.DateTime)
    reply = db.Column(db.Text)
    closed_at = db.Column(db.DateTime)

    call = db.relationship("CallLog", back_populates="handoff")
    department = db.relationship("Department")
    assignee = db.relationship("User")


class AnswerUse(db.Model):
    """An operator opened an answer in the console: feeds 'recently used' and 'most used today'."""

    __tablename__ = "hotline_answer_uses"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    answer_id = db.Column(db.Integer, db.ForeignKey("answers.id", ondelete="CASCADE"), nullable=False, index=True)
    operator_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)


class AnswerFeedback(db.Model):
    """An operator's mark on an answer: helpful, or outdated (editors see the counts)."""

    __tablename__ = "answer_feedback"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    answer_id = db.Column(db.Integer, db.ForeignKey("answers.id", ondelete="CASCADE"), nullable=False, index=True)
    operator_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    kind = db.Column(db.String(16), nullable=False)

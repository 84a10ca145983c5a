"""政民互动: citizens' messages (留言, 领导信箱, online 12345 requests) and the departments' replies.

A message keeps what its author wrote (`title`, `body`) for the staff who handle it, and a masked
copy (`public_title`, `public_body`) for anything shown publicly; imported historical messages
are masked before they are stored at all. Replies go through review (four eyes) before they
reach the citizen; each one keeps a masked copy too.
"""

from portal.extensions import db
from portal.models.base import TimestampMixin, utcnow

MESSAGE_KINDS = ("consult", "help", "complaint", "suggestion", "leader")
# 待分办 (the 12345 centre routes it) → 待签收 → 办理中 → 答复审核中 → 已答复 → 已办结 (rated or closed).
MESSAGE_STATUSES = ("submitted", "assigned", "accepted", "reviewing", "replied", "closed")
RATINGS = ("satisfied", "basically_satisfied", "dissatisfied")
REPLY_STATUSES = ("in_review", "approved", "returned")


class Message(TimestampMixin, db.Model):
    __tablename__ = "interaction_messages"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(16), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    public_title = db.Column(db.String(200), nullable=False)
    public_body = db.Column(db.Text, nullable=False)
    leader_name = db.Column(db.String(100))  # 领导信箱: the leader of the department site written to
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), index=True)  # None for imported messages
    contact_phone = db.Column(db.String(20))  # shown masked; never logged or audited
    requested_department_id = db.Column(db.Integer, db.ForeignKey("departments.id"))  # None: 不确定
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), index=True)
    category = db.Column(db.String(200), index=True)  # 一级/二级/三级
    suggested_category = db.Column(db.String(200))
    suggested_department_id = db.Column(db.Integer, db.ForeignKey("departments.id"))
    publishable = db.Column(db.Boolean, nullable=False, default=False)
    status = db.Column(db.String(16), nullable=False, default="submitted", index=True)
    historical = db.Column(db.Boolean, nullable=False, default=False)  # imported, replied before the portal
    source_ref = db.Column(db.String(40), unique=True)
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    assigned_at = db.Column(db.DateTime)
    accept_due = db.Column(db.DateTime)
    accepted_at = db.Column(db.DateTime)
    assignee_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    reply_due = db.Column(db.DateTime)
    extended_at = db.Column(db.DateTime)
    extension_reason = db.Column(db.Text)
    first_replied_at = db.Column(db.DateTime)  # the first reply that reached the citizen (statistics)
    replied_at = db.Column(db.DateTime)
    rating = db.Column(db.String(24))
    rated_at = db.Column(db.DateTime)
    reopened_at = db.Column(db.DateTime)  # 不满意 reopens a message once
    published_at = db.Column(db.DateTime, index=True)  # when it became publicly visible
    # Incremented on every change that shows publicly: the search index's external version.
    lock_version = db.Column(db.Integer, nullable=False, default=1)

    author = db.relationship("User", foreign_keys=[author_id])
    assignee = db.relationship("User", foreign_keys=[assignee_id])
    department = db.relationship("Department", foreign_keys=[department_id])
    requested_department = db.relationship("Department", foreign_keys=[requested_department_id])
    suggested_department = db.relationship("Department", foreign_keys=[suggested_department_id])
    replies = db.relationship("MessageReply", back_populates="message", order_by="MessageReply.id",
                              cascade="all, delete-orphan")

    @property
    def is_public(self):
        return self.publishable and self.published_at is not None

    @property
    def approved_replies(self):
        return [reply for reply in self.replies if reply.status == "approved"]


class MessageReply(db.Model):
    """A department's reply: written by one member of staff, approved by another before it is sent."""

    __tablename__ = "interaction_replies"

    id = db.Column(db.Integer, primary_key=True)
    message_id = db.Column(db.Integer, db.ForeignKey("interaction_messages.id", ondelete="CASCADE"), nullable=False,
                           index=True)
    body = db.Column(db.Text, nullable=False)
    public_body = db.Column(db.Text, nullable=False)
    unit_name = db.Column(db.String(200))  # the answering unit as the reply names it
    status = db.Column(db.String(16), nullable=False, default="in_review")
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    submitted_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    reviewer_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    reviewed_at = db.Column(db.DateTime)
    review_comment = db.Column(db.Text)

    message = db.relationship("Message", back_populates="replies")
    author = db.relationship("User", foreign_keys=[author_id])
    reviewer = db.relationship("User", foreign_keys=[reviewer_id])

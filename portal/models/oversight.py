"""Oversight of the department platforms: health-check history and the administrators' decisions
on the 僵尸/影子 report. The registry's own fields are columns of `platforms` (organisation.py)."""

from portal.extensions import db
from portal.models.base import TimestampMixin, utcnow


def N_(text):  # noqa: N802 - Babel's marker: stored as they are, translated where shown
    return text


PLATFORM_KINDS = {"service": N_("办事系统"), "website": N_("网站"), "mobile": N_("移动端")}
PLATFORM_STATUSES = {"active": N_("在用"), "integrating": N_("整合中"), "retired": N_("已下线")}

FINDING_ZOMBIE = "zombie"
FINDING_SHADOW = "shadow"
DECISIONS = {"keep": N_("保留"), "merge": N_("并入其他平台"), "retire": N_("限期下线")}
DECISION_OPEN = "open"
DECISION_DONE = "done"


class PlatformCheck(db.Model):
    """One probe of a platform's base URL by `flask platforms check`."""

    __tablename__ = "platform_checks"

    id = db.Column(db.Integer, primary_key=True)
    platform_id = db.Column(db.Integer, db.ForeignKey("platforms.id", ondelete="CASCADE"), nullable=False)
    checked_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    ok = db.Column(db.Boolean, nullable=False)
    method = db.Column(db.String(4))  # HEAD, or GET when HEAD was refused
    status_code = db.Column(db.Integer)
    latency_ms = db.Column(db.Integer)
    error = db.Column(db.String(200))  # a short reason: timeout, refused, DNS, TLS, HTTP 5xx
    tls_expires_at = db.Column(db.DateTime)

    platform = db.relationship("Platform")

    __table_args__ = (db.Index("ix_platform_checks_platform_at", "platform_id", "checked_at"),)


class PlatformDecision(TimestampMixin, db.Model):
    """What the administrators decided about a report candidate (keep / merge into X / retire by
    a date), tracked until it is carried out."""

    __tablename__ = "platform_decisions"

    id = db.Column(db.Integer, primary_key=True)
    platform_id = db.Column(db.Integer, db.ForeignKey("platforms.id", ondelete="CASCADE"), nullable=False,
                            index=True)
    finding = db.Column(db.String(10), nullable=False)  # zombie | shadow
    decision = db.Column(db.String(10), nullable=False)  # keep | merge | retire
    merge_into_id = db.Column(db.Integer, db.ForeignKey("platforms.id"))
    retire_by = db.Column(db.Date)
    note = db.Column(db.Text)
    status = db.Column(db.String(8), nullable=False, default=DECISION_OPEN, index=True)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    completed_at = db.Column(db.DateTime)

    platform = db.relationship("Platform", foreign_keys=[platform_id])
    merge_into = db.relationship("Platform", foreign_keys=[merge_into_id])
    decided_by = db.relationship("User")

"""Audit trail of editorial and administrative actions, and the outbox feeding the search index."""

from portal.extensions import db
from portal.models.base import utcnow


class AuditLog(db.Model):
    __tablename__ = "audit_log"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), index=True)
    actor_name = db.Column(db.String(100))  # username at the time, kept if the user record goes
    action = db.Column(db.String(50), nullable=False)  # create, update, submit, approve, reject, publish, …
    entity_type = db.Column(db.String(30), nullable=False)
    entity_id = db.Column(db.String(64), nullable=False)
    before = db.Column(db.JSON)
    after = db.Column(db.JSON)
    comment = db.Column(db.Text)
    request_id = db.Column(db.String(40))

    __table_args__ = (db.Index("ix_audit_log_entity", "entity_type", "entity_id"),)


class SearchOutbox(db.Model):
    """An index change written in the same transaction as the content change; `flask search sync` drains it."""

    __tablename__ = "search_outbox"

    id = db.Column(db.Integer, primary_key=True)
    entity_type = db.Column(db.String(20), nullable=False)  # matter | answer | article
    entity_id = db.Column(db.Integer, nullable=False)
    operation = db.Column(db.String(10), nullable=False)  # upsert | delete
    # External version for Elasticsearch, so an older change never overwrites a newer one.
    entity_version = db.Column(db.BigInteger, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_error = db.Column(db.Text)
    processed_at = db.Column(db.DateTime)

    __table_args__ = (db.Index("ix_search_outbox_pending", "processed_at", "next_attempt_at"),)


class LinkThrough(db.Model):
    """A click on 在线办理 (/go/<code>): no IP address or other personal data beyond the user id."""

    __tablename__ = "link_throughs"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    matter_id = db.Column(db.Integer, db.ForeignKey("matters.id", ondelete="CASCADE"), nullable=False, index=True)
    platform_id = db.Column(db.Integer, db.ForeignKey("platforms.id"))
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    # Who, as far as counting distinct visitors needs: a keyed hash of the day, the address and the
    # browser (portal/popularity.py), unreadable without the secret key and different every day.
    visitor = db.Column(db.String(16))
    by_staff = db.Column(db.Boolean, nullable=False, default=False)  # left out of popularity

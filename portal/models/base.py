"""Shared column sets for the portal's tables."""

from datetime import UTC, datetime

from sqlalchemy.orm import declared_attr

from portal.extensions import db


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


class TimestampMixin:
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


# Editorial workflow states shared by matters, answers and articles.
STATUS_DRAFT = "draft"
STATUS_IN_REVIEW = "in_review"
STATUS_PUBLISHED = "published"
STATUS_WITHDRAWN = "withdrawn"
STATUSES = (STATUS_DRAFT, STATUS_IN_REVIEW, STATUS_PUBLISHED, STATUS_WITHDRAWN)


class EditorialMixin(TimestampMixin):
    """Workflow status plus the row version used for optimistic locking and versioned index writes."""

    status = db.Column(db.String(16), nullable=False, default=STATUS_DRAFT, index=True)
    # Incremented on every saved change; a save carrying an older value is refused.
    lock_version = db.Column(db.Integer, nullable=False, default=1)
    published_at = db.Column(db.DateTime)
    # With a published record: when its pending edition is approved for a later time.
    scheduled_publish_at = db.Column(db.DateTime)
    # A new edition of published content (GOV.UK publisher style): its snapshot and its own status
    # (draft or in_review) while the published content stays live; None when there is none.
    edition_status = db.Column(db.String(16))
    edition = db.Column(db.JSON)



class VersionSnapshotMixin:
    """One saved state of an editorial record (matter, answer, article) with its child lists."""

    id = db.Column(db.Integer, primary_key=True)
    version = db.Column(db.Integer, nullable=False)
    status = db.Column(db.String(16), nullable=False)
    snapshot = db.Column(db.JSON, nullable=False)
    comment = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    @declared_attr
    def author_id(cls):
        return db.Column(db.Integer, db.ForeignKey("users.id"))

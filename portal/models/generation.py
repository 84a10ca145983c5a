"""The content generation: one row counting the committed changes to what public pages show."""

from portal.extensions import db
from portal.models.base import utcnow


class ContentGeneration(db.Model):
    """Shared public pages (portal/page_cache.py) are kept while its value stays put."""

    __tablename__ = "content_generation"

    id = db.Column(db.Integer, primary_key=True)
    value = db.Column(db.BigInteger, nullable=False, default=0)
    changed_at = db.Column(db.DateTime, nullable=False, default=utcnow)

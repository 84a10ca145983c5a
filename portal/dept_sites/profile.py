"""A department's site profile (introduction, leaders, contact), edited by its own editors."""

import secrets

from portal import audit
from portal.extensions import db
from portal.models.base import utcnow
from portal.sanitize import clean_html

PROFILE_FIELDS = ("introduction", "leaders", "address", "phone", "office_hours", "website")


def profile_of(department):
    return {name: getattr(department, name) for name in PROFILE_FIELDS}


def save_profile(department, data, actor):
    """Store the profile (introduction cleaned with nh3) with an audit row; False when unchanged."""
    before = profile_of(department)
    data = {**data, "introduction": clean_html(data.get("introduction")) or None}
    after = {name: data.get(name) for name in PROFILE_FIELDS}
    if after == before:
        return False
    try:
        for name, value in after.items():
            setattr(department, name, value if value is not None or name != "leaders" else [])
        audit.record(actor, "update", "department", department.id, before=before, after=after)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return True


def new_article_slug():
    """A short, stable, unguessable-enough URL name: date plus six hex digits."""
    return f"{utcnow():%Y%m%d}-{secrets.token_hex(3)}"

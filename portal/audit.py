"""The audit trail: one helper every area calls for an editorial or administrative action."""

from flask import g, has_request_context

from portal.extensions import db
from portal.models import AuditLog


def record(actor, action, entity_type, entity_id, before=None, after=None, comment=None):
    """Add an AuditLog row to the current session; the caller's commit writes it together
    with the change it describes, so there is never a change without its trail (or the reverse)."""
    entry = AuditLog(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=before,
        after=after,
        comment=comment,
        request_id=g.get("request_id") if has_request_context() else None,
    )
    db.session.add(entry)
    return entry

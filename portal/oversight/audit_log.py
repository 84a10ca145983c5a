"""The audit log as administrators read it: filters, a field-level before/after diff, CSV.

Callers' numbers are never shown: the hotline keeps them out of audit rows, and anything that
still looks like a phone number (or sits under a phone/caller field) is masked on the way out."""

import json
import re
from dataclasses import dataclass

from sqlalchemy import select

from portal.beijing_time import beijing_text, utc_bounds
from portal.extensions import db
from portal.knowledge.masking import mask_personal_data
from portal.models import AuditLog

PAGE_SIZE = 50
_SENSITIVE_KEY = re.compile(r"phone|caller|mobile|tel", re.IGNORECASE)


@dataclass
class AuditFilters:
    who: str = ""
    action: str = ""
    entity_type: str = ""
    entity_id: str = ""
    first: object = None  # date (Beijing)
    last: object = None

    def query(self):
        query = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
        if self.who:
            query = query.where(AuditLog.actor_name.ilike(f"%{self.who}%"))
        if self.action:
            query = query.where(AuditLog.action == self.action)
        if self.entity_type:
            query = query.where(AuditLog.entity_type == self.entity_type)
        if self.entity_id:
            query = query.where(AuditLog.entity_id == self.entity_id)
        if self.first or self.last:
            start, end = utc_bounds(self.first or self.last, self.last or self.first)
            if self.first:
                query = query.where(AuditLog.at >= start)
            if self.last:
                query = query.where(AuditLog.at < end)
        return query


def choices():
    """The actions and record kinds found in the log, for the filter dropdowns."""
    actions = sorted(db.session.scalars(select(AuditLog.action).distinct()))
    kinds = sorted(db.session.scalars(select(AuditLog.entity_type).distinct()))
    return actions, kinds


def page(filters, number=1):
    return db.paginate(filters.query(), page=max(number, 1), per_page=PAGE_SIZE, error_out=False)


def _safe(key, value):
    """A value as shown: JSON for lists and objects, phone numbers and personal data masked."""
    if value is None:
        return ""
    if isinstance(value, dict):
        value = {k: ("***" if _SENSITIVE_KEY.search(str(k)) and v else v) for k, v in value.items()}
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    if key and _SENSITIVE_KEY.search(str(key)) and text:
        return "***"
    return mask_personal_data(text)


def diff(entry):
    """[(field, before, after)] for each field whose value differs (every field for a create)."""
    before = entry.before if isinstance(entry.before, dict) else ({} if entry.before is None else
                                                                  {"": entry.before})
    after = entry.after if isinstance(entry.after, dict) else ({} if entry.after is None else {"": entry.after})
    rows = []
    for key in list(dict.fromkeys([*before, *after])):
        old, new = before.get(key), after.get(key)
        if old != new:
            rows.append((key, _safe(key, old), _safe(key, new)))
    return rows


CSV_HEADER = ["时间（北京时间）", "操作人", "操作", "对象类型", "对象", "字段", "修改前", "修改后", "说明"]


def csv_rows(filters, limit=50_000):
    """One row per changed field (a row with empty field columns for an action that changed none)."""
    yield CSV_HEADER
    for entry in db.session.scalars(filters.query().limit(limit)):
        head = [beijing_text(entry.at, with_seconds=True), entry.actor_name or "", entry.action,
                entry.entity_type, entry.entity_id]
        comment = mask_personal_data(entry.comment or "")
        changes = diff(entry)
        for field, old, new in changes or [("", "", "")]:
            yield [*head, field, old, new, comment]

"""`flask knowledge remask`: apply the current masking to what is already stored.

Imported answers nobody has edited since (lock_version 1) are rebuilt from the source data with
the current masking (and get their real reply time); every other answer has its stored texts masked
again, and so have its versions, a pending edition and the answer's audit rows, so no earlier copy
keeps a name the masking now finds. Changed answers get an audit row and a search outbox row.
"""

from dataclasses import dataclass
from pathlib import Path

from portal import audit, outbox
from portal.extensions import db
from portal.hotline_import import TAXONOMY_FILE, load_taxonomy, source_rows
from portal.knowledge.importer import masked_content, reply_time
from portal.knowledge.masking import mask_personal_data
from portal.models import Answer, AnswerVersion, AuditLog

TEXT_FIELDS = ("question", "phrasings", "public_answer", "internal_note")
CHUNK = 200


@dataclass
class RemaskReport:
    answers: int = 0
    changed: int = 0
    versions: int = 0
    audit_rows: int = 0


def _masked(value):
    """A stored value (text, list, dict) with every text in it masked again."""
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, list):
        return [_masked(item) for item in value]
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    return value


def _masked_snapshot(snapshot):
    if not snapshot:
        return snapshot
    return {key: (_masked(value) if key in TEXT_FIELDS else value) for key, value in snapshot.items()}


def remask(data_dir=None):
    """Re-mask every stored answer (see the module text); returns a RemaskReport. Commits in chunks."""
    rows = source_rows(data_dir)
    taxonomy = load_taxonomy(Path(data_dir) / TAXONOMY_FILE) if rows else []
    report = RemaskReport()
    ids = db.session.scalars(db.select(Answer.id).order_by(Answer.id)).all()
    for offset in range(0, len(ids), CHUNK):
        for answer in db.session.scalars(db.select(Answer).where(Answer.id.in_(ids[offset:offset + CHUNK]))):
            report.answers += 1
            if _remask_answer(answer, rows.get(answer.source_ref), taxonomy, report):
                report.changed += 1
        db.session.commit()
    return report


def _remask_answer(answer, row, taxonomy, report):
    before = {name: getattr(answer, name) for name in TEXT_FIELDS}
    if row is not None and answer.lock_version == 1:
        content = masked_content(row, taxonomy)
        after = {name: content[name] for name in TEXT_FIELDS}
        answer.replied_at = answer.replied_at or reply_time(row)
    else:
        after = {name: _masked(value) for name, value in before.items()}
    if answer.edition:
        answer.edition = _masked_snapshot(answer.edition)
    for version in db.session.scalars(db.select(AnswerVersion).where(AnswerVersion.answer_id == answer.id)):
        masked = _masked_snapshot(version.snapshot)
        if masked != version.snapshot:
            version.snapshot = masked
            report.versions += 1
    for row_ in db.session.scalars(db.select(AuditLog).where(AuditLog.entity_type == "answer",
                                                            AuditLog.entity_id == str(answer.id))):
        masked_before, masked_after = _masked_snapshot(row_.before), _masked_snapshot(row_.after)
        if (masked_before, masked_after) != (row_.before, row_.after):
            row_.before, row_.after = masked_before, masked_after
            report.audit_rows += 1
    if after == before:
        return False
    for name, value in after.items():
        setattr(answer, name, value)
    # Only which fields changed: the audit row must not carry the texts it just masked.
    audit.record(None, "remask", "answer", answer.id,
                 after={"fields": [name for name in TEXT_FIELDS if after[name] != before[name]]})
    if answer.status == "published":
        answer.lock_version += 1  # the index keeps the newest version: this write must be newer
        outbox.enqueue("answer", answer.id, "upsert", answer.lock_version)
    return True

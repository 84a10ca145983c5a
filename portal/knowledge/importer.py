"""Import of the real 12345 hotline Q&A (../shared/data/hotline) as knowledge items.

Every text is masked (portal/knowledge/masking.py) before it is stored. Each imported reply
becomes internal knowledge of the hotline's own department: published for operators (the console
finds it) but not public (`public` false, so not in the public FAQ) until an editor curates it;
dated by the department's real reply time. Reading, validation, idempotence and the rejected-row
report are shared with the interaction import (portal/hotline_import.py).
"""

from flask_babel import gettext as _
from markupsafe import escape

from portal import audit, hotline_import, outbox
from portal.extensions import db
from portal.hotline_import import categorise, masked_texts, parse_time
from portal.models import Answer
from portal.models.base import STATUS_PUBLISHED, utcnow


def paragraphs(text):
    """Plain text as the rich-text HTML answers are stored in: one escaped <p> per line."""
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def reply_time(row):
    """The department's reply time of a row (Beijing time in the data) as naive UTC, or None."""
    return parse_time(row.get("answer_time"))


def masked_content(row, taxonomy):
    """The answer's texts from a data row, masked (shared by the import and `knowledge remask`)."""
    title, question, answer = masked_texts(row)
    return {
        "question": title,
        "phrasings": [title],
        "public_answer": paragraphs(answer),
        "internal_note": _("来信原文（已脱敏）：") + question,
        "category": categorise(f"{title} {question}", taxonomy),
    }


def answer_from_row(row, taxonomy, department):
    replied = reply_time(row)
    return Answer(
        source_ref=hotline_import.source_ref(row),
        **masked_content(row, taxonomy),
        department_id=department.id,
        status=STATUS_PUBLISHED,
        public=False,
        replied_at=replied,
        published_at=replied or utcnow(),
        lock_version=1,
    )


def _imported(answer):
    audit.record(None, "import", "answer", answer.id, after={"source_ref": answer.source_ref})
    outbox.enqueue("answer", answer.id, "upsert", answer.lock_version)


def import_hotline(data_dir, progress=None):
    """Import hotline_qa.jsonl (categories from category_taxonomy.jsonl); returns an ImportReport."""
    prefix = f"{hotline_import.SOURCE_PREFIX}%"
    existing = set(db.session.scalars(db.select(Answer.source_ref).where(Answer.source_ref.like(prefix))))
    # Rows imported before the reply time was kept get it now (the date the public FAQ shows).
    undated = set(db.session.scalars(db.select(Answer.source_ref).where(
        Answer.source_ref.like(prefix), Answer.replied_at.is_(None))))

    def date_undated(ref, row):
        if ref in undated and (replied := reply_time(row)):
            db.session.execute(db.update(Answer).where(Answer.source_ref == ref).values(replied_at=replied))

    return hotline_import.import_rows(data_dir, existing, answer_from_row, _imported, progress, date_undated)

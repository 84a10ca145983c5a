"""What the knowledge pages do with answers: form data to workflow payloads, linked matters,
feedback counts, and the public FAQ queries."""

from collections import Counter
from datetime import date

from flask_babel import gettext as _

from portal import workflow
from portal.extensions import db
from portal.models import Answer, AnswerFeedback, Matter
from portal.models.base import STATUS_PUBLISHED
from portal.sanitize import clean_html


def answer_payload(form):
    """Snapshot-shaped data for portal.workflow, or (None, error) when a matter code is unknown."""
    payload = form.payload()
    codes = list(dict.fromkeys(payload.pop("matters") or []))
    found = dict(db.session.execute(db.select(Matter.code, Matter.id).where(Matter.code.in_(codes))).all()) \
        if codes else {}
    unknown = [code for code in codes if code not in found]
    if unknown:
        return None, _("找不到这些事项编码：%(codes)s", codes="、".join(unknown))
    payload["public_answer"] = clean_html(payload["public_answer"])
    payload["valid_until"] = payload["valid_until"].isoformat() if payload["valid_until"] else None
    payload["matters"] = [found[code] for code in codes]
    return payload, None


def form_data(answer):
    """The answer as the form shows it (matters by code): a published answer's pending edition if
    it has one, else its own content."""
    content = workflow.working_snapshot(answer)
    ids = content.get("matters") or []
    codes = dict(db.session.execute(db.select(Matter.id, Matter.code).where(Matter.id.in_(ids))).all()) if ids else {}
    valid_until = content.get("valid_until")
    return {
        "question": content.get("question"), "phrasings": content.get("phrasings"),
        "public_answer": content.get("public_answer"), "internal_note": content.get("internal_note"),
        "category": content.get("category"),
        "valid_until": date.fromisoformat(valid_until) if isinstance(valid_until, str) and valid_until else None,
        "matters": [codes[matter_id] for matter_id in ids if matter_id in codes], "lock_version": answer.lock_version,
        "public": bool(content.get("public", True)),
    }


def draft_from_record(record):
    """Form data for a new answer started from an imported hotline record (internal knowledge)."""
    return {
        "question": record.question, "phrasings": list(record.phrasings or []),
        "public_answer": record.public_answer, "internal_note": record.internal_note,
        "category": record.category, "public": True,
        "matters": [matter.code for matter in record.matters],
    }


def suggested_matters(text, exclude=(), size=5):
    """Published matters the search finds for `text` (an answer's question), for editors to link
    with one click; [] when nothing is found or the search is down."""
    from portal.site_search.service import find, make_params

    if not (text or "").strip():
        return []
    params = make_params(text[:100], kind="matter", size=size + len(exclude), hints=False)
    results = find(params, channel="editor", log=False)
    codes = [hit.fields.get("code") for hit in results.hits if hit.fields.get("code") not in exclude]
    if not codes:
        return []
    matters = {matter.code: matter for matter in db.session.scalars(
        db.select(Matter).where(Matter.code.in_(codes), Matter.status == STATUS_PUBLISHED))}
    return [matters[code] for code in codes if code in matters][:size]


def records_about(department, limit=50):
    """Imported hotline records (internal knowledge of other departments) about `department`:
    linked to its matters, or naming it in the question or the reply."""
    about = db.or_(
        Answer.matters.any(Matter.department_id == department.id),
        Answer.question.contains(department.name, autoescape=True),
        Answer.public_answer.contains(department.name, autoescape=True),
    )
    return db.session.scalars(
        db.select(Answer).where(Answer.public.is_(False), Answer.department_id != department.id,
                                Answer.status == STATUS_PUBLISHED, about)
        .order_by(Answer.replied_at.desc().nulls_last(), Answer.id.desc()).limit(limit)
    ).all()


def feedback_counts(answer_ids):
    """answer id → {"helpful": n, "outdated": n}."""
    counts = {answer_id: {"helpful": 0, "outdated": 0} for answer_id in answer_ids}
    if not answer_ids:
        return counts
    rows = db.session.execute(
        db.select(AnswerFeedback.answer_id, AnswerFeedback.kind, db.func.count())
        .where(AnswerFeedback.answer_id.in_(answer_ids)).group_by(AnswerFeedback.answer_id, AnswerFeedback.kind)
    )
    for answer_id, kind, count in rows:
        counts[answer_id][kind] = count
    return counts


def faq_categories():
    """(first-level category, number of published answers) for browsing the FAQ, largest first."""
    counts = Counter()
    rows = db.session.execute(
        db.select(Answer.category, db.func.count()).where(Answer.status == STATUS_PUBLISHED, Answer.public.is_(True),
                                                         Answer.category.is_not(None)).group_by(Answer.category)
    )
    for category, count in rows:
        counts[category.split("/", 1)[0]] += count
    return counts.most_common()


def published_answer_or_none(answer_id):
    """A published public FAQ item (internal knowledge is not shown to the public)."""
    answer = db.session.get(Answer, answer_id)
    return answer if answer is not None and answer.status == STATUS_PUBLISHED and answer.public else None


def reply_date(answer):
    """The date a FAQ item is shown with: the department's real reply, else its publication."""
    return answer.replied_at or answer.published_at


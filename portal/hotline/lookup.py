"""What the console shows while the caller talks: answers and matters for the caller's words
(through the portal's search service, like every other search), and the facts of one of them."""

from datetime import timedelta

from portal.extensions import db
from portal.knowledge.stale import stale_condition
from portal.models import Answer, AnswerUse, Matter
from portal.models.base import STATUS_PUBLISHED, utcnow
from portal.site_search.service import find, make_params

CONSOLE_KINDS = ("answer", "matter")
RESULT_SIZE = 10
RECENT_SIZE = 8


def console_params(text):
    """The console's search: answers and matters, titles only (a live lookup, see SearchParams).
    Answers are what operators read out, so they are not ranked below matters here."""
    # internal: operators also find the internal knowledge (imported replies).
    return make_params(text, size=RESULT_SIZE, disabled={"format"}, with_facets=False, kinds=CONSOLE_KINDS,
                       lookup=True, internal=True)


def console_search(text):
    """(results, hits) for the caller's words: answers and matters only, stale answers marked.
    results.degraded is true when Elasticsearch did not answer and the database did."""
    params = console_params(text)
    # Caller's words may hold personal data: the console's queries stay out of the query log.
    results = find(params, channel="hotline", log=False)
    hits = results.hits
    answer_ids = [int(hit.id.split("-", 1)[1]) for hit in hits if hit.type == "answer"]
    flagged = _stale_ids(answer_ids)
    for hit in hits:
        hit.fields["stale"] = hit.type == "answer" and int(hit.id.split("-", 1)[1]) in flagged
    return results, hits


def _stale_ids(answer_ids):
    if not answer_ids:
        return set()
    rows = db.session.execute(
        db.select(Answer.id).where(Answer.id.in_(answer_ids), stale_condition()))
    return {row.id for row in rows}


def console_answer(answer_id):
    """A published answer for the console, or None."""
    answer = db.session.get(Answer, answer_id)
    return answer if answer is not None and answer.status == STATUS_PUBLISHED else None


def console_matter(code):
    matter = db.session.scalar(db.select(Matter).where(Matter.code == code))
    return matter if matter is not None and matter.status == STATUS_PUBLISHED else None


def record_use(answer, operator):
    db.session.add(AnswerUse(answer_id=answer.id, operator_id=operator.id))
    db.session.commit()


def recently_used(operator, size=RECENT_SIZE):
    """The operator's last distinct answers, newest first."""
    last = db.func.max(AnswerUse.at).label("last")
    rows = db.session.execute(
        db.select(Answer, last).join(AnswerUse, AnswerUse.answer_id == Answer.id)
        .where(AnswerUse.operator_id == operator.id, Answer.status == STATUS_PUBLISHED)
        .group_by(Answer.id).order_by(last.desc()).limit(size)
    )
    return [row.Answer for row in rows]


def most_used_today(size=RECENT_SIZE):
    """(answer, uses) by all operators since midnight (UTC+8, the hotline's day)."""
    start = (utcnow() + timedelta(hours=8)).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(hours=8)
    uses = db.func.count(AnswerUse.id).label("uses")
    rows = db.session.execute(
        db.select(Answer, uses).join(AnswerUse, AnswerUse.answer_id == Answer.id)
        .where(AnswerUse.at >= start, Answer.status == STATUS_PUBLISHED)
        .group_by(Answer.id).order_by(uses.desc(), Answer.id).limit(size)
    )
    return [(row.Answer, row.uses) for row in rows]


"""好差评: evaluating a matter, the public counts, and the department's rectification and appeal."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.extensions import db
from portal.models import Appeal, Rating, Rectification, utcnow
from portal.models.catalogue import (
    APPEAL_PENDING,
    APPEAL_REJECTED,
    APPEAL_UPHELD,
    RATING_LEVELS,
    RECTIFICATION_APPEALED,
    RECTIFICATION_DONE,
    RECTIFICATION_OPEN,
    RECTIFICATION_VOID,
    RECTIFICATION_WORKING_DAYS,
)


class RatingRefused(Exception):
    """An evaluation or a department action that the rules do not allow; the message says why."""


def add_working_days(start, days):
    """Monday–Friday working days (statutory holidays are not in the data and not counted)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def rating_summary(matter):
    """{level: count} of the counted evaluations, every level present, plus the total."""
    counts = dict(db.session.execute(
        select(Rating.level, func.count()).where(Rating.matter_id == matter.id, Rating.counted.is_(True))
        .group_by(Rating.level)
    ).all())
    levels = [(level, label, counts.get(level, 0)) for level, label in RATING_LEVELS.items()]
    return {"levels": levels, "total": sum(counts.values())}


def rating_by(matter, user):
    if not user.is_authenticated:
        return None
    return db.session.scalar(select(Rating).where(Rating.matter_id == matter.id, Rating.user_id == user.id))


def rate(matter, user, level, comment=None, today=None):
    """One evaluation per user per matter; a 差评 opens a rectification item due in 15 working days."""
    if level not in RATING_LEVELS:
        raise RatingRefused(_l("请选择评价等级。"))
    if rating_by(matter, user):
        raise RatingRefused(_l("您已评价过本事项，每个事项只能评价一次。"))
    rating = Rating(matter_id=matter.id, user_id=user.id, level=level, comment=(comment or "").strip() or None)
    db.session.add(rating)
    if rating.is_poor:
        due = add_working_days(today or date.today(), RECTIFICATION_WORKING_DAYS)
        db.session.add(Rectification(rating=rating, department_id=matter.department_id, due_on=due))
    try:
        db.session.commit()
    except IntegrityError:  # the same user's evaluation sent twice at once: the other one counted
        db.session.rollback()
        raise RatingRefused(_l("您已评价过本事项，每个事项只能评价一次。")) from None
    return rating


def department_rectifications(department_id):
    query = select(Rectification).order_by(Rectification.due_on, Rectification.id)
    if department_id is not None:
        query = query.where(Rectification.department_id == department_id)
    return list(db.session.scalars(query))


def _require_status(rectification, *statuses):
    if rectification.status not in statuses:
        raise RatingRefused(_l("该整改事项当前状态不允许这样操作。"))


def rectify(rectification, user, response):
    _require_status(rectification, RECTIFICATION_OPEN)
    if not (response or "").strip():
        raise RatingRefused(_l("请填写整改情况。"))
    rectification.status = RECTIFICATION_DONE
    rectification.response = response.strip()
    rectification.rectified_at = utcnow()
    audit.record(user, "rectify", "rectification", rectification.id,
                 before={"status": RECTIFICATION_OPEN}, after={"status": RECTIFICATION_DONE, "response": response})
    db.session.commit()


def appeal(rectification, user, reason):
    _require_status(rectification, RECTIFICATION_OPEN)
    if not (reason or "").strip():
        raise RatingRefused(_l("请填写申诉理由。"))
    rectification.status = RECTIFICATION_APPEALED
    db.session.add(Appeal(rectification=rectification, reason=reason.strip(), filed_by_id=user.id))
    audit.record(user, "appeal", "rectification", rectification.id,
                 before={"status": RECTIFICATION_OPEN}, after={"status": RECTIFICATION_APPEALED}, comment=reason)
    db.session.commit()


def pending_appeals():
    return list(db.session.scalars(select(Appeal).where(Appeal.status == APPEAL_PENDING).order_by(Appeal.filed_at)))


def decide(appeal_row, user, uphold, note=None):
    """复核: an upheld appeal takes the evaluation out of the counts; a rejected one reopens the item."""
    if appeal_row.status != APPEAL_PENDING:
        raise RatingRefused(_l("该申诉已复核。"))
    rectification = appeal_row.rectification
    appeal_row.status = APPEAL_UPHELD if uphold else APPEAL_REJECTED
    appeal_row.decided_by_id = user.id
    appeal_row.decided_at = utcnow()
    appeal_row.decision_note = (note or "").strip() or None
    rectification.status = RECTIFICATION_VOID if uphold else RECTIFICATION_OPEN
    rectification.rating.counted = not uphold
    audit.record(user, "decide_appeal", "rating_appeal", appeal_row.id,
                 before={"status": APPEAL_PENDING}, after={"status": appeal_row.status}, comment=note)
    db.session.commit()

"""Figures of 政民互动 per department and month, for the oversight dashboard:

    from portal.interaction.stats import department_month_stats
    rows = department_month_stats(since=date(2026, 1, 1), department_id=None)

Each row: department_id, department (name), month ("YYYY-MM", Beijing time, by the day received),
received, replied (a reply reached the writer), on_time (first reply by the deadline), overdue
(first reply after the deadline, or none yet and the deadline passed), avg_days_to_reply (calendar
days from received to first reply, one decimal; None without replies), satisfied,
basically_satisfied, dissatisfied (final ratings) and satisfaction (满意 + 基本满意 over rated, or None).
Historical imported messages have no deadline: they count in received, replied and the average,
never in on_time or overdue. Messages not routed yet count under department None (the 12345 centre).
Counted by the database (one GROUP BY, as the dashboard's weekly figures), not row by row here.
"""

from datetime import datetime, time, timedelta

from sqlalchemy import case, func, select

from portal.beijing_time import BEIJING, to_beijing, utc_bounds
from portal.extensions import db
from portal.models import Department, Message, utcnow

RATINGS = ("satisfied", "basically_satisfied", "dissatisfied")


def _count_if(condition):
    return func.count(case((condition, 1)))


def _months(first, last):
    """The first day of each month from first's to last's (dates)."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _month_index(column, months):
    """The index in months of the Beijing month of a naive-UTC column, for GROUP BY: one CASE over the
    months' UTC ends (rows are already within the months)."""
    ends = [datetime.combine((month + timedelta(days=32)).replace(day=1), time.min) - BEIJING for month in months]
    return case(*[(column < end, index) for index, end in enumerate(ends)], else_=len(ends) - 1).label("month")


def _seconds_between(later, earlier):
    """later - earlier in seconds, in SQL (each database has its own date arithmetic)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400


def department_month_stats(since=None, until=None, department_id=None, now=None):
    """Rows as described above, by department name then month."""
    now = now or utcnow()
    received, replied, due = Message.received_at, Message.first_replied_at, Message.reply_due
    scope = []
    if since is not None:
        scope.append(received >= utc_bounds(since, since)[0])
    if until is not None:
        scope.append(received < utc_bounds(until, until)[0])
    if department_id is not None:
        scope.append(Message.department_id == department_id)
    first, last = db.session.execute(select(func.min(received), func.max(received)).where(*scope)).one()
    if first is None:
        return []
    months = _months(to_beijing(first).date(), to_beijing(last).date())
    month = _month_index(received, months)
    waited = _seconds_between(replied, received)
    statement = (
        select(Message.department_id, Department.name, month, func.count(), func.count(replied),
               _count_if(due.is_not(None) & (replied <= due)),
               _count_if(due.is_not(None) & ((replied > due) | (replied.is_(None) & (due < now)))),
               func.sum(case((waited > 0, waited), (replied.is_not(None), 0))),
               *[_count_if(Message.rating == rating) for rating in RATINGS])
        .outerjoin(Department, Department.id == Message.department_id).where(*scope)
        .group_by(Message.department_id, Department.name, month))
    rows = []
    for department, name, index, count, replies, on_time, overdue, seconds, *rated in db.session.execute(statement):
        ratings = dict(zip(RATINGS, rated, strict=True))
        rated_count = sum(rated)
        rows.append({
            "department_id": department, "department": name, "month": months[index].strftime("%Y-%m"),
            "received": count, "replied": replies, "on_time": on_time, "overdue": overdue, **ratings,
            "avg_days_to_reply": round(float(seconds) / replies / 86400, 1) if replies else None,
            "satisfaction": round((ratings["satisfied"] + ratings["basically_satisfied"]) / rated_count, 3)
            if rated_count else None,
        })
    return sorted(rows, key=lambda item: (item["department"] or "", item["month"]))

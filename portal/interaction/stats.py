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
"""

from collections import defaultdict
from datetime import datetime, timedelta

from portal.extensions import db
from portal.models import Department, Message, utcnow

BEIJING = timedelta(hours=8)


def _month(moment):
    return (moment + BEIJING).strftime("%Y-%m")


def department_month_stats(since=None, until=None, department_id=None, now=None):
    """Rows as described above, by department name then month."""
    now = now or utcnow()
    statement = db.select(Message.department_id, Message.received_at, Message.first_replied_at, Message.reply_due,
                          Message.rating)
    if since is not None:
        statement = statement.where(Message.received_at >= datetime.combine(since, datetime.min.time()) - BEIJING)
    if until is not None:
        statement = statement.where(Message.received_at < datetime.combine(until, datetime.min.time()) - BEIJING)
    if department_id is not None:
        statement = statement.where(Message.department_id == department_id)
    groups = defaultdict(lambda: {"received": 0, "replied": 0, "on_time": 0, "overdue": 0, "reply_seconds": 0.0,
                                  "satisfied": 0, "basically_satisfied": 0, "dissatisfied": 0})
    for department, received, replied, due, rating in db.session.execute(statement):
        row = groups[(department, _month(received))]
        row["received"] += 1
        if replied is not None:
            row["replied"] += 1
            row["reply_seconds"] += max((replied - received).total_seconds(), 0)
        if due is not None:
            if replied is not None and replied <= due:
                row["on_time"] += 1
            elif (replied is not None and replied > due) or (replied is None and now > due):
                row["overdue"] += 1
        if rating in ("satisfied", "basically_satisfied", "dissatisfied"):
            row[rating] += 1
    names = dict(db.session.execute(db.select(Department.id, Department.name).where(
        Department.id.in_({department for department, _month_key in groups if department is not None}))).all())
    rows = []
    for (department, month), row in groups.items():
        rated = row["satisfied"] + row["basically_satisfied"] + row["dissatisfied"]
        seconds = row.pop("reply_seconds")
        rows.append({
            "department_id": department, "department": names.get(department), "month": month, **row,
            "avg_days_to_reply": round(seconds / row["replied"] / 86400, 1) if row["replied"] else None,
            "satisfaction": round((row["satisfied"] + row["basically_satisfied"]) / rated, 3) if rated else None,
        })
    return sorted(rows, key=lambda item: (item["department"] or "", item["month"]))

"""Time limits in working days (工作日): Monday to Friday."""

from datetime import timedelta

SATURDAY = 5


def add_working_days(start, days):
    """The moment `days` working days after `start` (a start on a weekend counts from Monday)."""
    moment = start
    while moment.weekday() >= SATURDAY:
        moment = (moment + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    added = 0
    while added < days:
        moment += timedelta(days=1)
        if moment.weekday() < SATURDAY:
            added += 1
    return moment

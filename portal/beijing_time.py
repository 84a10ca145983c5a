"""Beijing time for everything people read (dashboards, reports, open data); the database keeps naive UTC."""

from datetime import date, datetime, time, timedelta

BEIJING = timedelta(hours=8)


def to_beijing(moment):
    return moment + BEIJING if moment else None


def beijing_text(moment, with_seconds=False):
    """'2026-12-01 20:45' (Beijing time) for a naive UTC datetime; '' for None."""
    if moment is None:
        return ""
    return to_beijing(moment).strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


def utc_text(moment, microseconds=False):
    """'2026-12-01T12:45:00Z' (ISO 8601, UTC) for a naive UTC datetime, whole seconds unless microseconds; None
    for None. Every machine-readable time the portal hands out (API, open data, feeds) is written by this."""
    if moment is None:
        return None
    return (moment if microseconds else moment.replace(microsecond=0)).isoformat() + "Z"


def beijing_today(now=None):
    from portal.models import utcnow

    return to_beijing(now or utcnow()).date()


def week_of(moment):
    """The Monday (Beijing) of the week a naive-UTC moment falls in."""
    day = to_beijing(moment).date()
    return day - timedelta(days=day.weekday())


def utc_bounds(first: date, last: date):
    """[start, end) in naive UTC covering the Beijing days first..last inclusive."""
    start = datetime.combine(first, time.min) - BEIJING
    end = datetime.combine(last + timedelta(days=1), time.min) - BEIJING
    return start, end


def parse_day(text):
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None

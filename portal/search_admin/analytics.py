"""Query analytics from the query log and clicks: what people search, what finds nothing, what
they click. Aggregates only: the log holds no personal data to begin with."""

from datetime import timedelta

from sqlalchemy import case, func, select

from portal.extensions import db
from portal.models import QueryLog, SearchClick, utcnow

DEFAULT_DAYS = 30


def _since(days):
    return utcnow() - timedelta(days=days)


def top_queries(days=DEFAULT_DAYS, limit=50):
    """[(query, searches, average results, clicks, click-through rate)] most searched first."""
    clicks = (select(SearchClick.query_log_id, func.count().label("clicks"))
              .group_by(SearchClick.query_log_id).subquery())
    rows = db.session.execute(
        select(QueryLog.query, func.count(QueryLog.id), func.avg(QueryLog.results),
               func.coalesce(func.sum(clicks.c.clicks), 0),
               func.sum(case((clicks.c.clicks > 0, 1), else_=0)))
        .outerjoin(clicks, clicks.c.query_log_id == QueryLog.id)
        .where(QueryLog.at >= _since(days)).group_by(QueryLog.query)
        .order_by(func.count(QueryLog.id).desc(), QueryLog.query).limit(limit)).all()
    return [(query, searches, float(average or 0), int(total_clicks), (clicked or 0) / searches)
            for query, searches, average, total_clicks, clicked in rows]


def zero_result_queries(days=DEFAULT_DAYS, limit=50):
    """[(query, times, last asked)] of searches that found nothing."""
    return db.session.execute(
        select(QueryLog.query, func.count(QueryLog.id), func.max(QueryLog.at))
        .where(QueryLog.at >= _since(days), QueryLog.results == 0, QueryLog.degraded.is_(False))
        .group_by(QueryLog.query).order_by(func.count(QueryLog.id).desc(), QueryLog.query).limit(limit)).all()


def recent_queries(limit=50):
    return db.session.scalars(select(QueryLog).order_by(QueryLog.id.desc()).limit(limit)).all()


def totals(days=DEFAULT_DAYS):
    searches, zero, degraded = db.session.execute(
        select(func.count(QueryLog.id), func.sum(case((QueryLog.results == 0, 1), else_=0)),
               func.sum(case((QueryLog.degraded, 1), else_=0)))
        .where(QueryLog.at >= _since(days))).one()
    clicked = db.session.scalar(
        select(func.count(func.distinct(SearchClick.query_log_id))).join(QueryLog)
        .where(QueryLog.at >= _since(days)))
    searches = searches or 0
    return {
        "searches": searches, "zero": zero or 0, "degraded": degraded or 0,
        "click_through": (clicked or 0) / searches if searches else 0.0,
    }

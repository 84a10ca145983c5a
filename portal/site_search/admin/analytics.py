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
    """[(query, searches, average results, clicks, click-through rate)] most searched first.
    Clicks are counted by the query's words (see SearchClick); the rate is clicks per search of
    that query on the results page (the only channel with result links), so it can pass 100 %
    when people open several results."""
    clicks = (select(SearchClick.query, func.count().label("clicks")).where(SearchClick.at >= _since(days))
              .group_by(SearchClick.query).subquery())
    searches = (select(QueryLog.query, func.count(QueryLog.id).label("searches"),
                       func.avg(QueryLog.results).label("average"), _page_searches().label("page_searches"))
                .where(QueryLog.at >= _since(days)).group_by(QueryLog.query).subquery())
    rows = db.session.execute(
        select(searches.c.query, searches.c.searches, searches.c.average, searches.c.page_searches,
               func.coalesce(clicks.c.clicks, 0))
        .outerjoin(clicks, clicks.c.query == searches.c.query)
        .order_by(searches.c.searches.desc(), searches.c.query).limit(limit)).all()
    return [(query, total, float(average or 0), int(clicked), _rate(clicked, page_searches))
            for query, total, average, page_searches, clicked in rows]


def _page_searches():
    """How many of the rows are searches on the results page, whose results people can click."""
    return func.sum(case((QueryLog.channel == "page", 1), else_=0))


def _rate(clicks, searches):
    return (clicks or 0) / searches if searches else 0.0


def zero_result_queries(days=DEFAULT_DAYS, limit=50):
    """[(query, times, last asked)] of searches that found nothing."""
    return db.session.execute(
        select(QueryLog.query, func.count(QueryLog.id), func.max(QueryLog.at))
        .where(QueryLog.at >= _since(days), QueryLog.results == 0, QueryLog.degraded.is_(False))
        .group_by(QueryLog.query).order_by(func.count(QueryLog.id).desc(), QueryLog.query).limit(limit)).all()


def recent_queries(limit=50):
    return db.session.scalars(select(QueryLog).order_by(QueryLog.id.desc()).limit(limit)).all()


def totals(days=DEFAULT_DAYS):
    searches, zero, degraded, page_searches = db.session.execute(
        select(func.count(QueryLog.id), func.sum(case((QueryLog.results == 0, 1), else_=0)),
               func.sum(case((QueryLog.degraded, 1), else_=0)), _page_searches())
        .where(QueryLog.at >= _since(days))).one()
    clicks = db.session.scalar(select(func.count(SearchClick.id)).where(SearchClick.at >= _since(days)))
    return {
        "searches": searches or 0, "zero": zero or 0, "degraded": degraded or 0,
        "click_through": _rate(clicks, page_searches),
    }

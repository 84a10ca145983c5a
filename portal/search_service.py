"""Running searches for the portal: adds the administrator-edited synonyms and best bets, logs
the query (no personal data), and falls back to the database when Elasticsearch is down.

The /search page, GET /api/v1/search and the hotline console all call `run_search`.
"""

import time
from datetime import date

from elasticsearch import ApiError, TransportError
from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db, search_client
from portal.models import Answer, Article, BestBet, Department, Matter, PageView, QueryLog, SearchClick, SynonymGroup
from portal.models.base import STATUS_PUBLISHED, utcnow
from search import queries
from search.analysis import normalize
from search.documents import document_id
from search.queries import SearchHit, SearchParams, SearchResults
from search.synonyms import table_from_groups

SYNONYM_CACHE_SECONDS = 30
_synonym_cache = {}


def synonym_table():
    """term → equivalent terms, from the synonym groups (cached briefly per process)."""
    key = id(current_app._get_current_object())
    cached = _synonym_cache.get(key)
    if cached and time.monotonic() - cached[0] < SYNONYM_CACHE_SECONDS:
        return cached[1]
    table = table_from_groups(group.term_list for group in db.session.scalars(select(SynonymGroup)))
    _synonym_cache[key] = (time.monotonic(), table)
    return table


def forget_synonyms():
    _synonym_cache.pop(id(current_app._get_current_object()), None)


def active_best_bets(query, today=None):
    """Index ids of the matters pinned for this exact (normalised) query and not expired."""
    today = today or date.today()
    bets = db.session.scalars(
        select(BestBet).where(BestBet.query == normalize(query))
        .where(or_(BestBet.expires_on.is_(None), BestBet.expires_on >= today))
        .order_by(BestBet.position, BestBet.id)).all()
    return [document_id("matter", bet.matter_id) for bet in bets]


def make_params(q, kind=None, filters=None, page=1, size=10, disabled=(), explain=False):
    query = queries.clean_query(q)
    return SearchParams(
        q=query, kind=kind if kind in ("matter", "answer", "article") else None, filters=filters or {},
        page=page, size=size, synonyms=synonym_table(), best_bets=active_best_bets(query),
        disabled=frozenset(disabled), explain=explain,
    )


def run_search(params, channel="page", log=True):
    """Results for params, from Elasticsearch or — when it is unreachable — from the database
    (degraded). Returns (SearchResults, query log id or None)."""
    try:
        results = queries.search(search_client.es, search_client.index_prefix, params)
    except (TransportError, ApiError) as error:
        current_app.logger.warning("search degraded to the database", extra={"fields": {"error": type(error).__name__}})
        results = database_search(params)
    log_id = _log_query(params, results, channel) if log and params.q else None
    return results, log_id


def _log_query(params, results, channel):
    entry = QueryLog(query=params.q, kind=params.kind, page=params.page, results=results.total,
                     took_ms=results.took_ms, degraded=results.degraded, channel=channel)
    db.session.add(entry)
    db.session.commit()
    return entry.id


def _like(text):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fallback_sources(pattern):
    """(kind, statement, to_hit) for each kind: published rows whose name contains the query."""
    matter_statement = select(Matter).where(
        Matter.status == STATUS_PUBLISHED,
        or_(Matter.name.ilike(pattern, escape="\\"), Matter.short_name.ilike(pattern, escape="\\")))
    answer_statement = select(Answer).where(Answer.status == STATUS_PUBLISHED,
                                            Answer.question.ilike(pattern, escape="\\"))
    article_statement = select(Article).where(Article.status == STATUS_PUBLISHED,
                                              Article.title.ilike(pattern, escape="\\"))
    return (
        ("matter", matter_statement, lambda row: (row.id, row.name, f"/matters/{row.code}", row.department)),
        ("answer", answer_statement, lambda row: (row.id, row.question, f"/answers/{row.id}", row.department)),
        ("article", article_statement, lambda row: (
            row.id, row.title, f"/dept/{row.department.slug}/articles/{row.slug}", row.department)),
    )


def database_search(params):
    """Plain "name contains the query" search in the database, for when Elasticsearch is down."""
    started = time.monotonic()
    pattern = _like(params.q)
    counts, hits = {}, []
    size = min(max(params.size, 1), queries.MAX_SIZE)
    offset = (min(max(params.page, 1), queries.MAX_PAGE) - 1) * size
    for kind, statement, to_hit in _fallback_sources(pattern):
        counts[kind] = db.session.scalar(select(func.count()).select_from(statement.subquery()))
        if params.kind in (None, kind) and len(hits) < size:
            model = statement.column_descriptions[0]["entity"]
            for row in db.session.scalars(statement.order_by(model.id).offset(offset).limit(size - len(hits))):
                entity_id, title, url, department = to_hit(row)
                hits.append(SearchHit(
                    id=document_id(kind, entity_id), type=kind, title=title, url=url, snippet="",
                    title_html="", department=department.name if isinstance(department, Department) else None,
                    score=None,
                ))
    total = counts[params.kind] if params.kind else sum(counts.values())
    return SearchResults(total=total, hits=hits, counts=counts, facets={},
                         took_ms=int((time.monotonic() - started) * 1000), degraded=True)


def suggestions(text, kind=None):
    try:
        return queries.suggest(search_client.es, search_client.index_prefix, text, kind=kind)
    except (TransportError, ApiError):
        return []


def record_click(query_log_id, result_id, position):
    if db.session.get(QueryLog, query_log_id) is None:
        return False
    db.session.add(SearchClick(query_log_id=query_log_id, result_id=result_id[:40], position=position))
    db.session.commit()
    return True


def record_page_view(matter_id, day=None):
    """Count one view of a matter's guide (one row per matter and day)."""
    day = day or utcnow().date()
    updated = db.session.execute(
        PageView.__table__.update().where(PageView.matter_id == matter_id, PageView.day == day)
        .values(views=PageView.views + 1))
    if updated.rowcount == 0:
        db.session.add(PageView(matter_id=matter_id, day=day, views=1))
    db.session.commit()


def record_page_view_for_code(code):
    """Count a guide page view; a failure here must never break the page itself."""
    try:
        matter_id = db.session.scalar(select(Matter.id).where(Matter.code == code))
        if matter_id is not None:
            record_page_view(matter_id)
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("page view not counted")


def popular_matters(limit=8):
    """The most used published matters (link-throughs and views, decayed), for pages that help
    people who found nothing."""
    from portal.search_index import matter_popularity

    scores = matter_popularity()
    ranked = sorted(scores, key=scores.get, reverse=True)[: limit * 3]
    statement = select(Matter).where(Matter.status == STATUS_PUBLISHED)
    found = db.session.scalars(statement.where(Matter.id.in_(ranked))).all() if ranked else []
    found.sort(key=lambda matter: -scores.get(matter.id, 0))
    if len(found) < limit:
        seen = {matter.id for matter in found}
        extra = db.session.scalars(statement.order_by(Matter.online_depth.desc().nulls_last(), Matter.id)
                                   .limit(limit * 2)).all()
        found += [matter for matter in extra if matter.id not in seen]
    return found[:limit]

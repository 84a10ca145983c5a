"""Running searches for the portal: adds the administrator-edited synonyms and best bets, logs
the query (no personal data), and falls back to the database when Elasticsearch is down.

The /search page, GET /api/v1/search, the FAQ and the hotline console all call `find`.
"""

import queue
import re
import threading
import time
from dataclasses import dataclass
from datetime import date
from functools import partial

from elasticsearch import ApiError, TransportError
from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from portal.database import insert_rows
from portal.extensions import db, search_client
from portal.models import (
    Answer,
    Article,
    BestBet,
    Department,
    LexiconEntry,
    Matter,
    QueryLog,
    SearchClick,
    SynonymGroup,
)
from portal.models.base import STATUS_PUBLISHED, utcnow
from portal.site_search import generation as search_generation
from portal.site_search.params import DEFAULT_SIZE, kind_of, kinds_of, page_of, search_text, size_of
from search import queries
from search.documents import document_id
from search.indexes import KINDS
from search.lexicon import Entry, table_from_entries
from search.queries import SearchHit, SearchParams, SearchResults
from search.synonyms import table_from_groups

# Each process keeps what searches read again and again — synonyms, lexicon and best bets, recent
# results, suggestions — in one store per app (app.extensions), emptied when the search generation
# moves (every change to what searches answer moves it).
RESULT_CACHE_SIZE = 2000
SUGGESTION_CACHE_SIZE = 5000


class _SearchStore:
    def __init__(self, generation):
        self.generation = generation
        self.settings = None
        self.results = {}  # _cache_key(params) → (monotonic time, SearchResults)
        self.suggestions = {}  # (text, kind) → suggestions
        self.fragments = {}  # (text, locale) → rendered suggestions


def _store():
    """This app's store for the current search generation (a new, empty one when it moved)."""
    app, generation = current_app._get_current_object(), search_generation.current()
    store = app.extensions.get("search_store")
    if store is None or store.generation != generation:
        store = app.extensions["search_store"] = _SearchStore(generation)
    return store


@dataclass(frozen=True)
class _Settings:
    synonyms: dict  # term → equivalent terms, longest terms first
    lexicon: dict  # colloquial term → official terms, longest terms first
    best_bets: dict  # normalised query → [(expires_on, matter id)] in pinned order


def _settings():
    store = _store()
    if store.settings is not None:
        return store.settings
    best_bets = {}
    for bet in db.session.scalars(select(BestBet).order_by(BestBet.query, BestBet.position, BestBet.id)):
        best_bets.setdefault(bet.query, []).append((bet.expires_on, bet.matter_id))
    settings = _Settings(
        synonyms=table_from_groups(group.term_list for group in db.session.scalars(select(SynonymGroup))),
        lexicon=table_from_entries(Entry(entry.term, tuple(entry.official_list))
                                   for entry in db.session.scalars(select(LexiconEntry).where(LexiconEntry.enabled))),
        best_bets=best_bets,
    )
    store.settings = settings
    return settings


def synonym_table():
    """term → equivalent terms, from the synonym groups."""
    return _settings().synonyms


def lexicon_table():
    """colloquial term → official terms, from the administrators' lexicon."""
    return _settings().lexicon


def search_settings_changed():
    """After synonyms or best bets were edited (and committed): every process re-reads them, and
    no page rendered with the old ones is served again."""
    search_generation.bump()
    db.session.commit()


def active_best_bets(query, today=None):
    """Index ids of the matters pinned for this exact query and not expired. query: as searched
    (search_text), as the best bets are kept."""
    today = today or date.today()
    pinned = _settings().best_bets.get(query, [])
    return [document_id("matter", matter_id) for expires_on, matter_id in pinned
            if expires_on is None or expires_on >= today]


def make_params(q, kind=None, filters=None, page=1, size=DEFAULT_SIZE, disabled=(), explain=False, hints=True,
                kinds=KINDS, with_facets=True, lookup=False, internal=False):
    """Search parameters for the words q, as typed: every portal search is made here. The words
    are normalised once (search_text), and kind, kinds, page and size kept to what a search may
    be (portal/site_search/params.py; a bad value gets its default). filters: from facet_filters.
    hints=False for callers that show no did-you-mean or weak-match notice: it spares them a
    second request to Elasticsearch on a poor match. kinds: the indexes searched; with_facets:
    tab counts and facets; lookup and internal: see SearchParams (the hotline console)."""
    query = search_text(q)
    return SearchParams(
        q=query, kind=kind_of(kind), filters=filters or {}, page=page_of(page), size=size_of(size),
        synonyms=synonym_table(), lexicon=lexicon_table(), best_bets=active_best_bets(query),
        disabled=frozenset(disabled), explain=explain, hints=hints, kinds=kinds_of(kinds), with_facets=with_facets,
        lookup=lookup, internal=internal,
    )


def find(params, channel="page", log=True, fresh=False):
    """Results for params, from Elasticsearch or — when it is unreachable — from the database
    (degraded); the query is logged (see `log_query`) unless log is False. fresh: not from the
    result cache, for a caller that keeps the results for a while itself (the shared pages)."""
    try:
        results = _cached_search(params, fresh)
    except (TransportError, ApiError) as error:
        current_app.logger.warning("search degraded to the database", extra={"fields": {"error": type(error).__name__}})
        results = database_search(params)
    if log and (entry := log_entry(params, results, channel)):
        log_query(entry)
    return results


def log_entry(params, results, channel):
    """What the query log keeps of a search: words, tab, page, result count — never who asked.
    None for a search without words."""
    if not params.q:
        return None
    return {"query": params.q, "kind": params.kind, "page": params.page, "results": results.total,
            "took_ms": results.took_ms, "degraded": results.degraded, "channel": channel}


def log_query(entry):
    """Queue a log_entry() as asked now; a thread of its own writes the rows in batches, off the
    request path."""
    _query_log_writer().put(entry)


def query_logger(entry):
    """A function that logs a log_entry() as asked each time it is called, with no app context
    (what a shared /search page runs for each visitor served from memory)."""
    return partial(_query_log_writer().put, entry)


# Identical searches within SEARCH_RESULT_CACHE_SECONDS (default 1 s) share one answer from
# Elasticsearch: no staler than the index itself, which shows changes on its 1 s refresh anyway.


def _cache_key(params):
    filters = tuple(sorted((facet, tuple(values)) for facet, values in params.filters.items()))
    return (params.q, params.kind, filters, params.page, params.size,
            tuple(params.best_bets), params.disabled, params.kinds, params.lookup, params.with_facets,
            params.internal, params.hints)


def _cached_search(params, fresh=False):
    lifetime = current_app.config["SEARCH_RESULT_CACHE_SECONDS"]
    if params.explain or lifetime <= 0:
        return queries.search(search_client.es, search_client.index_prefix, params)
    kept, key, now = _store().results, _cache_key(params), time.monotonic()
    cached = kept.get(key)
    if cached and now - cached[0] < lifetime and not fresh:
        return cached[1]
    results = queries.search(search_client.es, search_client.index_prefix, params)
    if len(kept) >= RESULT_CACHE_SIZE:
        kept.clear()
    kept[key] = (now, results)
    return results


class _QueryLogWriter:
    """Writes query log rows in batches on a thread of its own, off the request path: it lets rows
    gather for QUERY_LOG_GATHER_SECONDS after the first (one transaction for many, and no wake-up of
    the thread for each search: shared /search pages log thousands a second) and writes them with
    PostgreSQL's COPY (portal.database.insert_rows: a quarter of the work of an INSERT a row, on
    both sides). Rows still queued when the process stops are lost: they are statistics, not
    records."""

    def __init__(self, app):
        self.app = app
        self.rows = queue.Queue()
        self.hurry = threading.Event()
        threading.Thread(target=self._run, daemon=True, name="query-log-writer").start()

    def put(self, entry):
        self.rows.put({**entry, "at": utcnow()})

    def flush(self):
        """Wait until every row queued so far is written (or given up on)."""
        self.hurry.set()
        self.rows.join()

    def _run(self):
        while True:
            batch = [self.rows.get()]
            self.hurry.wait(QUERY_LOG_GATHER_SECONDS)
            self.hurry.clear()
            while len(batch) < QUERY_LOG_BATCH:
                try:
                    batch.append(self.rows.get_nowait())
                except queue.Empty:
                    break
            with self.app.app_context():
                try:
                    with db.engine.begin() as connection:
                        insert_rows(connection, QueryLog.__table__, batch)
                except SQLAlchemyError:
                    self.app.logger.warning("query log batch not written", extra={"fields": {"rows": len(batch)}})
                finally:
                    for _ in batch:
                        self.rows.task_done()


QUERY_LOG_BATCH = 5000
QUERY_LOG_GATHER_SECONDS = 0.25
_writers_lock = threading.Lock()


def _query_log_writer():
    app = current_app._get_current_object()
    writer = app.extensions.get("search_query_log_writer")
    if writer is None:
        with _writers_lock:
            writer = app.extensions.get("search_query_log_writer")
            if writer is None:
                writer = app.extensions["search_query_log_writer"] = _QueryLogWriter(app)
    return writer


def flush_query_log():
    """Wait until this app's queued query log rows are in the database (for tests and tools)."""
    writer = current_app.extensions.get("search_query_log_writer")
    if writer is not None:
        writer.flush()


def _fallback_sources(words, internal=False):
    """(kind, statement, to_hit) for each kind: published rows whose name contains the query."""
    matter_statement = select(Matter).where(
        Matter.status == STATUS_PUBLISHED,
        or_(Matter.name.icontains(words, autoescape=True), Matter.short_name.icontains(words, autoescape=True)))
    answer_statement = select(Answer).where(Answer.status == STATUS_PUBLISHED,
                                            Answer.question.icontains(words, autoescape=True))
    if not internal:
        answer_statement = answer_statement.where(Answer.public.is_(True))
    article_statement = select(Article).where(Article.status == STATUS_PUBLISHED,
                                              Article.title.icontains(words, autoescape=True))
    return (
        ("matter", matter_statement, lambda row: (row.id, row.name, f"/matters/{row.code}", row.department)),
        ("answer", answer_statement, lambda row: (row.id, row.question, f"/answers/{row.id}", row.department)),
        ("article", article_statement, lambda row: (
            row.id, row.title, f"/dept/{row.department.slug}/articles/{row.slug}", row.department)),
    )


def database_search(params):
    """Plain "name contains the query" search in the database, for when Elasticsearch is down
    (over params.kinds, as the search it stands in for)."""
    started = time.monotonic()
    counts, hits = dict.fromkeys(KINDS, 0), []
    size = params.size  # clamped with the page when the params were built (SearchParams)
    offset = (params.page - 1) * size
    for kind, statement, to_hit in _fallback_sources(params.q, params.internal):
        if kind not in params.kinds:
            continue
        counts[kind] = db.session.scalar(select(func.count()).select_from(statement.subquery()))
        if params.kind in (None, kind) and len(hits) < size:
            model = statement.column_descriptions[0]["entity"]
            for row in db.session.scalars(statement.order_by(model.id).offset(offset).limit(size - len(hits))):
                entity_id, title, url, department = to_hit(row)
                hits.append(SearchHit(
                    id=document_id(kind, entity_id), type=kind, title=title, url=url, snippet="",
                    department=department.name if isinstance(department, Department) else None,
                    score=None,
                ))
    total = counts[params.kind] if params.kind else sum(counts.values())
    return SearchResults(total=total, hits=hits, counts=counts, facets={},
                         took_ms=int((time.monotonic() - started) * 1000), degraded=True)


# Suggestions as you type, kept per process while the search generation stays put (every change
# to what searches answer, the lexicon included, moves it): most keystrokes are prefixes someone
# typed a moment ago.


def _suggestion_store(name):
    kept = getattr(_store(), name)
    if len(kept) >= SUGGESTION_CACHE_SIZE:
        kept.clear()
    return kept


def suggestions(text, kind=None):
    """Completions for the text as typed."""
    return _suggestions(search_text(text), kind)


def _suggestions(prefix, kind=None):
    store, entry = _suggestion_store("suggestions"), (prefix, kind)
    found = store.get(entry)
    if found is not None:
        return found
    try:
        found = queries.suggest(search_client.es, search_client.index_prefix, prefix, kind=kind,
                                lexicon_table=lexicon_table())
    except (TransportError, ApiError):
        return []
    store[entry] = found
    return found


def suggestion_fragment(text, render):
    """The rendered suggestions for the text as typed (render(items) makes it from the
    suggestions), kept like the suggestions."""
    from flask_babel import get_locale

    prefix = search_text(text)
    store, entry = _suggestion_store("fragments"), (prefix, str(get_locale()))
    fragment = store.get(entry)
    if fragment is None:
        fragment = store[entry] = render(_suggestions(prefix))
    return fragment


RESULT_ID = re.compile(rf"({'|'.join(KINDS)})-[0-9]{{1,12}}")


def record_click(query, kind, result_id, position):
    """Count a click on result `result_id` at `position` of the search for `query` on tab `kind`
    (None = all); input that no results page of ours links to is not counted. True if counted."""
    query = search_text(query)
    if (not query or kind not in (None, *KINDS) or not RESULT_ID.fullmatch(result_id or "")
            or not 1 <= position <= queries.MAX_PAGE * queries.MAX_SIZE):
        return False
    db.session.add(SearchClick(query=query, kind=kind, result_id=result_id, position=position))
    db.session.commit()
    return True


CLOSEST_ANSWERS = 3


def closest_answers(params, results):
    """The hotline answers closest to a query that no matter answers well (for the honest page; it
    shows their titles only). When the page's own search (every kind, no filter or switched-off
    component, first page) already holds CLOSEST_ANSWERS answers, they are those: each kind has an
    index of its own, so an answer scores the same in both searches and Elasticsearch is not asked
    again (most weak searches; the one difference: an answer titled exactly like a matter above it
    is folded under that matter there, as in the page's own list). Otherwise a lookup of answers
    alone (no highlights, exact total or collapse; duplicate titles dropped from a few extra hits:
    about half a full search)."""
    if params.kind is None and not params.filters and not params.disabled and params.page == 1:
        found = [hit for hit in results.hits if hit.type == "answer"]
        if len(found) >= CLOSEST_ANSWERS:
            return found[:CLOSEST_ANSWERS]
    lookup = make_params(params.q, kind="answer", size=CLOSEST_ANSWERS, hints=False, kinds=("answer",),
                         with_facets=False, lookup=True)
    try:
        return _cached_search(lookup).hits
    except (TransportError, ApiError):
        return []

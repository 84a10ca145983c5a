"""The content generation: a count of the committed changes to what public pages show.

Every flush (or bulk UPDATE/INSERT/DELETE) that writes a table other than the bookkeeping ones
below moves the count in the same transaction: a publish, a withdrawal, a correction, a
department's site profile, a platform marked down, a rating. Shared anonymous pages
(portal/page_cache.py) are kept while the count stays put, so a change shows on the next request
after its commit (each process reads the count at most every CHECK_SECONDS), and so is what each
app keeps computed from the content (`kept`). Listing the tables
that do *not* count, rather than those that do, means a new table shown on a public page moves
the count without anyone remembering to add it.
"""

import time

from flask import has_app_context
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from portal import generation_reader
from portal.generation_reader import CHECK_SECONDS  # noqa: F401 - how often a process reads the count
from portal.models.base import utcnow
from portal.models.generation import ContentGeneration

# Writes to these never change a public page (or change only what pages refresh by age anyway:
# popularity): usage counts, logs, sessions, the search outbox and the counters themselves.
BOOKKEEPING_TABLES = frozenset({
    "content_generation", "search_generation", "search_outbox", "search_query_log", "search_clicks",
    "matter_page_views", "link_throughs", "audit_log", "users", "sso_sessions", "hotline_calls",
    "hotline_handoffs", "hotline_answer_uses", "answer_feedback", "alembic_version",
})
_TABLE = ContentGeneration.__table__
_BUMPED = "content_generation_bumped"


def _bump(connection):
    changed = connection.execute(update(_TABLE).where(_TABLE.c.id == 1)
                                 .values(value=_TABLE.c.value + 1, changed_at=utcnow()))
    if changed.rowcount == 0:
        # The row is gone: start again from the clock, so that no process mistakes the new count
        # for one it has already seen.
        connection.execute(_TABLE.insert().values(id=1, value=time.time_ns(), changed_at=utcnow()))


def _counts(table_names):
    return any(name not in BOOKKEEPING_TABLES for name in table_names)


def _tables_of(objects):
    for instance in objects:
        table = getattr(instance, "__table__", None)
        if table is not None:
            yield table.name


@event.listens_for(Session, "before_flush")
def _before_flush(session, _flush_context, _instances):
    if session.info.get(_BUMPED):
        return
    changed = [*session.new, *session.deleted,
               *(instance for instance in session.dirty if session.is_modified(instance))]
    if changed and _counts(_tables_of(changed)):
        _bump(session.connection())
        session.info[_BUMPED] = True


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state):
    if not (state.is_update or state.is_delete or state.is_insert) or state.session.info.get(_BUMPED):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) and _counts([table.name]):
        _bump(state.session.connection())
        state.session.info[_BUMPED] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    if session.info.pop(_BUMPED, False) and has_app_context():
        reader().forget()  # read it again on the next request


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, transaction):
    if transaction.parent is None:  # rolled back, closed or committed: the next one counts again
        session.info.pop(_BUMPED, None)


def reader(app=None):
    """This app's reading of the count: (value, changed_at), read at most every CHECK_SECONDS."""
    return generation_reader.reader("content_generation", _TABLE, app)


def current():
    """The count, as this process last read it (at most CHECK_SECONDS ago)."""
    return reader().get()[0]


def kept(key, compute, version=None, lasting=False):
    """compute(), kept by this app while the content generation stays put: what a process keeps
    because it was read or derived from the content (counts, trained models) lives here, never in a
    module-level dict, so a publish or an import shows at once and two apps of one process never see
    each other's. version: for what the count does not cover (bookkeeping tables), recomputed when it
    differs. lasting: for what the content never changes (a file named by the app's settings, the
    query log), kept across content changes until `version` differs. Key it by module, e.g.
    ("open_data.row_count", name)."""
    return reader().kept(key, compute, version, lasting)

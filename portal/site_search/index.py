"""The portal's side of indexing: turns matters, answers and articles into the plain records
`search/` indexes, runs full reindexes and drains the search outbox.

Called by `flask search reindex|sync`, by tests and by benchmarks alike.
"""

import contextlib
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from elasticsearch import ApiError, TransportError
from sqlalchemy import func, select
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import selectinload

from portal.extensions import db, search_client
from portal.models import Answer, Article, Matter, SearchOutbox, utcnow
from portal.models.base import STATUS_PUBLISHED
from portal.popularity import matter_popularity
from portal.site_search import generation as search_generation
from search.indexes import KINDS, ensure_aliases
from search.indexing import Change, apply_changes, reindex
from search.queries import INTERNAL_AUDIENCE

# Popularity (link-throughs and page views, decayed) is computed by portal/popularity.py.
SYNC_BATCH = 200
MAX_BACKOFF_SECONDS = 300
_TAGS = re.compile(r"<[^>]+>")


def matter_record(matter, popularity=0.0):
    names = [matter.short_name, *(matter.aliases or []), matter.base_name]
    materials = " ".join(material.name for material in matter.materials)
    return {
        "kind": "matter", "entity_id": matter.id, "version": matter.lock_version, "code": matter.code,
        "url": f"/matters/{matter.code}", "title": matter.name, "aliases": [name for name in names if name],
        "body": " ".join(filter(None, [matter.conditions, materials])),
        "department": matter.department.name if matter.department else None,
        "matter_type": matter.matter_type, "audiences": matter.audiences or [], "themes": matter.themes or [],
        "life_events": matter.life_events or [], "level": matter.level, "region": matter.region_name,
        "online_depth": matter.online_depth, "popularity": round(popularity, 3),
        "published_at": matter.published_at.isoformat() if matter.published_at else None,
    }


def answer_record(answer):
    return {
        "kind": "answer", "entity_id": answer.id, "version": answer.lock_version, "code": str(answer.id),
        "url": f"/answers/{answer.id}", "title": answer.question, "aliases": list(answer.phrasings or []),
        # Answers are stored as cleaned HTML; snippets show text, not markup.
        "body": _TAGS.sub(" ", answer.public_answer or ""),
        "department": answer.department.name if answer.department else None,
        "published_at": answer.published_at.isoformat() if answer.published_at else None,
        # Imported replies not yet curated are operators' knowledge: public searches leave them out.
        "audiences": None if answer.public else [INTERNAL_AUDIENCE],
    }


def article_record(article):
    department = article.department
    return {
        "kind": "article", "entity_id": article.id, "version": article.lock_version, "code": article.slug,
        "url": f"/dept/{department.slug}/articles/{article.slug}" if department else "",
        "title": article.title, "aliases": [],
        "body": " ".join(filter(None, [article.summary, _TAGS.sub(" ", article.body_html or "")])),
        "department": department.name if department else None, "themes": [article.column],
        "published_at": article.published_at.isoformat() if article.published_at else None,
    }


def message_record(message):
    """A published 政民互动 message in the 问答 tab: one more kind of answer, under a document id of its
    own (`answer-m<id>`), with only its masked public copies."""
    replies = " ".join(reply.public_body for reply in message.approved_replies)
    return {
        "kind": "answer", "entity_id": f"m{message.id}", "version": message.lock_version, "code": f"m{message.id}",
        "url": f"/messages/{message.id}", "title": message.public_title, "aliases": [],
        "body": f"{message.public_body} {replies}",
        "department": message.department.name if message.department else None,
        "published_at": message.published_at.isoformat() if message.published_at else None,
    }


def published_message_records(ids=None):
    """Records of the public messages (replied and publishable), in pages."""
    from portal.interaction.service import public_condition
    from portal.models import Message

    statement = select(Message).where(public_condition()).options(
        selectinload(Message.department), selectinload(Message.replies))
    if ids is not None:
        statement = statement.where(Message.id.in_(ids))
    last_id = 0
    while True:
        page = db.session.scalars(statement.where(Message.id > last_id).order_by(Message.id).limit(_PAGE)).all()
        if not page:
            return
        yield from (message_record(message) for message in page)
        last_id = page[-1].id


def _message_changes(message_ids, versions):
    """Outbox rows of entity type "message": upserts into the answer index, or deletes."""
    from portal.models import Message

    records = {record["entity_id"]: record for record in published_message_records(message_ids)}
    current = dict(db.session.execute(
        select(Message.id, Message.lock_version).where(Message.id.in_(message_ids))).all())
    return [Change("answer", f"m{message_id}", max(current.get(message_id, 1), versions.get(message_id, 1)),
                   records.get(f"m{message_id}")) for message_id in message_ids]


@dataclass(frozen=True)
class _KindSource:
    model: type
    to_record: object
    loads: tuple


SOURCES = {
    "matter": _KindSource(Matter, matter_record, (selectinload(Matter.department), selectinload(Matter.materials))),
    "answer": _KindSource(Answer, answer_record, (selectinload(Answer.department),)),
    "article": _KindSource(Article, article_record, (selectinload(Article.department),)),
}
_PAGE = 1000


def published_records(kind, ids=None):
    """Records of published entities of one kind, read in pages (constant memory)."""
    source = SOURCES[kind]
    statement = select(source.model).where(source.model.status == STATUS_PUBLISHED).options(*source.loads)
    if ids is not None:
        statement = statement.where(source.model.id.in_(ids))
    last_id = 0
    while True:
        page = db.session.scalars(
            statement.where(source.model.id > last_id).order_by(source.model.id).limit(_PAGE)).all()
        if not page:
            break
        popularity = matter_popularity([entity.id for entity in page]) if kind == "matter" else {}
        for entity in page:
            yield (source.to_record(entity, popularity.get(entity.id, 0.0)) if kind == "matter"
                   else source.to_record(entity))
        last_id = page[-1].id
    if kind == "answer" and ids is None:
        yield from published_message_records()  # 政民互动 messages share the 问答 index


def published_count(kind):
    model = SOURCES[kind].model
    count = db.session.scalar(select(func.count()).select_from(model).where(model.status == STATUS_PUBLISHED))
    if kind == "answer":
        from portal.interaction.service import public_condition
        from portal.models import Message

        count += db.session.scalar(select(func.count()).select_from(Message).where(public_condition()))
    return count


def reindex_kind(kind, progress=None):
    """Rebuild one kind's index from the database and swap its alias; changes synced meanwhile
    are replayed onto the new index afterwards, so none is lost by the swap."""
    started = utcnow()
    result = reindex(search_client.indexing_es, search_client.index_prefix, kind, published_records(kind),
                     progress=progress)
    replay_since(kind, started)
    search_generation.bump()
    db.session.commit()
    return result


def replay_since(kind, since):
    changed = db.session.scalars(
        select(SearchOutbox.entity_id).where(SearchOutbox.entity_type == kind, SearchOutbox.processed_at >= since)
        .distinct()).all()
    changes = _current_changes(kind, changed, {}) if changed else []
    if kind == "answer":
        messages = db.session.scalars(
            select(SearchOutbox.entity_id).where(SearchOutbox.entity_type == "message",
                                                 SearchOutbox.processed_at >= since).distinct()).all()
        changes += _message_changes(messages, {}) if messages else []
    if changes:
        errors = apply_changes(search_client.indexing_es, search_client.index_prefix, changes)
        if errors:
            raise RuntimeError(f"replaying {len(errors)} changes after the swap failed")


def _current_changes(kind, entity_ids, versions):
    """Changes bringing the index to the database's current state of the given entities: an
    upsert when the entity is published now, a delete otherwise, at the highest known version."""
    records = {record["entity_id"]: record for record in published_records(kind, entity_ids)}
    model = SOURCES[kind].model
    current = dict(db.session.execute(select(model.id, model.lock_version).where(model.id.in_(entity_ids))).all())
    changes = []
    for entity_id in entity_ids:
        version = max(current.get(entity_id, 1), versions.get(entity_id, 1))
        changes.append(Change(kind, entity_id, version, records.get(entity_id)))
    return changes


@dataclass
class SyncReport:
    indexed: int = 0
    failed: int = 0
    error: str | None = None


def backoff_seconds(attempts):
    """1, 2, 4 … seconds between attempts, at most MAX_BACKOFF_SECONDS."""
    return min(2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


def _rollback_quietly():
    with contextlib.suppress(Exception):  # the connection is gone; the pool drops it
        db.session.rollback()


def pending_outbox_count():
    return db.session.scalar(select(func.count()).select_from(SearchOutbox).where(SearchOutbox.processed_at.is_(None)))


def sync_batch(batch_size=SYNC_BATCH):
    """Index one batch of due outbox rows. Rows that fail wait with exponential backoff;
    concurrent workers skip each other's rows (FOR UPDATE SKIP LOCKED on PostgreSQL)."""
    now = utcnow()
    rows = db.session.scalars(
        select(SearchOutbox).where(SearchOutbox.processed_at.is_(None), SearchOutbox.next_attempt_at <= now)
        .order_by(SearchOutbox.id).limit(batch_size).with_for_update(skip_locked=True)).all()
    report = SyncReport()
    if not rows:
        db.session.commit()
        return report
    # The entity's current state decides, whatever the rows said on the way there.
    versions = {}
    for row in rows:
        key = (row.entity_type, row.entity_id)
        versions[key] = max(versions.get(key, 0), row.entity_version)
    changes = []
    for kind in KINDS:
        of_kind = {entity_id: version for (row_kind, entity_id), version in versions.items() if row_kind == kind}
        if of_kind:
            changes += _current_changes(kind, sorted(of_kind), of_kind)
    messages = {entity_id: version for (row_kind, entity_id), version in versions.items() if row_kind == "message"}
    if messages:
        changes += _message_changes(sorted(messages), messages)
    owners = [("message", int(change.entity_id[1:])) if isinstance(change.entity_id, str) else
              (change.kind, change.entity_id) for change in changes]
    try:
        ensure_aliases(search_client.indexing_es, search_client.index_prefix)
        # Searchable when this returns: the generation below then never moves ahead of the index.
        errors = apply_changes(search_client.indexing_es, search_client.index_prefix, changes, refresh="wait_for")
    except (TransportError, ApiError) as error:
        errors = {position: f"{type(error).__name__}: {error}"[:500] for position in range(len(changes))}
        report.error = type(error).__name__
    failed = {owners[position]: message for position, message in errors.items()}
    for row in rows:
        message = failed.get((row.entity_type, row.entity_id))
        if message is None:
            row.processed_at = now
            report.indexed += 1
        else:
            row.attempts += 1
            row.last_error = message
            row.next_attempt_at = now + timedelta(seconds=backoff_seconds(row.attempts))
            report.failed += 1
    if report.indexed:
        search_generation.bump()
    db.session.commit()
    return report


def sync(follow=False, batch_size=SYNC_BATCH, poll_seconds=0.5, on_batch=None, should_stop=None, each_round=None):
    """Drain the outbox; with follow, keep polling until should_stop() says so. `each_round` runs
    before every batch (the worker publishes scheduled content there, so it gets indexed at once)."""
    total = SyncReport()
    database_down = 0
    while True:
        try:
            if each_round:
                each_round()
            report = sync_batch(batch_size)
            database_down = 0
        except (TransportError, ApiError) as error:
            db.session.rollback()
            report = SyncReport(error=type(error).__name__)
        except (OperationalError, DisconnectionError, PoolTimeoutError) as error:
            # PostgreSQL stopped or restarting: nothing was marked done (the batch's transaction never
            # committed), so the rows are still there; wait and try again, as for Elasticsearch.
            _rollback_quietly()
            report = SyncReport(error=type(error).__name__)
            database_down += 1
            if not follow:
                if on_batch:
                    on_batch(report)
                return total
            time.sleep(min(backoff_seconds(database_down), 10))
        total.indexed += report.indexed
        total.failed += report.failed
        if on_batch and (report.indexed or report.failed or report.error):
            on_batch(report)
        if should_stop and should_stop():
            return total
        if report.indexed == 0:
            if not follow:
                return total
            time.sleep(poll_seconds)

"""The change log behind /open/changes: one row per change to published content, written in the
transaction that made the change, numbered in commit order afterwards.

Why numbered afterwards: ids come from a sequence when a row is inserted, but transactions commit
in another order; a consumer who had read up to id 6 would never see id 5 committed a moment later.
So `sequence()` (run before every read) hands out cursors to committed, unnumbered rows under a
lock on the one counter row: whatever commits later gets a higher cursor than anything read before.
"""

import logging

from sqlalchemy import bindparam, event, exc, func, inspect, select, update
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import Answer, Department, Matter, OpenChange, OpenChangeSequence, Platform, answer_matters
from portal.models.base import STATUS_PUBLISHED, utcnow

log = logging.getLogger(__name__)

UPSERT, DELETE = "upsert", "delete"
# entity name in the feed → (model, how the datasets name a row, whether a record is in its dataset)
FEED_ENTITIES = {
    "matter": (Matter, lambda entity: entity.code, lambda entity: entity.status == STATUS_PUBLISHED),
    "answer": (Answer, lambda entity: str(entity.id),
               lambda entity: entity.status == STATUS_PUBLISHED and entity.public is not False),
}


def _public_message(entity):
    return bool(entity.publishable) and entity.published_at is not None


def _register_messages():
    from portal.models import Message

    FEED_ENTITIES["message"] = (Message, lambda entity: str(entity.id), _public_message)


_register_messages()
SEQUENCE_BATCH = 5000


def register(entity, model, public_id, visible):
    """Let another area's published records into the feed (e.g. the resource catalogue)."""
    FEED_ENTITIES[entity] = (model, public_id, visible)


def record(entity_type, entity_id, operation, version):
    """Add a change row to the current session, for the caller to commit with the change itself.
    Called wherever published content changes (portal/outbox.py's enqueue: the workflow's publish,
    correction and withdrawal, the hotline import); kinds without a dataset are ignored."""
    known = FEED_ENTITIES.get(entity_type)
    if known is None:
        return None
    model, public_id_of, visible = known
    entity = db.session.get(model, entity_id)
    if entity is None:
        return None
    public_id = public_id_of(entity)
    now = utcnow()
    previous = db.session.execute(
        select(OpenChange.public_id, OpenChange.action)
        .where(OpenChange.entity == entity_type, OpenChange.entity_key == entity_id)
        .order_by(OpenChange.id.desc()).limit(1)
    ).first()
    action = UPSERT if operation == UPSERT and visible(entity) else DELETE
    if action == DELETE and operation == UPSERT and (previous is None or previous.action == DELETE):
        return None  # published but not open (an internal answer) and never announced
    if previous is not None and previous.action == UPSERT and previous.public_id != public_id:
        # A correction changed the public id (a matter's code): the old one is gone for consumers.
        db.session.add(OpenChange(entity=entity_type, entity_key=entity_id, public_id=previous.public_id,
                                  action=DELETE, version=version, at=now))
    row = OpenChange(entity=entity_type, entity_key=entity_id, public_id=public_id, action=action,
                     version=version, at=now)
    db.session.add(row)
    if entity_type == "matter":
        _linked_answers_changed([entity_id], now)
    return row


def _linked_answers_changed(matter_ids, now):
    """A published answer's row lists the published matters it cites: when one of them changes,
    the answer's row changes too."""
    linked = db.session.execute(
        select(Answer.id, Answer.lock_version).join(answer_matters, answer_matters.c.answer_id == Answer.id)
        .where(answer_matters.c.matter_id.in_(matter_ids), Answer.status == STATUS_PUBLISHED,
               Answer.public.is_(True)).distinct()
    ).all()
    for answer_id, answer_version in linked:
        db.session.add(OpenChange(entity="answer", entity_key=answer_id, public_id=str(answer_id), action=UPSERT,
                                  version=answer_version, at=now))


def _organisation_renamed(session, _context, _instances):
    """A matter's row carries its department's and platform's names and codes, so renaming one
    (an administrator's edit, outside the workflow) changes the rows of their published matters."""
    now = None
    for instance in list(session.dirty):
        if isinstance(instance, Department):
            fields, column = ("name", "code"), Matter.department_id
        elif isinstance(instance, Platform):
            fields, column = ("name", "code"), Matter.platform_id
        else:
            continue
        state = inspect(instance)
        if not any(state.attrs[name].history.has_changes() for name in fields):
            continue
        now = now or utcnow()
        matters = session.execute(
            select(Matter.id, Matter.code, Matter.lock_version).where(column == instance.id, _published())
        ).all()
        for matter_id, code, version in matters:
            session.add(OpenChange(entity="matter", entity_key=matter_id, public_id=code, action=UPSERT,
                                   version=version, at=now))


def _published():
    return Matter.status == STATUS_PUBLISHED


event.listen(Session, "before_flush", _organisation_renamed)


def record_many(entity_type, entities):
    """Upserts for many just-published records at once (the seed importer's bulk path)."""
    _model, public_id_of, _visible = FEED_ENTITIES[entity_type]
    now = utcnow()
    rows = [{"entity": entity_type, "entity_key": entity.id, "public_id": public_id_of(entity), "action": UPSERT,
             "version": entity.lock_version, "at": now} for entity in entities]
    if rows:
        db.session.execute(OpenChange.__table__.insert(), rows)
    return len(rows)


def sequence():
    """Give cursors, in order, to every committed change that has none yet. Safe to call from many
    processes at once (the counter row is locked); a failure only leaves the work to the next call."""
    table, counter = OpenChange.__table__, OpenChangeSequence.__table__
    try:
        with db.engine.begin() as connection:
            if connection.scalar(select(table.c.id).where(table.c.cursor.is_(None)).limit(1)) is None:
                return 0
            last = connection.scalar(select(counter.c.value).where(counter.c.id == 1).with_for_update())
            if last is None:
                last = connection.scalar(select(func.max(table.c.cursor))) or 0
                connection.execute(counter.insert().values(id=1, value=last))
            ids = connection.scalars(
                select(table.c.id).where(table.c.cursor.is_(None)).order_by(table.c.id).limit(SEQUENCE_BATCH)
            ).all()
            numbering = update(table).where(table.c.id == bindparam("row_id")).values(cursor=bindparam("number"))
            connection.execute(numbering, [{"row_id": row_id, "number": number}
                                           for number, row_id in enumerate(ids, start=last + 1)])
            connection.execute(update(counter).where(counter.c.id == 1).values(value=last + len(ids)))
            return len(ids)
    except exc.DBAPIError as error:  # a concurrent numbering run won; the next read numbers what is left
        log.info("open data change numbering deferred: %s", type(error).__name__)
        return 0


def latest_cursor():
    sequence()
    return db.session.scalar(select(func.max(OpenChange.cursor))) or 0


def changes_since(since, limit):
    """Up to `limit` changes after cursor `since`, oldest first."""
    sequence()
    return db.session.scalars(
        select(OpenChange).where(OpenChange.cursor > since).order_by(OpenChange.cursor).limit(limit)
    ).all()


def latest_changes(limit):
    sequence()
    rows = db.session.scalars(
        select(OpenChange).where(OpenChange.cursor.is_not(None)).order_by(OpenChange.cursor.desc()).limit(limit)
    ).all()
    return rows

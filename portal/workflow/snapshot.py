"""Full snapshots of an editorial record (its content columns plus child lists and links), and
applying one back: the same shape serves version history, restore, diffs and the write API."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, inspect

from portal.extensions import db

# Workflow bookkeeping, not content: never part of a snapshot, never set by applying one.
BOOKKEEPING = frozenset({
    "id", "created_at", "updated_at", "lock_version", "status", "published_at", "scheduled_publish_at",
    "edition_status", "edition",
})


def content_columns(model):
    """(key, column) of the fields an editor changes, in declaration order. A model names its own
    flags that are not content (e.g. an answer's review flag) in `workflow_bookkeeping`."""
    skipped = BOOKKEEPING | getattr(model, "workflow_bookkeeping", frozenset())
    return [(prop.key, prop.columns[0]) for prop in inspect(model).column_attrs if prop.key not in skipped]


def child_lists(model):
    """Ordered one-to-many lists owned by the record (materials, steps, …), by relationship key.
    Only lists with a `position` count: other owned rows (ratings, versions) are not content."""
    return {
        rel.key: rel for rel in inspect(model).relationships
        if rel.uselist and rel.secondary is None and rel.cascade.delete_orphan and "position" in rel.mapper.columns
    }


def child_columns(relationship):
    """Content columns of a child row: not its key, its parent link or its position (the list order)."""
    parent_keys = {column.key for column in relationship.remote_side}
    return [
        (prop.key, prop.columns[0]) for prop in inspect(relationship.mapper.class_).column_attrs
        if not prop.columns[0].primary_key and prop.columns[0].key not in parent_keys and prop.key != "position"
    ]


def _dump(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _load(column, value):
    """The Python value of a snapshot value: dates come back from their ISO strings."""
    if isinstance(value, str) and isinstance(column.type, DateTime | Date):
        if not value:
            return None
        return datetime.fromisoformat(value) if isinstance(column.type, DateTime) else date.fromisoformat(value)
    return value


def take_snapshot(entity, links=()):
    model = type(entity)
    data = {key: _dump(getattr(entity, key)) for key, _ in content_columns(model)}
    for key, relationship in child_lists(model).items():
        columns = child_columns(relationship)
        data[key] = [{name: _dump(getattr(row, name)) for name, _ in columns} for row in getattr(entity, key)]
    for key in links:
        data[key] = sorted(row.id for row in getattr(entity, key))
    return data


def apply_snapshot(entity, data, links=()):
    """Set the fields present in `data` (a snapshot, possibly partial) on `entity`."""
    model = type(entity)
    for key, column in content_columns(model):
        if key in data:
            setattr(entity, key, _load(column, data[key]))
    for key, relationship in child_lists(model).items():
        if key in data:
            _replace_children(entity, key, relationship, data[key] or [])
    for key in links:
        if key in data:
            target = inspect(model).relationships[key].mapper.class_
            ids = list(data[key] or [])
            rows = db.session.scalars(db.select(target).where(target.id.in_(ids))).all() if ids else []
            setattr(entity, key, rows)


def _replace_children(entity, key, relationship, rows):
    child_model = relationship.mapper.class_
    columns = child_columns(relationship)
    children = getattr(entity, key)
    children.clear()
    for position, row in enumerate(rows):
        values = {name: _load(column, row.get(name)) for name, column in columns if name in row}
        children.append(child_model(position=position, **values))

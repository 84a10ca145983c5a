"""The transactional outbox: the one call every publish makes (workflow, knowledge and hotline
imports, message replies). A content change, its search outbox row and its open data change row
are committed together; the search sync worker (portal/site_search/index.py) drains the search
rows, so nothing is lost while Elasticsearch is down, and /open/changes reads the change rows.
It stays outside portal/site_search/ because it feeds both, and content areas call it, not search."""

from portal.extensions import db
from portal.models import SearchOutbox

# messages: 政民互动, indexed as answers; resources (政务信息资源目录) are not indexed, the sync passes them
ENTITY_TYPES = ("matter", "answer", "article", "message", "resource")
OPERATIONS = ("upsert", "delete")


def enqueue(entity_type, entity_id, operation, entity_version):
    """Add an outbox row to the current session; the caller commits it with the content change."""
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {entity_type!r}")
    if operation not in OPERATIONS:
        raise ValueError(f"unknown outbox operation {operation!r}")
    row = SearchOutbox(entity_type=entity_type, entity_id=entity_id, operation=operation,
                       entity_version=entity_version)
    db.session.add(row)
    from portal.open_data.changes import record  # the open data change feed, in the same transaction

    record(entity_type, entity_id, operation, entity_version)
    return row

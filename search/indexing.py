"""Writing to the indexes: full reindex behind an alias, and versioned single changes.

Every write carries an external version (the record's lock version), so a stale change that
arrives late — a replayed outbox row, a reindex racing an edit — never overwrites a newer one.
"""

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from elasticsearch.helpers import streaming_bulk

from search.documents import build_document, document_id
from search.indexes import alias_name, create_index, new_index_name, swap_alias

BULK_CHUNK = 1000
BULK_THREADS = 2
# A freshly built index up to this size is merged into one segment before searches reach it: every
# search then reads one term dictionary and one set of postings per field instead of several
# (~10-15 % less of Elasticsearch's time per search on the bench index). Bigger ones are left to
# the merge policy, so that a large reindex does not wait for a long merge.
FORCE_MERGE_MAX_DOCS = 50_000
FORCE_MERGE_TIMEOUT_SECONDS = 120


def _index_actions(index, records):
    for record in records:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": document_id(record["kind"], record["entity_id"]),
            "version": int(record.get("version") or 1),
            "version_type": "external_gte",
            "_source": build_document(record),
        }


def _send_chunk(es, chunk):
    return list(streaming_bulk(es, chunk, chunk_size=len(chunk), raise_on_error=False, max_retries=3,
                               initial_backoff=1))


def _pipelined_bulk(es, actions, chunk_size):
    """Bulk requests go out on BULK_THREADS threads while this thread builds (analyses) the next
    chunk, so Python's analysis overlaps the server's indexing. The actions are consumed in the
    calling thread, which may need its application context to read them."""
    with ThreadPoolExecutor(BULK_THREADS) as pool:
        in_flight = deque()
        while chunk := list(islice(actions, chunk_size)):
            in_flight.append(pool.submit(_send_chunk, es, chunk))
            while len(in_flight) > BULK_THREADS:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()


@dataclass
class ReindexResult:
    kind: str
    index: str
    indexed: int = 0
    failed: list = field(default_factory=list)
    removed: list = field(default_factory=list)


def reindex(es, prefix, kind, records, progress=None, chunk_size=BULK_CHUNK):
    """Build a new index of `records` for `kind`, swap the alias to it and delete the old one.

    Searches keep answering from the old index until the swap. `progress(n)` is called after
    every chunk with the number of documents just written.
    """
    index = create_index(es, new_index_name(prefix, kind), refresh_interval="-1")
    result = ReindexResult(kind=kind, index=index)
    try:
        for ok, item in _pipelined_bulk(es, _index_actions(index, records), chunk_size):
            if ok:
                result.indexed += 1
            else:
                result.failed.append(item)
            if progress and (result.indexed + len(result.failed)) % chunk_size == 0:
                progress(chunk_size)
        if progress:
            progress((result.indexed + len(result.failed)) % chunk_size)
        es.indices.put_settings(index=index, settings={"refresh_interval": "1s"})
        es.indices.refresh(index=index)
        if result.indexed <= FORCE_MERGE_MAX_DOCS:
            es.options(request_timeout=FORCE_MERGE_TIMEOUT_SECONDS).indices.forcemerge(index=index, max_num_segments=1)
            es.indices.refresh(index=index)
    except Exception:
        es.indices.delete(index=index, ignore_unavailable=True)
        raise
    result.removed = swap_alias(es, alias_name(prefix, kind), index)
    return result


@dataclass
class Change:
    """One index change: upsert `record` or delete the document, at `version`."""

    kind: str
    entity_id: int
    version: int
    record: dict | None  # None: delete


def _change_operations(prefix, changes):
    operations = []
    for change in changes:
        meta = {
            "_index": alias_name(prefix, change.kind), "_id": document_id(change.kind, change.entity_id),
            "version": int(change.version), "version_type": "external_gte",
        }
        if change.record is None:
            operations.append({"delete": meta})
        else:
            operations += [{"index": meta}, build_document(change.record)]
    return operations


def apply_changes(es, prefix, changes, refresh=False):
    """Write changes in one bulk request. Returns {position: error text} for those that failed;
    a version conflict (a newer write is already there) or deleting a missing document counts
    as done."""
    if not changes:
        return {}
    response = es.bulk(operations=_change_operations(prefix, changes), refresh=refresh)
    errors = {}
    for position, item in enumerate(response["items"]):
        outcome = next(iter(item.values()))
        if outcome.get("status", 500) < 300 or outcome.get("status") in (404, 409):
            continue
        errors[position] = str(outcome.get("error"))[:500]
    return errors

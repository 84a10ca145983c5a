"""Benchmark (c): reindex of 100k matters (the real matters expanded over counties as
implementation items, 实施清单) plus 100k answers (the real hotline replies expanded over
districts), documents per second through `search.indexing.reindex` (analysis in Python, bulk,
alias swap) against a raw bulk of the very same finished documents into an index of the same
mapping, measured in one run.

    .venv/bin/python bench/reindex_throughput.py [--matters 100000] [--answers 100000]

Targets: ≥ 60 % of raw bulk, under 5 minutes for the 200k documents. Uses its own index prefix
(bench-reindex) and deletes what it made. Not part of `make test`.
"""

import argparse
import csv
import json
import os
import re
import time

from elasticsearch import Elasticsearch
from elasticsearch.helpers import parallel_bulk
from harness import REPO

from search.datasets import shared_matter_records
from search.documents import build_document, document_id
from search.indexes import KINDS, alias_name, create_index, new_index_name
from search.indexing import BULK_CHUNK, BULK_THREADS, reindex

DATA = REPO.parent / "shared" / "data"
PREFIX = "bench-reindex"
# Digits long enough to be phone or ID numbers never leave this process, even in a benchmark.
_LONG_NUMBERS = re.compile(r"\d{7,}")


def counties():
    with open(DATA / "regions" / "areas.csv", encoding="utf-8") as handle:
        return [row["name"] for row in csv.DictReader(handle)]


def expanded_matters(count):
    """The real matters repeated per county, as each county's implementation list carries them."""
    matters, places = shared_matter_records(DATA), counties()
    for n in range(count):
        matter, county = matters[n % len(matters)], places[n // len(matters) % len(places)]
        yield {**matter, "entity_id": n + 1, "code": f"{matter['code']}-{n}", "url": f"/matters/{matter['code']}-{n}",
               "region": county, "department": f"{county}{matter.get('department') or ''}"}


def expanded_answers(count):
    lines = (DATA / "hotline" / "hotline_qa.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    districts = [f"A{number}区" for number in range(1, 10)] + [f"B{number}县" for number in range(1, 10)]
    for n in range(count):
        row = rows[n % len(rows)]
        district = districts[n // len(rows) % len(districts)]
        yield {"kind": "answer", "entity_id": n + 1, "version": 1, "code": str(n + 1), "url": f"/answers/{n + 1}",
               "title": _LONG_NUMBERS.sub("*", f"{district}{row['title']}"), "aliases": [],
               "body": _LONG_NUMBERS.sub("*", row.get("answer") or ""), "department": "12345政务服务便民热线"}


def raw_bulk(es, kind, documents):
    """The same finished documents, bulk-indexed with nothing else to do (on as many threads)."""
    index = create_index(es, new_index_name(f"{PREFIX}-raw", kind), refresh_interval="-1")
    actions = ({"_index": index, "_id": document_id(kind, source["entity_id"]), "_source": source}
               for source in documents)
    started = time.perf_counter()
    indexed = sum(1 for ok, _ in parallel_bulk(es, actions, thread_count=BULK_THREADS, chunk_size=BULK_CHUNK,
                                                queue_size=BULK_THREADS * 2, raise_on_error=False) if ok)
    es.indices.put_settings(index=index, settings={"refresh_interval": "1s"})
    es.indices.refresh(index=index)
    elapsed = time.perf_counter() - started
    es.indices.delete(index=index)
    return indexed, elapsed


def ours(es, kind, records):
    started = time.perf_counter()
    result = reindex(es, PREFIX, kind, records)
    return result.indexed, time.perf_counter() - started


def warm_up(es):
    """A small untimed bulk first, so neither side pays for the server's warm-up."""
    documents = [build_document(record) for record in expanded_matters(3000)]
    raw_bulk(es, "matter", documents)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matters", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--url", default="http://127.0.0.1:9200")
    arguments = parser.parse_args()
    es = Elasticsearch(arguments.url, request_timeout=300)
    warm_up(es)
    totals = {"ours": [0, 0.0], "raw": [0, 0.0]}
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    # Raw first for matters and last for answers, so a drift in the machine's load (others'
    # test runs share it) does not favour one side.
    for kind, records, raw_first in (("matter", list(expanded_matters(arguments.matters)), True),
                                     ("answer", list(expanded_answers(arguments.answers)), False)):
        documents = [build_document(record) for record in records]  # for the raw bulk, not timed
        if raw_first:
            raw_count, raw_seconds = raw_bulk(es, kind, documents)
            our_count, our_seconds = ours(es, kind, records)
        else:
            our_count, our_seconds = ours(es, kind, records)
            raw_count, raw_seconds = raw_bulk(es, kind, documents)
        del documents
        for name, count, seconds in (("raw", raw_count, raw_seconds), ("ours", our_count, our_seconds)):
            totals[name][0] += count
            totals[name][1] += seconds
        print(f"{kind:7} raw bulk {raw_count:7} docs {raw_seconds:6.1f}s {raw_count / raw_seconds:7.0f}/s | "
              f"reindex {our_count:7} docs {our_seconds:6.1f}s {our_count / our_seconds:7.0f}/s | "
              f"ratio {(our_count / our_seconds) / (raw_count / raw_seconds):.2f}")
    (raw_count, raw_seconds), (our_count, our_seconds) = totals["raw"], totals["ours"]
    ratio = (our_count / our_seconds) / (raw_count / raw_seconds)
    print(f"total   raw bulk {raw_count / raw_seconds:7.0f} docs/s; reindex {our_count / our_seconds:7.0f} docs/s, "
          f"{our_seconds:.0f}s for {our_count} documents")
    print(f"reindex / raw bulk = {ratio:.2f} (target ≥ 0.60); reindex time {our_seconds:.0f}s (target < 300s); "
          f"load average at end: {os.getloadavg()[0]:.1f}")
    for kind in KINDS:
        alias = alias_name(PREFIX, kind)
        if es.indices.exists_alias(name=alias):
            es.indices.delete(index=",".join(es.indices.get_alias(name=alias)))


if __name__ == "__main__":
    main()

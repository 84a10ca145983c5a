"""Benchmark (d): publish → searchable latency through the outbox: a matter is published (its
outbox row committed with it, as the editorial workflow does), `flask search sync --follow`
runs as `make run` starts it, and the clock stops when a search finds the matter. Beside it, in
the same run, the same documents written straight to Elasticsearch until searchable.

    .venv/bin/python bench/publish_latency.py [--count 40]

Target: publish→searchable p95 ≤ 2 s. Not part of `make test`.
"""

import argparse
import os
import subprocess
import time
import uuid

from harness import REPO, bench_app, percentile, summary

from portal import outbox
from portal.extensions import db, search_client
from portal.models import Department, Matter, utcnow
from portal.search_index import matter_record
from search.indexes import ensure_aliases
from search.indexing import Change, apply_changes
from search.queries import SearchParams, search

POLL_SECONDS = 0.02


def wait_until_found(name, started, timeout=30):
    params = SearchParams(q=name, kind="matter", with_facets=False, size=1)
    while time.perf_counter() - started < timeout:
        hits = search(search_client.es, search_client.index_prefix, params).hits
        if hits and hits[0].title == name:
            return (time.perf_counter() - started) * 1000
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"{name} not searchable after {timeout}s")


def new_matter(department):
    token = uuid.uuid4().hex[:8]
    matter = Matter(code=f"BENCH-{token}", name=f"基准测试事项{token}", department=department, status="draft")
    db.session.add(matter)
    db.session.commit()
    return matter


def publish(matter):
    matter.status = "published"
    matter.published_at = utcnow()
    matter.lock_version += 1
    outbox.enqueue("matter", matter.id, "upsert", matter.lock_version)
    db.session.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    arguments = parser.parse_args()
    app = bench_app("publish")
    with app.app_context():
        ensure_aliases(search_client.es, search_client.index_prefix)
        department = Department(code=f"BENCH-{uuid.uuid4().hex[:6]}", name="基准测试局",
                                slug=f"bench-{uuid.uuid4().hex[:6]}")
        db.session.add(department)
        db.session.commit()
        worker = subprocess.Popen(
            [str(REPO / ".venv" / "bin" / "flask"), "--app", "wsgi", "search", "sync", "--follow"], cwd=REPO,
            env={**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                 "SEARCH_INDEX_PREFIX": search_client.index_prefix, "PORTAL_ENV": "development"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(3)  # the worker is up and polling
            through_outbox, direct = [], []
            for _ in range(arguments.count):
                matter = new_matter(department)
                started = time.perf_counter()
                publish(matter)
                through_outbox.append(wait_until_found(matter.name, started))

                other = new_matter(department)
                other.status = "published"
                db.session.commit()
                started = time.perf_counter()
                apply_changes(search_client.es, search_client.index_prefix,
                              [Change("matter", other.id, other.lock_version, matter_record(other))])
                direct.append(wait_until_found(other.name, started))
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    summary("publish → searchable (outbox)", through_outbox)
    summary("direct write → searchable", direct)
    p95 = percentile(through_outbox, 0.95)
    print(f"p95 outbox / direct = {p95 / percentile(direct, 0.95):.2f}; target p95 ≤ 2000 ms: "
          f"{'met' if p95 <= 2000 else 'NOT met'}")


if __name__ == "__main__":
    main()

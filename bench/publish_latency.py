"""Benchmark (d): publish → searchable latency through the outbox: a matter is published (its
outbox row committed with it, as the editorial workflow does), `flask search sync --follow`
runs as `make run` starts it, and the clock stops when a search finds the matter. Beside it, in
the same run, the same documents written straight to Elasticsearch until searchable.

    .venv/bin/python bench/publish_latency.py [--count 40]

Target: publish→searchable p95 ≤ 2 s. Not part of `make test`.

Through the portal as visitors see it (gunicorn with gunicorn.conf.py, shared anonymous pages on,
as `make run` serves them), in the same run: a publish until its `/search` page (itself a shared
page) lists the matter, and a correction of a published matter until its guide page, already
kept in memory by every worker, shows the new name.
"""

import argparse
import os
import subprocess
import time
import uuid

import requests
from harness import REPO, bench_app, percentile, start_gunicorn, stop, summary

from portal import outbox
from portal.extensions import db, search_client
from portal.models import Department, Matter, utcnow
from portal.site_search.index import matter_record
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


def wait_until_page_shows(session, url, text, started, timeout=30):
    while time.perf_counter() - started < timeout:
        if text in session.get(url, timeout=10).text:
            return (time.perf_counter() - started) * 1000
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"{url} does not show {text} after {timeout}s")


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
        portal, base = start_gunicorn("wsgi:app", {
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SEARCH_INDEX_PREFIX": search_client.index_prefix,
            "PORTAL_ENV": "development", "SEARCH_RESULT_CACHE_SECONDS": "1"})
        visitor = requests.Session()
        try:
            time.sleep(3)  # the worker is up and polling
            through_outbox, direct, search_page, guide_page = [], [], [], []
            for _ in range(arguments.count):
                matter = new_matter(department)
                search_url = f"{base}/search?q={matter.name}"
                visitor.get(search_url, timeout=10)  # a shared page without the matter, before it is published
                started = time.perf_counter()
                publish(matter)
                through_outbox.append(wait_until_found(matter.name, started))
                search_page.append(wait_until_page_shows(visitor, search_url, f"{matter.code}", started))

                guide_url = f"{base}/matters/{matter.code}"
                for _ in range(6):  # kept in memory by both workers
                    visitor.get(guide_url, timeout=10)
                started = time.perf_counter()
                matter.name += "（更正）"
                matter.lock_version += 1
                db.session.commit()
                guide_page.append(wait_until_page_shows(visitor, guide_url, matter.name, started))

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
            stop(portal)
    summary("publish → searchable (outbox)", through_outbox)
    summary("direct write → searchable", direct)
    summary("publish → on its shared /search page", search_page)
    summary("correction → on its shared guide page", guide_page)
    p95 = percentile(through_outbox, 0.95)
    print(f"p95 outbox / direct = {p95 / percentile(direct, 0.95):.2f}; target p95 ≤ 2000 ms: "
          f"{'met' if p95 <= 2000 else 'NOT met'}")
    for name, latencies in (("/search page", search_page), ("guide page", guide_page)):
        p95 = percentile(latencies, 0.95)
        print(f"{name}: p95 {p95:.0f} ms; target ≤ 2000 ms: {'met' if p95 <= 2000 else 'NOT met'}")


if __name__ == "__main__":
    main()

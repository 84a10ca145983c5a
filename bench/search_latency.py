"""Benchmark (a): search latency p50/p95 at concurrency 1 and 16 through GET /api/v1/search
(gunicorn, the portal's synonyms, best bets, query log) against the same query body sent straight
to Elasticsearch, measured in one run; plus the p95 of suggestions as you type.

    .venv/bin/python bench/search_latency.py [--seconds 15]

Targets: portal p95 ≤ 1.5 × raw p95 + 5 ms at concurrency 16; suggestions p95 < 100 ms.
Index: the 3,397 real matters and the 2,816 hotline replies (prefix bench-latency, reused).
Not part of `make test`.
"""

import argparse
import json
import threading

import requests
from harness import (
    ROUNDS,
    SHARED,
    alternating_phases,
    bench_app,
    dev_queries,
    percentile,
    run_phase,
    start_gunicorn,
    stop,
    summary,
)

from portal.extensions import search_client
from portal.site_search.admin.synonyms import seed
from portal.site_search.service import make_params
from search.datasets import shared_matter_records
from search.indexes import alias_name, is_current
from search.indexing import reindex
from search.queries import aliases_for, build_body

DATA = SHARED / "data"
_session = threading.local()


def session():
    if not hasattr(_session, "value"):
        _session.value = requests.Session()
    return _session.value


def hotline_records():
    for line in (DATA / "hotline" / "hotline_qa.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        yield {"kind": "answer", "entity_id": int(row["id"]), "version": 1, "code": row["id"],
               "url": f"/answers/{row['id']}", "title": row["title"], "aliases": [],
               "body": (row.get("answer") or "")[:500], "department": "12345政务服务便民热线"}


def build_index(es, prefix, rebuild=False):
    es = es.options(request_timeout=300)
    matters = shared_matter_records(DATA)
    alias = alias_name(prefix, "matter")
    if (rebuild or not es.indices.exists_alias(name=alias) or es.count(index=alias)["count"] != len(matters)
            or not all(is_current(es, alias_name(prefix, kind)) for kind in ("matter", "answer"))):
        reindex(es, prefix, "matter", matters)
        reindex(es, prefix, "answer", hotline_records())


def seconds_argument(doc):
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="duration of each measured phase")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the index (after a mapping change)")
    return parser.parse_args()


def latency_app(rebuild=False):
    """The bench app with the synonym table seeded and the real matters and replies indexed."""
    app = bench_app("latency")
    with app.app_context():
        seed(app.config["SHARED_DATA_DIR"])
        build_index(search_client.es, search_client.index_prefix, rebuild)
    return app


def main():
    arguments = seconds_argument(__doc__)
    app = latency_app(arguments.rebuild)
    with app.app_context():
        queries = dev_queries()
        # The body the portal sends for each query, to send the same straight to Elasticsearch.
        bodies = {query: json.dumps(build_body(make_params(query))) for query in queries}
        raw_url = f"{app.config['ELASTICSEARCH_URL']}/{aliases_for(search_client.index_prefix)}/_search" \
                  "?ignore_unavailable=true"
        database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    # Without the portal's 1 s result cache: this measures what the portal adds to each search.
    process, base = start_gunicorn("wsgi:app", {
        "DATABASE_URL": database_url, "SEARCH_INDEX_PREFIX": "bench-latency", "PORTAL_ENV": "development",
        "SEARCH_RESULT_CACHE_SECONDS": "0"})

    def portal(query):
        session().get(f"{base}/api/v1/search", params={"q": query}, timeout=30).raise_for_status()

    def raw(query):
        session().post(raw_url, data=bodies[query], headers={"Content-Type": "application/json"},
                       timeout=30).raise_for_status()

    def suggest(query):
        session().get(f"{base}/search/suggest", params={"q": query[:2]}, headers={"HX-Request": "true"},
                      timeout=30).raise_for_status()

    try:
        run_phase(portal, queries, 4, 3)  # warm-up, not measured
        run_phase(raw, queries, 4, 3)
        for concurrency in (1, 16):
            print(f"concurrency {concurrency} ({arguments.seconds:.0f}s per side in {ROUNDS} alternating rounds):")
            results = alternating_phases({"raw Elasticsearch": raw, "portal /api/v1/search": portal}, queries,
                                         concurrency, arguments.seconds)
            for name, latencies in results.items():
                summary(name, latencies, arguments.seconds)
            raw_p95 = percentile(results["raw Elasticsearch"], 0.95)
            portal_p95 = percentile(results["portal /api/v1/search"], 0.95)
            print(f"  p95 portal / raw = {portal_p95 / raw_p95:.2f}; target p95 ≤ 1.5 × {raw_p95:.1f} + 5 = "
                  f"{1.5 * raw_p95 + 5:.1f} ms: {'met' if portal_p95 <= 1.5 * raw_p95 + 5 else 'NOT met'}")
        for concurrency in (1, 16):
            latencies = run_phase(suggest, queries, concurrency, arguments.seconds)
            print(f"suggestions as you type (concurrency {concurrency}):")
            summary("portal /search/suggest", latencies, arguments.seconds)
            print(f"  target p95 < 100 ms: {'met' if percentile(latencies, 0.95) < 100 else 'NOT met'}")
    finally:
        stop(process)


if __name__ == "__main__":
    main()

"""Benchmark (b): /search HTML pages per second against a hello-world Flask app under the same
gunicorn settings (gunicorn.conf.py: 2 workers × 8 threads), closed loop at concurrency 16, measured in one run.

    .venv/bin/python bench/search_page_throughput.py [--seconds 15]

Target: /search ≥ 35 % of hello-world throughput. Clients cycle through the 41 dev queries
(../shared/eval/dev-queries.tsv) as visitors who are not signed in, so each query comes back
several times a second. Two portal runs, each as a ratio to the same hello-world run:

- as configured: shared pages are kept while the search generation stays put (nothing is
  published during the run), so after the first rendering of a query in each gunicorn worker the
  page comes from memory (and is still counted in the query log) — what repeated popular
  queries cost;
- uncached: the page and result caches switched off, so every request searches Elasticsearch
  and renders the page — what a query nobody asked since the last change costs.

Uses the bench-latency index (built by bench/search_latency.py when missing) and a PostgreSQL
bench database. Elasticsearch runs on the same machine and its CPU counts against the portal.
Not part of `make test`.
"""

from harness import REPO, dev_queries, run_phase, start_gunicorn, stop, summary
from search_latency import latency_app, seconds_argument, session

CONCURRENCY = 16
TARGET = 0.35
UNCACHED = {"SEARCH_PAGE_CACHE_SECONDS": "0", "SEARCH_RESULT_CACHE_SECONDS": "0"}


def measure(spec, environment, path_for, items, seconds, directory=REPO):
    process, base = start_gunicorn(spec, environment, directory=directory)
    try:
        def call(item):
            session().get(base + path_for(item), timeout=30).raise_for_status()

        run_phase(call, items, 4, 3)  # warm-up
        return run_phase(call, items, CONCURRENCY, seconds)
    finally:
        stop(process)


def main():
    arguments = seconds_argument(__doc__)
    portal = {"DATABASE_URL": latency_app().config["SQLALCHEMY_DATABASE_URI"],
              "SEARCH_INDEX_PREFIX": "bench-latency", "PORTAL_ENV": "development"}
    queries = dev_queries()

    def search_pages(environment):
        return measure("wsgi:app", environment, lambda query: f"/search?q={query}", queries, arguments.seconds)

    hello = measure("hello_app:app", {}, lambda _: "/", [None], arguments.seconds, directory=REPO / "bench")
    cached = search_pages(portal)
    uncached = search_pages({**portal, **UNCACHED})
    print(f"concurrency {CONCURRENCY}, gunicorn 2 workers × 8 threads, {len(queries)} dev queries in turn:")
    summary("hello-world Flask", hello, arguments.seconds)
    summary("/search, as configured", cached, arguments.seconds)
    summary("/search, uncached", uncached, arguments.seconds)
    for name, latencies in (("as configured", cached), ("uncached", uncached)):
        ratio = len(latencies) / len(hello)
        print(f"/search throughput / hello-world, {name}: {ratio:.2f} (target ≥ {TARGET}): "
              f"{'met' if ratio >= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()

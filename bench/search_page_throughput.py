"""Benchmark (b): /search HTML pages per second against a hello-world Flask app under the same
gunicorn settings (2 workers × 4 threads), closed loop at concurrency 16, measured in one run.

    .venv/bin/python bench/search_page_throughput.py [--seconds 15]

Target: /search ≥ 35 % of hello-world throughput. Uses the bench-latency index (built by
bench/search_latency.py when missing). Not part of `make test`.
"""

from harness import REPO, dev_queries, run_phase, start_gunicorn, stop, summary
from search_latency import latency_app, seconds_argument, session

CONCURRENCY = 16


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
    database_url = latency_app().config["SQLALCHEMY_DATABASE_URI"]
    queries = dev_queries()
    hello = measure("hello_app:app", {}, lambda _: "/", [None], arguments.seconds, directory=REPO / "bench")
    portal = measure("wsgi:app", {"DATABASE_URL": database_url, "SEARCH_INDEX_PREFIX": "bench-latency",
                                  "PORTAL_ENV": "development"},
                     lambda query: f"/search?q={query}", queries, arguments.seconds)
    print(f"concurrency {CONCURRENCY}, gunicorn 2 workers × 4 threads:")
    summary("hello-world Flask", hello, arguments.seconds)
    summary("portal /search (HTML)", portal, arguments.seconds)
    ratio = len(portal) / len(hello)
    print(f"/search throughput / hello-world = {ratio:.2f} (target ≥ 0.35): {'met' if ratio >= 0.35 else 'NOT met'}")


if __name__ == "__main__":
    main()

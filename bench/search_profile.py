"""Where an uncached search spends its time, in-process (no load generator, no gunicorn): distinct
citizen queries through the app (Flask test client) with every cache of results and pages off,
one thread, reporting per request the portal's CPU time (this thread's), the wall time, the number
of requests sent to Elasticsearch, their wall time and Elasticsearch's own `took`.

    .venv/bin/python bench/search_profile.py [--path /search|/api/v1/search|/search/suggest]
        [--queries 300] [--profile 25] [--database URL] [--prefix bench-latency]

Without --database it uses the SQLite database of bench/pages.py (instance/bench-pages.db) and its
index prefix bench-latency (both made by `make bench`). --profile N prints cProfile's N costliest
functions by cumulative time. The CPU time is the figure to compare before and after a change: it
does not depend on how busy the machine's other cores are as much as wall times do (a shared
machine still slows a core down, so compare runs taken one after the other).
"""

import argparse
import cProfile
import gc
import pstats
import statistics
import sys
import time
from urllib.parse import quote

from harness import REPO, percentile
from pages import INDEX_PREFIX, SQLITE_PATH, distinct_queries


class GarbageCollections:
    """Time spent in the garbage collector (all generations) and the number of full collections."""

    def __init__(self):
        self.seconds, self.full, self._started = 0.0, 0, 0.0

    def install(self):
        gc.callbacks.append(self._callback)

    def _callback(self, phase, info):
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.full += info["generation"] == 2


class ElasticsearchCalls:
    """Counts the requests the Elasticsearch client sends, their wall time and the server's took."""

    def __init__(self):
        self.count, self.wall, self.took = 0, 0.0, 0

    def install(self):
        from elastic_transport import Transport

        original = Transport.perform_request
        calls = self

        def perform_request(transport, *args, **kwargs):
            started = time.perf_counter()
            response = original(transport, *args, **kwargs)
            calls.wall += time.perf_counter() - started
            calls.count += 1
            body = response.body
            if isinstance(body, dict):
                calls.took += body.get("took", 0)
            return response

        Transport.perform_request = perform_request


def typed_prefixes(queries):
    """What people type on the way to each query: its first 1, 2, 3 … characters."""
    prefixes = []
    for query in queries:
        for end in range(1, min(len(query), 6) + 1):
            prefixes.append(query[:end])
    return list(dict.fromkeys(prefixes))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/search")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--skip", type=int, default=0, help="start this far into the distinct queries")
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--database", default=f"sqlite:///{SQLITE_PATH}")
    parser.add_argument("--prefix", default=INDEX_PREFIX)
    arguments = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from portal import create_app

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": arguments.database, "SEARCH_INDEX_PREFIX": arguments.prefix,
        "SEARCH_RESULT_CACHE_SECONDS": 0, "SEARCH_PAGE_CACHE_SECONDS": 0, "PUBLIC_PAGE_CACHE_SECONDS": 0,
        "SEARCH_TIMEOUT_SECONDS": 30,
    })
    queries = distinct_queries()[arguments.skip:]
    headers = {}
    if arguments.path == "/search/suggest":
        queries = typed_prefixes(queries)
        headers = {"HX-Request": "true"}
    queries = queries[:arguments.queries]
    client = app.test_client()
    calls = ElasticsearchCalls()
    calls.install()
    for query in queries[:5]:  # warm-up: imports, jieba's dictionary, the lexicon
        client.get(f"{arguments.path}?q={quote('预热' + query)}", headers=headers)
    client.get(f"{arguments.path}?q=shebao", headers=headers)  # builds the pinyin tables
    calls.count, calls.wall, calls.took = 0, 0.0, 0
    collections = GarbageCollections()
    collections.install()
    cpu, wall = [], []
    profiler = cProfile.Profile() if arguments.profile else None
    for query in queries:
        started_cpu, started = time.thread_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        response = client.get(f"{arguments.path}?q={quote(query)}", headers=headers)
        if profiler:
            profiler.disable()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        if response.status_code != 200:
            print(f"  {response.status_code} for {query!r}", file=sys.stderr)
    n = len(queries)
    print(f"{arguments.path}: {n} distinct queries, one thread, caches off")
    print(f"  portal CPU per request: mean {statistics.fmean(cpu):.1f} ms, p50 {statistics.median(cpu):.1f}, "
          f"p95 {percentile(cpu, 0.95):.1f}")
    print(f"  wall per request:       mean {statistics.fmean(wall):.1f} ms, p50 {statistics.median(wall):.1f}, "
          f"p95 {percentile(wall, 0.95):.1f}")
    print(f"  Elasticsearch: {calls.count / n:.2f} requests per request, wall {calls.wall * 1000 / n:.1f} ms, "
          f"took {calls.took / n:.1f} ms per request")
    print(f"  garbage collection: {collections.seconds * 1000 / n:.1f} ms per request "
          f"({collections.full} full collections)")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(arguments.profile)
        stats.sort_stats("tottime").print_stats(arguments.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())

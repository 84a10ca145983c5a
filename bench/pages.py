"""Public pages against hello-world, measured with wrk (not the bottleneck a Python load
generator is on two cores): requests per second, p50/p99 and the ratio for each target.

    .venv/bin/python bench/pages.py [--database sqlite|postgres|both] [--seconds 5] [--rounds 3]
    make bench          # both databases; writes bench/results/pages-<database>.md

The portal runs under gunicorn with gunicorn.conf.py (2 workers × 8 threads) on its own port and
database: SQLite `instance/bench-pages.db` (as `make run` uses SQLite) or the PostgreSQL database
portal_bench_pages, each migrated, seeded with the 3,397 real matters and the hotline replies on
first use. The hello-world app (bench/hello_app.py) runs beside it with the same settings. Each
round measures hello-world and then a target, `--seconds` each, target after target, so a change
in the machine's load hits both sides of a ratio alike. wrk runs with 2 threads and 16
connections; its Lua script (bench/requests.lua, mode "get") cycles through many different paths:

- home `/`; guide pages `/matters/<code>` of 700 different matters; their print views; browse
  pages (themes, audiences, departments, pages); department sites; `/answers` pages;
- `/search` with the 41 dev queries in turn (shared pages) and with distinct citizen queries
  (../shared/eval/citizen-dev/queries.tsv, then the hotline questions, none asked twice in a
  run: the uncached cost); `/api/v1/search` with distinct queries;
- and, as the ceiling of those uncached searches here, Elasticsearch alone: the body the portal
  builds for each of the same distinct queries POSTed straight to it (as bench/search_wrk.py does),
  with hello-world beside it like every other target.

Visitors are not signed in (no cookies), as most citizens are. Right before each of its rounds a
cached target is warmed by passes over all its paths until two passes in a row are answered from
memory (at most `--warmup` seconds the first time; a page is rendered once per content change and
gunicorn worker, and a pass on new connections may miss one worker's cold page; the home page and
/search pages live 5 minutes, less than the rounds take; the first rendering's cost is what
tests/catalogue/test_query_counts.py bounds).
Figures are valid only when hello-world reaches at least 2,500 req/s in the rounds beside the
target (a busy machine, or a load generator that cannot drive the server, shows here): the table
says so per row. Elasticsearch (index bench-latency, built by bench/search_latency.py's code when
missing) runs on the same cores and its CPU counts against the search targets. Each row also says
what one request cost in CPU time (costed: the portal's gunicorn and Elasticsearch, hello-world's
gunicorn beside it), which the machine's other load disturbs far less than rates.
"""

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests
from harness import REPO, SHARED, bench_database, cpu_seconds, dev_queries, elasticsearch_pid, start_gunicorn, stop

EVAL_QUERIES = SHARED / "eval" / "citizen-dev" / "queries.tsv"
HOTLINE = SHARED / "data" / "hotline" / "hotline_qa.jsonl"
SQLITE_PATH = REPO / "instance" / "bench-pages.db"
RESULTS = REPO / "bench" / "results"
INDEX_PREFIX = "bench-latency"
HELLO_MINIMUM = 2500
WRK_THREADS, WRK_CONNECTIONS = 2, 16
RESOURCE = re.compile(r'<(?:link|script|img)\b[^>]*?(?:href|src)="(/static/[^"]+)"')


@dataclass
class Run:
    """One wrk run: what bench/requests.lua prints."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rate(self):
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Target:
    name: str
    paths: list
    distinct: bool = False  # every request a new query: not warmed, each round starts further on
    # (base URL, wrk mode) of a target sent straight to Elasticsearch, no portal in the way; None: the portal
    elasticsearch: tuple | None = None
    runs: list = field(default_factory=list)
    hello: list = field(default_factory=list)
    cpu: dict = field(default_factory=dict)  # side → CPU seconds over the measured rounds (see costed)


def flask(database_url, *arguments):
    environment = {**os.environ, "DATABASE_URL": database_url, "PORTAL_ENV": "development",
                   "PORTAL_SHARED_DATA": str(SHARED / "data"), "LOG_LEVEL": "WARNING"}
    subprocess.run([str(REPO / ".venv" / "bin" / "flask"), "--app", "wsgi", *arguments], cwd=REPO,
                   env=environment, check=True, stdout=subprocess.DEVNULL)


def prepare(database):
    """The bench database's URL, migrated and seeded on first use (seed and import are idempotent)."""
    if database == "sqlite":
        SQLITE_PATH.parent.mkdir(exist_ok=True)
        url = f"sqlite:///{SQLITE_PATH}"
    else:
        url = bench_database("pages")
    flask(url, "db", "upgrade")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        matters = connection.scalar(text("SELECT count(*) FROM matters"))
        answers = connection.scalar(text("SELECT count(*) FROM answers"))
    engine.dispose()
    if not matters:
        print(f"seeding the {database} bench database (once)…", flush=True)
        flask(url, "seed")
        flask(url, "search", "seed-synonyms")
    if not answers:
        flask(url, "knowledge", "import")
    return url


def ensure_index(database_url):
    from search_latency import build_index

    from portal import create_app
    from portal.extensions import search_client

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SEARCH_INDEX_PREFIX": INDEX_PREFIX,
                      "SEARCH_TIMEOUT_SECONDS": 30})
    with app.app_context():
        build_index(search_client.es, INDEX_PREFIX)


def distinct_queries():
    queries = [line.split("\t")[0] for line in EVAL_QUERIES.read_text(encoding="utf-8").splitlines()[1:]
               if line.strip()]
    for line in HOTLINE.read_text(encoding="utf-8").splitlines():
        title = json.loads(line).get("title", "").strip()
        if title:
            queries.append(title[:40])
    return list(dict.fromkeys(queries))


def bodies_for(database_url, queries):
    """The body the portal sends to Elasticsearch for each query, and the path it sends it to."""
    from portal import create_app
    from portal.site_search.service import make_params
    from search.queries import aliases_for, build_body

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SEARCH_INDEX_PREFIX": INDEX_PREFIX})
    with app.app_context():
        bodies = [json.dumps(build_body(make_params(query)), ensure_ascii=False, separators=(",", ":"))
                  for query in queries]
        return bodies, app.config["ELASTICSEARCH_URL"], f"/{aliases_for(INDEX_PREFIX)}/_search?ignore_unavailable=true"


def targets(database_url):
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        codes = connection.scalars(text(
            "SELECT code FROM matters WHERE status = 'published' ORDER BY id LIMIT 700")).all()
        slugs = connection.scalars(text(
            "SELECT DISTINCT d.slug FROM departments d JOIN matters m ON m.department_id = d.id "
            "WHERE m.status = 'published' AND d.slug IS NOT NULL ORDER BY d.slug LIMIT 60")).all()
    engine.dispose()
    q = lambda text_: quote(text_, safe="")  # noqa: E731
    from portal.catalogue.taxonomy import ENTERPRISE_THEMES, PERSONAL_THEMES

    themes = list(PERSONAL_THEMES) + list(ENTERPRISE_THEMES)
    browse = ["/matters"] + [f"/matters?page={page}" for page in range(2, 40)] + \
        [f"/matters?theme={q(theme)}" for theme in themes] + \
        [f"/matters?audience={q(audience)}&theme={q(theme)}" for audience in ("自然人", "法人") for theme in themes]
    distinct = distinct_queries()
    bodies, es_base, es_path = bodies_for(database_url, distinct)
    return [
        Target("home `/`", ["/"]),
        Target("guide `/matters/<code>` (700 matters)", [f"/matters/{q(code)}" for code in codes]),
        Target("print view `/matters/<code>/print`", [f"/matters/{q(code)}/print" for code in codes[:300]]),
        Target(f"browse `/matters?…` ({len(browse)} pages)", browse),
        Target(f"department sites `/dept/<slug>/` ({len(slugs) + 1} pages)",
               ["/dept/"] + [f"/dept/{q(slug)}/" for slug in slugs]),
        Target("`/answers` (list pages)", ["/answers"] + [f"/answers?page={page}" for page in range(2, 30)]),
        Target("`/search` shared pages (41 dev queries)", [f"/search?q={q(query)}" for query in dev_queries()]),
        Target(f"`/search` distinct queries ({len(distinct)})", [f"/search?q={q(query)}" for query in distinct],
               distinct=True),
        Target("`/api/v1/search` distinct queries", [f"/api/v1/search?q={q(query)}" for query in distinct],
               distinct=True),
        # The ceiling of the two rows above on these cores: the searches' own cost, with no portal.
        Target("Elasticsearch alone: the portal's bodies for the distinct queries", bodies, distinct=True,
               elasticsearch=(es_base, f"post:{es_path}")),
    ]


def wrk(base, lines_file, seconds, offset=0, mode="get"):
    """wrk -t2 -c16 for `seconds` against base, cycling the requests in lines_file from `offset` on
    (bench/requests.lua; mode "get", "htmx" or "post:<path>" as it describes)."""
    output = subprocess.run(
        ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
         "-s", str(REPO / "bench" / "requests.lua"), base, "--", str(lines_file), str(offset), str(WRK_THREADS),
         mode],
        capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        if line.startswith("BENCH "):
            values = dict(part.split("=") for part in line.split()[1:])
            return Run(int(values["requests"]), float(values["seconds"]), int(values["errors"]),
                       int(values["p50"]) / 1000, int(values["p95"]) / 1000, int(values["p99"]) / 1000)
    raise RuntimeError(f"wrk printed no result:\n{output}")


def costed(pids, cpu, *arguments):
    """wrk(*arguments), with the CPU time each process in pids ({side: pid}) spent meanwhile added
    to cpu ({side: seconds}); returns the run. CPU per request is what another load on the machine
    disturbs least: at saturation a rate ratio is about the inverse ratio of CPU per request."""
    before = {side: cpu_seconds(pid) for side, pid in pids.items()}
    run = wrk(*arguments)
    for side, pid in pids.items():
        cpu[side] = cpu.get(side, 0.0) + cpu_seconds(pid) - before[side]
    return run


def warm(base, paths, limit=300, threads=4, fast_ms=20, passes=2):
    """Requests every path of the target, pass after pass, each on a new connection (so both
    gunicorn workers get it), until `passes` whole passes in a row are answered from memory (at
    most `fast_ms` each, 98 % of them) or `limit` seconds are spent. Passes, not a rate: on
    PostgreSQL a first rendering under load waits for the database while the same worker answers
    kept pages, and a rate that stopped rising ended the warm-up with most guide pages still cold.
    More than one: which worker takes a new connection is chance, so a single fast pass may have
    missed a page still cold on the other one."""
    deadline, fast_passes = time.monotonic() + limit, 0
    while time.monotonic() < deadline and fast_passes < passes:
        def slow_count(chunk):
            slow = 0
            for path in chunk:
                started = time.monotonic()
                requests.get(base + path, timeout=30, headers={"Connection": "close"})
                slow += (time.monotonic() - started) * 1000 > fast_ms
            return slow
        with ThreadPoolExecutor(threads) as pool:
            slow = sum(pool.map(slow_count, [paths[index::threads] for index in range(threads)]))
        fast_passes = fast_passes + 1 if slow <= len(paths) // 50 else 0


def first_load_bytes(base):
    """Bytes on the wire (gzip accepted) for the home page and everything it loads, first visit."""
    session = requests.Session()
    session.headers["Accept-Encoding"] = "gzip"

    def fetch(path):
        response = session.get(base + path, stream=True, timeout=30)
        body = response.raw.read(decode_content=False)
        if response.headers.get("Content-Encoding") == "gzip":
            return len(body), gzip.decompress(body)
        return len(body), body

    total, page = fetch("/")
    for resource in sorted(set(RESOURCE.findall(page.decode("utf-8")))):
        total += fetch(resource)[0]
    return total


def measure(database, seconds, rounds, warmup, only=None):
    url = prepare(database)
    ensure_index(url)
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    chosen = [target for target in targets(url) if not only or any(word in target.name for word in only)]
    environment = {"DATABASE_URL": url, "SEARCH_INDEX_PREFIX": INDEX_PREFIX, "PORTAL_ENV": "development",
                   "PORTAL_SHARED_DATA": str(SHARED / "data")}
    hello_process, hello_base = start_gunicorn("hello_app:app", {}, directory=REPO / "bench")
    portal_process, portal_base = start_gunicorn("wsgi:app", environment)
    try:
        files = {}
        for number, target in enumerate(chosen):
            files[target.name] = work / f"target-{number}.txt"
            files[target.name].write_text("\n".join(target.paths) + "\n", encoding="utf-8")
        hello_file = work / "hello.txt"
        hello_file.write_text("/\n", encoding="utf-8")
        wrk(hello_base, hello_file, 2)
        transfer = first_load_bytes(portal_base)
        started = time.monotonic()
        for round_ in range(rounds):
            for target in chosen:
                if not target.distinct and warmup:
                    # Before each round, not once before all: the home page and /search pages live
                    # 5 minutes, and the first warm-up of the guide pages alone can take longer.
                    warm(portal_base, target.paths, limit=warmup if round_ == 0 else min(warmup, 60))
                target.hello.append(costed({"hello": hello_process.pid}, target.cpu, hello_base, hello_file, seconds))
                offset = (round_ * len(target.paths)) // rounds if target.distinct else round_ * 97
                pids = {"elasticsearch": elasticsearch_pid()}
                if target.elasticsearch:
                    base, mode = target.elasticsearch
                else:
                    pids["portal"] = portal_process.pid
                    base, mode = portal_base, "get"
                target.runs.append(costed(pids, target.cpu, base, files[target.name], seconds, offset, mode))
                print(f"  round {round_ + 1} {target.name}: {target.runs[-1].rate:.0f} req/s "
                      f"(hello-world {target.hello[-1].rate:.0f})", flush=True)
        elapsed = time.monotonic() - started
    finally:
        stop(portal_process)
        stop(hello_process)
    return chosen, transfer, elapsed


def table(database, chosen, transfer, seconds, rounds, elapsed):
    lines = [
        f"`bench/pages.py --database {database}`: wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}, {rounds} rounds of "
        f"{seconds:g} s per side, gunicorn 2 workers × 8 threads, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {elapsed:.0f} s.",
        "",
        "| target | portal req/s (last row: Elasticsearch's) | p50 / p99 ms | hello-world req/s beside it | ratio "
        "| errors | valid "
        "| CPU ms per request: portal + Elasticsearch (hello-world) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for target in chosen:
        portal_rate = sum(run.requests for run in target.runs) / sum(run.seconds for run in target.runs)
        hello_rate = sum(run.requests for run in target.hello) / sum(run.seconds for run in target.hello)
        p50 = statistics.median(run.p50_ms for run in target.runs)
        p99 = max(run.p99_ms for run in target.runs)
        errors = sum(run.errors for run in target.runs)
        valid = min(run.rate for run in target.hello) >= HELLO_MINIMUM
        served = sum(run.requests for run in target.runs) or 1
        hello_served = sum(run.requests for run in target.hello) or 1
        cost = (f"{target.cpu.get('portal', 0.0) * 1000 / served:.2f} + "
                f"{target.cpu.get('elasticsearch', 0.0) * 1000 / served:.2f} "
                f"({target.cpu.get('hello', 0.0) * 1000 / hello_served:.2f})")
        verdict = "yes" if valid and not errors else "NO: errors" if valid else "NO: hello-world < 2,500 req/s"
        lines.append(f"| {target.name} | {portal_rate:,.0f} | {p50:.1f} / {p99:.1f} | "
                     f"{hello_rate:,.0f} (min {min(run.rate for run in target.hello):,.0f}) | "
                     f"**{portal_rate / hello_rate:.2f}** | {errors} | "
                     f"{verdict} | {cost} |")
    lines += ["", f"First load of the home page with gzip (page, CSS, JS, icons): {transfer / 1024:.1f} KB."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=5, help="seconds per side per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=300,
                        help="at most this long (s) warming each cached target; 0 skips the warm-up")
    parser.add_argument("--only", nargs="*", help="targets whose name contains one of these words")
    arguments = parser.parse_args()
    databases = ("sqlite", "postgres") if arguments.database == "both" else (arguments.database,)
    RESULTS.mkdir(exist_ok=True)
    for database in databases:
        print(f"{database}:", flush=True)
        chosen, transfer, elapsed = measure(database, arguments.seconds, arguments.rounds, arguments.warmup,
                                            arguments.only)
        text = table(database, chosen, transfer, arguments.seconds, arguments.rounds, elapsed)
        print(text, flush=True)
        if not arguments.only:
            (RESULTS / f"pages-{database}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

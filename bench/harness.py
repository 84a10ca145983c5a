"""Shared pieces of the search benchmarks: a bench app on its own SQLite database and index
prefix, gunicorn start/stop, closed-loop load phases and percentiles."""

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("PORTAL_ENV", "development")
# The shared data and evaluation sets beside the repository (PORTAL_SHARED names another place).
SHARED = Path(os.environ.get("PORTAL_SHARED", REPO.parent / "shared"))
DEV_QUERIES = SHARED / "eval" / "dev-queries.tsv"


# A PostgreSQL server like production's: each benchmark makes a database of its own beside this one.
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://portal:portal@127.0.0.1:5432/portal_test")


def bench_database(name):
    """URL of the database portal_bench_<name>, created on first use."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(POSTGRES_URL)
    database = f"portal_bench_{name}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}):
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def bench_app(name, **config):
    """The portal on its own migrated database and index prefix bench-<name>."""
    from flask_migrate import upgrade

    from portal import create_app

    database_url = os.environ.get("BENCH_DATABASE_URL") or bench_database(name)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SEARCH_INDEX_PREFIX": f"bench-{name}",
                      "SEARCH_TIMEOUT_SECONDS": 30, **config})
    with app.app_context():
        upgrade(revision="heads")
    return app


def dev_queries():
    return [line.split("\t")[0] for line in DEV_QUERIES.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(app_spec, environment=None, directory=REPO):
    """gunicorn serving app_spec (module:variable) on a free port with the portal's settings
    (gunicorn.conf.py; PORTAL_WORKERS and PORTAL_THREADS in `environment` change them); returns
    (process, base URL)."""
    port = free_port()
    process = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "--config", str(REPO / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app_spec],
        cwd=directory, env={**os.environ, "LOG_LEVEL": "WARNING", **(environment or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/healthz", timeout=1)
            return process, base
        except requests.RequestException:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"gunicorn {app_spec} did not start")


# Elasticsearch's pid file as scripts/services.sh writes it (PORTAL_CACHE_DIR moves it).
ELASTICSEARCH_PIDFILE = (Path(os.environ.get("PORTAL_CACHE_DIR", Path.home() / ".cache" / "portal-servers"))
                         / "run" / "elasticsearch" / "elasticsearch.pid")


def elasticsearch_pid():
    """The pid of the Elasticsearch scripts/services.sh started, or None."""
    try:
        return int(ELASTICSEARCH_PIDFILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def cpu_seconds(pid):
    """CPU time (user + system) used so far by the process pid and its live children (gunicorn's
    workers); 0.0 for None. Read from /proc, so a load test can say what one request cost each side."""
    if pid is None:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for each in [pid, *map(int, children)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def stop(process):
    process.terminate()
    process.wait(timeout=30)


def run_phase(call, items, concurrency, seconds, pause=0.0):
    """Closed loop: `concurrency` workers call call(item) one after another until time is up,
    each waiting `pause` seconds between an answer and its next call (a person's think time).
    Returns the latencies in milliseconds."""
    latencies, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(offset):
        mine, position = [], offset
        time.sleep(pause * offset / concurrency)  # paced workers start spread out, as people do
        while time.monotonic() < deadline:
            started = time.perf_counter()
            call(items[position % len(items)])
            mine.append((time.perf_counter() - started) * 1000)
            position += concurrency
            time.sleep(pause)
        with lock:
            latencies.extend(mine)

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, range(concurrency)))
    return latencies


ROUNDS = 5


def alternating_phases(calls, items, concurrency, seconds, pause=0.0, rounds=ROUNDS):
    """{name: latencies} for each of calls ({name: call}), run one after another in `rounds`
    short slices of `seconds` in all per call, so a change in the machine's load hits all alike."""
    latencies = {name: [] for name in calls}
    for _round in range(rounds):
        for name, call in calls.items():
            latencies[name] += run_phase(call, items, concurrency, seconds / rounds, pause)
    return latencies


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(name, latencies, seconds=None):
    rate = f"{len(latencies) / seconds:8.1f}/s" if seconds else ""
    print(f"  {name:<34} n={len(latencies):<6} {rate} p50 {statistics.median(latencies):7.1f} ms  "
          f"p95 {percentile(latencies, 0.95):7.1f} ms")

"""Soak: the portal under moderate load for a while (10 minutes by default), sampling the resident memory
(RSS) of every gunicorn worker; the target is no worker beyond 300 MB.

Starts its own PostgreSQL, Elasticsearch, Keycloak, portal (gunicorn with gunicorn.conf.py) and search sync
worker exactly as bench/faults.py does (free loopback ports, a work directory of its own, never the shared
servers), drives the same load (public pages, searches, sign-ins, a signed-in citizen, editorial saves) and
stops everything it started by pid.

    .venv/bin/python bench/soak.py [--minutes 10] [--every 10]
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faults import Load, Stack, log  # noqa: E402 - bench/ is not a package

LIMIT_MB = 300


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--every", type=float, default=10, help="seconds between memory samples")
    parser.add_argument("--page-threads", type=int, default=2)
    parser.add_argument("--think", type=float, default=0.1, help="seconds each load thread waits between requests")
    parser.add_argument("--work-dir", type=Path)
    parser.add_argument("--keep", action="store_true")
    arguments = parser.parse_args()
    work = arguments.work_dir or Path(tempfile.mkdtemp(prefix="portal-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    stack = Stack(work)
    samples = {}  # worker pid -> [(seconds, MB)]
    loads = []
    try:
        stack.start_servers()
        stack.prepare_portal()
        stack.start_portal()
        load = Load(stack, "soak", page_threads=arguments.page_threads, think=arguments.think).start()
        started = time.monotonic()
        deadline = started + arguments.minutes * 60
        log(f"soak: {arguments.minutes:g} min, a sample every {arguments.every:g} s")
        while time.monotonic() < deadline:
            elapsed = time.monotonic() - started
            for pid in stack.worker_pids():
                samples.setdefault(pid, []).append((elapsed, rss_mb(pid)))
            loads.append(os.getloadavg()[0])
            if len(loads) % 6 == 1:
                current = ", ".join(f"{pid}: {points[-1][1]:.0f} MB" for pid, points in samples.items()
                                    if points[-1][0] == elapsed)
                log(f"  {elapsed:5.0f} s  workers {current}  requests {len(load.records)}  load {loads[-1]:.1f}")
            time.sleep(arguments.every)
        load.stop()
        seconds = time.monotonic() - started
    finally:
        stack.stop_portal()
        stack.stop_servers()
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)
    records = load.records
    statuses = Counter(record.status for record in records)
    print()
    print(f"soak {seconds / 60:.1f} min: {len(records)} requests ({len(records) / seconds:.1f}/s), "
          f"5xx {sum(n for status, n in statuses.items() if status >= 500)}, no answer {statuses.get(0, 0)}, "
          f"published saves {sum(update.published for update in load.updates)}")
    for kind in sorted({record.kind for record in records}):
        latencies = [record.ms for record in records if record.kind == kind]
        print(f"  {kind:<12} n={len(latencies):<6} p50 {statistics.median(latencies):7.1f} ms  "
              f"p95 {percentile(latencies, 0.95):7.1f} ms")
    print(f"load average (1 min) during the soak: min {min(loads):.1f}, median {statistics.median(loads):.1f}, "
          f"max {max(loads):.1f} (2 cores, shared)")
    worst = 0.0
    for pid, points in samples.items():
        values = [mb for _, mb in points]
        first_minute = [mb for at, mb in points if at <= 60] or values[:1]
        worst = max(worst, max(values))
        print(f"  worker {pid}: RSS after the first minute {max(first_minute):.0f} MB, at the end {values[-1]:.0f} MB, "
              f"max {max(values):.0f} MB, growth {values[-1] - max(first_minute):+.0f} MB over "
              f"{(points[-1][0] - points[0][0]) / 60:.1f} min ({len(points)} samples)")
    print(f"largest worker RSS {worst:.0f} MB (limit {LIMIT_MB} MB): {'PASS' if worst <= LIMIT_MB else 'FAIL'}")
    return 0 if worst <= LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())

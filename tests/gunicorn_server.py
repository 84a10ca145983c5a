"""The portal served by gunicorn as scripts/run-portal.sh serves it (gunicorn.conf.py), on a free loopback port,
for tests that need the production server's own behaviour."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn_serving(app_spec, log_path, env=None, pythonpath=()):
    """Serves `app_spec` (module:variable) with one worker of two threads, the output in `log_path`; yields the
    base URL once /healthz answers, and stops the server afterwards."""
    port = free_port()
    environment = {**os.environ, "PORTAL_ENV": "test", "PORTAL_WORKERS": "1", "PORTAL_THREADS": "2", **(env or {})}
    if pythonpath:
        environment["PYTHONPATH"] = os.pathsep.join([str(ROOT), *map(str, pythonpath)])
    with Path(log_path).open("wb") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", app_spec],
            cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90  # the worker imports the whole portal first
            while time.monotonic() < deadline:
                try:
                    requests.get(f"{base}/healthz", timeout=10)
                    break
                except requests.RequestException:
                    time.sleep(0.5)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)

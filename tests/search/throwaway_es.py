"""A throwaway Elasticsearch on other ports, from the same unpacked distribution the shared one
uses, so a test can stop and restart it without touching the shared server."""

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import requests

CACHE_DIR = Path(os.environ.get("PORTAL_CACHE_DIR", Path.home() / ".cache" / "portal-servers"))
SERVICE_USER = os.environ.get("PORTAL_SVC_USER", "portal-svc")
JAVA_HOMES = ("/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/temurin-25-jdk-amd64")


def _distribution():
    found = sorted((CACHE_DIR / "dist").glob("elasticsearch-8.*"))
    if not found:
        raise RuntimeError(f"no Elasticsearch under {CACHE_DIR / 'dist'}; run scripts/services.sh start es")
    return found[-1]


class ThrowawayElasticsearch:
    """`start()` / `stop()` a single node on http_port with its own data directory."""

    def __init__(self, http_port=9250, transport_port=9350, heap="256m"):
        self.http_port = http_port
        self.transport_port = transport_port
        self.heap = heap
        self.url = f"http://127.0.0.1:{http_port}"
        self.base = Path(tempfile.mkdtemp(prefix="portal-es-throwaway-"))
        self.process = None

    def _prepare(self, home):
        config = self.base / "config"
        if not config.exists():
            shutil.copytree(home / "config", config)
            for name in ("data", "logs"):
                (self.base / name).mkdir()
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVICE_USER)
            self.base.chmod(0o755)
            for path in [self.base, *self.base.rglob("*")]:
                os.chown(path, user.pw_uid, user.pw_gid)

    def start(self, timeout=120):
        home = _distribution()
        self._prepare(home)
        java = next(path for path in JAVA_HOMES if Path(path).exists())
        command = [
            str(home / "bin" / "elasticsearch"),
            "-E", "cluster.name=portal-throwaway", "-E", "node.name=throwaway",
            "-E", "discovery.type=single-node", "-E", "network.host=127.0.0.1",
            "-E", f"http.port={self.http_port}", "-E", f"transport.port={self.transport_port}",
            "-E", "xpack.security.enabled=false",
            "-E", "cluster.routing.allocation.disk.threshold_enabled=false",
            "-E", f"path.data={self.base / 'data'}", "-E", f"path.logs={self.base / 'logs'}",
        ]
        if os.geteuid() == 0:
            command = ["setpriv", f"--reuid={SERVICE_USER}", f"--regid={SERVICE_USER}", "--init-groups", "--", *command]
        environment = {
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "ES_JAVA_HOME": java,
            "ES_JAVA_OPTS": f"-Xms{self.heap} -Xmx{self.heap}", "ES_PATH_CONF": str(self.base / "config"),
        }
        log = open(self.base / "console.log", "ab")  # noqa: SIM115 - kept open for the process's lifetime
        self.process = subprocess.Popen(command, env=environment, cwd=str(self.base), stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"throwaway Elasticsearch exited; see {self.base / 'console.log'}")
            try:
                if requests.get(f"{self.url}/_cluster/health?wait_for_status=yellow&timeout=1s", timeout=3).ok:
                    return self
            except requests.RequestException:
                time.sleep(1)
        raise RuntimeError(f"throwaway Elasticsearch did not start in {timeout}s")

    def stop(self):
        """Stops only this instance's process group (by its own pid)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def remove(self):
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

"""Fault injection under load: the portal survives its servers failing (issue 11).

Starts everything it needs by itself, on loopback, on free ports and in a work directory of its own
(never the shared servers on 9200/8080/5432): PostgreSQL, Elasticsearch (and later a two-node cluster),
Keycloak (the shared cache's distributions, copied or linked, never downloaded again), the portal under
gunicorn with gunicorn.conf.py and the search sync worker. It seeds the real data, drives a bounded
loopback load (public pages, searches, sign-ins through Keycloak's login form, a signed-in citizen, and
editorial saves: an editor creates and submits a matter, a reviewer publishes it, all through the API
with the session's CSRF token) and, in turn:

  es          stops Elasticsearch, starts it again
  kc          stops Keycloak, starts it again
  pg          stops PostgreSQL mid-load, starts it again
  workers     SIGKILLs one gunicorn worker, then the search sync worker in the middle of a batch
  es-cluster  replaces Elasticsearch by a two-node cluster (the portal given both URLs), kills one node

Per scenario it prints the requests sent, the 5xx answers (expected 503s apart), connection errors,
lost updates and the time to recovery, and checks that scenario's rules; exit status 1 when one fails.
Everything it started is stopped by pid at the end (scripts/services.sh stop with its own cache dir,
gunicorn and the sync worker by their pids).

    .venv/bin/python bench/faults.py [--scenarios es,kc,pg,workers,es-cluster] [--fault-seconds 20]
"""

import argparse
import html
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
SERVICES = REPO / "scripts" / "services.sh"
BIN = REPO / ".venv" / "bin"
SHARED_CACHE = Path(os.environ.get("PORTAL_CACHE_DIR", Path.home() / ".cache" / "portal-servers"))
ES_VERSION = os.environ.get("ES_VERSION", "8.19.21")
KC_VERSION = os.environ.get("KC_VERSION", "26.4.7")
# The realm's demo staff are moved into this department (as `make run` does), so the editor can save.
STAFF_DEPARTMENT = os.environ.get("DEMO_STAFF_DEPARTMENT", "440000-6bfa7941")
DEMO_PASSWORD = "demo"  # noqa: S105 - development-only password of the realm's demo users
# Short-lived access tokens on this Keycloak only, so a signed-in user needs a refresh during an outage.
ACCESS_TOKEN_SECONDS = 20
PAGES = ["/", "/matters", "/matters?audience=自然人", "/answers", "/messages", "/open/", "/dept/",
         "/matters?page=2"]
QUERIES = ["营业执照", "身份证补办", "社保卡", "公积金提取", "驾驶证", "出生医学证明", "结婚登记", "医保",
           "yyzz", "shebao", "开公司", "上户口"]
FAULT_NOTICE = "统一身份认证服务暂时无法连接"
DB_503_TEXT = "数据库暂时无法连接"


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ------------------------------------------------------------------------------------------- the stack

class Stack:
    """The servers and the portal of one run, in `work` (a directory of its own)."""

    def __init__(self, work, workers=2, threads=8):
        self.work = work
        self.cache = work / "cache"
        self.ports = {name: free_port() for name in (
            "es", "es_transport", "kc", "kc_mgmt", "pg", "portal", "es2", "es2_transport")}
        self.es_nodes = [f"http://127.0.0.1:{self.ports['es']}"]
        self.gunicorn = None
        self.sync = None
        self.started = []  # services.sh servers started, for the final stop
        self.gunicorn_workers, self.gunicorn_threads = workers, threads

    # -- servers through scripts/services.sh, with this run's cache dir and ports
    def services_env(self, **extra):
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("ES_", "KC_", "PG_", "JAVA_OPTS"))}
        return {**keep, "PORTAL_CACHE_DIR": str(self.cache), "ES_PORT": str(self.ports["es"]),
                "ES_TRANSPORT_PORT": str(self.ports["es_transport"]), "KC_PORT": str(self.ports["kc"]),
                "KC_MGMT_PORT": str(self.ports["kc_mgmt"]), "PG_PORT": str(self.ports["pg"]),
                "PG_DATABASES": "portal", "ES_JAVA_OPTS": "-Xms512m -Xmx512m",
                "JAVA_OPTS_KC_HEAP": "-Xms64m -Xmx512m", "ES_START_TIMEOUT": "400", "KC_START_TIMEOUT": "600",
                **extra}

    def services(self, command, *servers, check=True, **extra):
        started = time.monotonic()
        with open(self.work / "services.log", "a") as out:
            out.write(f"\n$ services.sh {command} {' '.join(servers)} {extra}\n")
            out.flush()
            result = subprocess.run([str(SERVICES), command, *servers], env=self.services_env(**extra),
                                    stdout=out, stderr=subprocess.STDOUT, check=False)
        if check and result.returncode != 0:
            tail = (self.work / "services.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"services.sh {command} {servers} failed:\n{tail}")
        return time.monotonic() - started

    def prepare_cache(self):
        """The shared cache's distributions: Elasticsearch linked (it never writes into its home), Keycloak
        copied without its data (it keeps its database and realm import in its home)."""
        dist = self.cache / "dist"
        dist.mkdir(parents=True, exist_ok=True)
        shared = SHARED_CACHE / "dist"
        es_home, kc_home = f"elasticsearch-{ES_VERSION}", f"keycloak-{KC_VERSION}"
        if (shared / es_home / ".portal-unzipped").exists():
            (dist / es_home).symlink_to(shared / es_home)
        if (shared / kc_home / ".portal-unzipped").exists():
            shutil.copytree(shared / kc_home, dist / kc_home, symlinks=True,
                            ignore=lambda directory, names: ["data"] if Path(directory) == shared / kc_home else [])
        for zip_file in SHARED_CACHE.glob("*.zip"):  # only used when a distribution was not unzipped there
            (self.cache / zip_file.name).symlink_to(zip_file)
        os.chmod(self.work, 0o755)  # noqa: S103 - the servers run as other users (services.sh) and must reach it

    def start_servers(self):
        self.prepare_cache()
        log(f"starting PostgreSQL :{self.ports['pg']}, Elasticsearch :{self.ports['es']}, "
            f"Keycloak :{self.ports['kc']} (work dir {self.work})")
        self.started = ["pg", "es", "kc"]
        seconds = self.services("start", "pg", "es", "kc")
        log(f"servers ready in {seconds:.0f} s")

    def stop_servers(self):
        for instance in ("n1", "n2"):
            self.services("stop", "es", check=False, ES_INSTANCE=instance)
        self.services("stop", "kc", "es", "pg", check=False)

    # -- the portal
    @property
    def base(self):
        return f"http://127.0.0.1:{self.ports['portal']}"

    @property
    def database_url(self):
        return f"postgresql+psycopg://portal:portal@127.0.0.1:{self.ports['pg']}/portal"

    def portal_env(self):
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("ES_", "KC_", "PG_", "DATABASE_URL"))}
        return {**keep, "PORTAL_ENV": "development", "DATABASE_URL": self.database_url,
                "ELASTICSEARCH_URL": ",".join(self.es_nodes), "SEARCH_INDEX_PREFIX": "faults",
                "KEYCLOAK_URL": f"http://127.0.0.1:{self.ports['kc']}",
                "KEYCLOAK_MANAGEMENT_URL": f"http://127.0.0.1:{self.ports['kc_mgmt']}",
                "PORTAL_BASE_URL": self.base, "PORTAL_PORT": str(self.ports["portal"]),
                "SESSION_COOKIE_SECURE": "0", "LOG_LEVEL": "WARNING",
                "PORTAL_WORKERS": str(self.gunicorn_workers), "PORTAL_THREADS": str(self.gunicorn_threads)}

    def flask(self, *arguments):
        started = time.monotonic()
        with open(self.work / "flask.log", "a") as out:
            out.write(f"\n$ flask {' '.join(arguments)}\n")
            out.flush()
            subprocess.run([str(BIN / "flask"), "--app", "wsgi", *arguments], cwd=REPO, env=self.portal_env(),
                           stdout=out, stderr=subprocess.STDOUT, check=True)
        return time.monotonic() - started

    def prepare_portal(self):
        log("migrating, seeding the real data, provisioning Keycloak, indexing (the log: flask.log)")
        for step in (("db", "upgrade"), ("seed", "--demo-department", STAFF_DEPARTMENT),
                     ("sso", "provision", "--staff-department", STAFF_DEPARTMENT), ("search", "reindex")):
            log(f"  flask {' '.join(step)}: {self.flask(*step):.0f} s")
        self.set_access_token_lifespan(ACCESS_TOKEN_SECONDS)

    def set_access_token_lifespan(self, seconds):
        kc = f"http://127.0.0.1:{self.ports['kc']}"
        token = requests.post(f"{kc}/realms/master/protocol/openid-connect/token", timeout=30, data={
            "grant_type": "password", "client_id": "admin-cli", "username": "admin", "password": "admin"},
        ).json()["access_token"]
        requests.put(f"{kc}/admin/realms/portal", json={"accessTokenLifespan": seconds}, timeout=30,
                     headers={"Authorization": f"Bearer {token}"}).raise_for_status()

    def start_portal(self):
        out = open(self.work / "gunicorn.log", "a")  # noqa: SIM115 - kept open while gunicorn runs
        self.gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.ports['portal']}",
             "--log-level", "warning", "wsgi:app"], cwd=REPO, env=self.portal_env(), stdout=out, stderr=out)
        self.start_sync()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    log(f"portal up at {self.base} (gunicorn pid {self.gunicorn.pid}, "
                        f"{self.gunicorn_workers} workers × {self.gunicorn_threads} threads)")
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer /healthz")

    def start_sync(self):
        out = open(self.work / "sync.log", "a")  # noqa: SIM115 - kept open while the worker runs
        self.sync = subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "search", "sync", "--follow"], cwd=REPO,
                                     env=self.portal_env(), stdout=out, stderr=out)

    def stop_portal(self):
        for process in (self.sync, self.gunicorn):
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.sync = self.gunicorn = None

    def worker_pids(self):
        """gunicorn's worker processes (the master's children)."""
        children = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    # -- the database, read directly for the checks
    def sql(self, statement, **params):
        from sqlalchemy import create_engine, text

        engine = create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return connection.execute(text(statement), params).all()
        finally:
            engine.dispose()

    def es_count(self, kind="matter"):
        answer = requests.get(f"{self.es_nodes[0]}/faults-{kind}/_count", timeout=10).json()
        return answer["count"]


# ------------------------------------------------------------------------------------------- the load

@dataclass
class Record:
    time: float
    kind: str
    status: int  # 0: no answer (connection refused or reset, timeout)
    ms: float
    note: str = ""


@dataclass
class Update:
    """One editorial save: a new matter, submitted and published."""
    code: str
    name: str
    published: bool = False  # the reviewer's approve answered 200 with status published
    last_ok: str = ""  # the last step that answered 2xx
    at: float = 0.0


def database_503(answer):
    """The portal's own 503 for an unreachable database (HTML page, or JSON on /api/)."""
    if answer.headers.get("Content-Type", "").startswith("application/json"):
        try:
            return DB_503_TEXT in answer.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            return False
    return DB_503_TEXT in answer.text


# A sign-in that stopped because Keycloak itself did not answer: the portal's /login sent the person
# there just before Keycloak stopped. Not a request the portal left unanswered.
KEYCLOAK_UNREACHABLE = "keycloak unreachable"


def sign_in(base, username, timeout=30):
    """A real sign-in: /login → Keycloak's login form → /auth/callback. Returns (session, answer, step):
    step "signed-in" when the callback signed the person in (it answers 302 to the next page), else the
    step it stopped at ("callback" when the portal refused or could not sign in: its 503 while the
    database is down leaves a cookie with no one signed in; KEYCLOAK_UNREACHABLE, with answer None,
    when Keycloak refused the connection)."""
    session = requests.Session()
    # These sessions wait a second or more between requests: a kept-alive connection would race gunicorn's
    # 2 s keep-alive timeout (the server closes it as the next request goes out, which a browser retries
    # and requests reports as a ConnectionError), so each request opens its own connection.
    session.headers["Connection"] = "close"
    answer = session.get(f"{base}/login?next=/me", timeout=timeout, allow_redirects=False)
    if answer.status_code != 302:
        return session, answer, "login"
    try:
        form = session.get(answer.headers["Location"], timeout=timeout)
    except requests.ConnectionError:
        return session, None, KEYCLOAK_UNREACHABLE
    for cookie in session.cookies:  # Keycloak's cookies are Secure; browsers send them to http://127.0.0.1 too
        cookie.secure = False
    match = re.search(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"', form.text)
    if form.status_code != 200 or not match:
        return session, form, "keycloak form"
    try:
        answer = session.post(html.unescape(match.group(1)), timeout=timeout, allow_redirects=False,
                              data={"username": username, "password": DEMO_PASSWORD, "credentialId": ""})
    except requests.ConnectionError:
        return session, None, KEYCLOAK_UNREACHABLE
    if answer.status_code != 302 or "/auth/callback" not in answer.headers.get("Location", ""):
        return session, answer, "keycloak post"
    answer = session.get(answer.headers["Location"], timeout=timeout, allow_redirects=False)
    return session, answer, "signed-in" if answer.status_code == 302 else "callback"


def csrf_token(session, base):
    page = session.get(f"{base}/logout", timeout=10).text
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return match.group(1) if match else None


class Load:
    """Closed-loop load from a few threads, each with think time (moderate: the machine is shared)."""

    def __init__(self, stack, tag, page_threads=2, think=0.1, signins=True, saves=True):
        self.stack, self.base, self.tag = stack, stack.base, tag
        self.records, self.updates = [], []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.pages, args=(think,), daemon=True) for _ in range(page_threads)]
        self.threads.append(threading.Thread(target=self.searches, args=(think,), daemon=True))
        self.threads.append(threading.Thread(target=self.citizen, daemon=True))
        if signins:
            self.threads.append(threading.Thread(target=self.signins, daemon=True))
        if saves:
            self.threads.append(threading.Thread(target=self.saves, daemon=True))
        self.sequence = 0

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def record(self, kind, status, started, note=""):
        with self.lock:
            self.records.append(Record(time.monotonic(), kind, status, (time.monotonic() - started) * 1000, note))

    def call(self, kind, session, method, path, **kwargs):
        started = time.monotonic()
        try:
            answer = session.request(method, f"{self.base}{path}", timeout=30, **kwargs)
        except requests.RequestException as error:
            self.record(kind, 0, started, type(error).__name__)
            return None
        note = ""
        if answer.status_code == 503:
            note = "db" if database_503(answer) else "503"
        self.record(kind, answer.status_code, started, note)
        return answer

    def pages(self, think):
        session = requests.Session()
        while not self.stopping.is_set():
            self.call("page", session, "GET", random.choice(PAGES))
            session.cookies.clear()  # anonymous visitors
            time.sleep(think)

    def searches(self, think):
        session = requests.Session()
        while not self.stopping.is_set():
            query = random.choice(QUERIES)
            answer = self.call("search-api", session, "GET", "/api/v1/search", params={"q": query, "size": 5})
            if answer is not None and answer.status_code == 200:
                with self.lock:
                    self.records[-1].note = "degraded" if answer.json().get("degraded") else "ok"
            self.call("search-page", session, "GET", "/search", params={"q": query})
            session.cookies.clear()
            time.sleep(think)

    def signins(self):
        users = ["enterprise", "operator"]  # the citizen is the signed-in reader's (citizen())
        while not self.stopping.is_set():
            started = time.monotonic()
            status, note = self._sign_in_once(random.choice(users))
            self.record("signin", status, started, note)
            time.sleep(1)

    def _sign_in_once(self, username):
        """(status, note) of one sign-in and a look at /me; status 0 when no answer came."""
        try:
            session, answer, step = sign_in(self.base, username)
            if answer is None:  # Keycloak, not the portal, left it unanswered
                return 0, step
            status = answer.status_code
            ok = step == "signed-in"
            if ok:
                answer = session.get(f"{self.base}/me", timeout=10, allow_redirects=False)
                status = answer.status_code
            note = "signed-in" if ok and status == 200 else "stopped at /me" if ok else f"stopped at {step}"
            if status == 503 and database_503(answer):  # the answer that said 503: the callback's or /me's
                note = "db"
            return status, note
        except requests.RequestException as error:
            return 0, type(error).__name__

    def citizen(self):
        """One person signed in before the faults, reading their account page every second."""
        session = None
        while not self.stopping.is_set():
            if session is None:
                try:
                    session, answer, step = sign_in(self.base, "citizen")
                    if step != "signed-in":  # a callback answering 503 signed no one in
                        session = None
                except requests.RequestException:
                    session = None
                if session is None:
                    time.sleep(1)
                    continue
            answer = self.call("me", session, "GET", "/me", allow_redirects=False)
            if answer is not None:
                with self.lock:
                    record = self.records[-1]
                    if answer.status_code == 200:
                        record.note = "notice" if FAULT_NOTICE in answer.text else "signed-in"
                    elif answer.status_code == 302:
                        record.note = f"signed-out → {answer.headers.get('Location', '')[:40]}"
                if answer.status_code == 302:
                    session = None
            time.sleep(1)

    def saves(self):
        editor = reviewer = None
        while not self.stopping.is_set():
            try:
                if editor is None:
                    editor, answer, step = sign_in(self.base, "editor")
                    editor = editor if step == "signed-in" else None
                    editor_token = csrf_token(editor, self.base) if editor else None
                if reviewer is None:
                    reviewer, answer, step = sign_in(self.base, "reviewer")
                    reviewer = reviewer if step == "signed-in" else None
                    reviewer_token = csrf_token(reviewer, self.base) if reviewer else None
            except requests.RequestException:
                editor = reviewer = None
            if editor is None or reviewer is None or not editor_token or not reviewer_token:
                editor = reviewer = None
                time.sleep(1)
                continue
            self.sequence += 1
            code = f"FLT-{self.tag}-{self.sequence:04d}"
            update = Update(code=code, name=f"故障演练{self.tag}第{self.sequence}号事项", at=time.monotonic())
            with self.lock:
                self.updates.append(update)
            steps = [
                (editor, editor_token, "POST", "/api/v1/matters", {"code": code, "name": update.name}, "create"),
                (editor, editor_token, "POST", f"/api/v1/matters/{code}/submit", None, "submit"),
                (reviewer, reviewer_token, "POST", f"/api/v1/matters/{code}/approve", None, "approve"),
            ]
            for session, token, method, path, body, step in steps:
                answer = self.call("save", session, method, path, json=body, headers={"X-CSRFToken": token})
                if answer is None or answer.status_code >= 300:
                    break
                update.last_ok = step
                if step == "approve" and answer.json().get("status") == "published":
                    update.published = True
            time.sleep(0.5)


# ------------------------------------------------------------------------------------------- scenarios

@dataclass
class Outcome:
    name: str
    requests: int = 0
    server_errors: int = 0  # 5xx other than the expected 503s
    expected_503: int = 0
    no_answer: int = 0
    lost_updates: int = 0
    updates: int = 0
    recovery_seconds: float | None = None
    checks: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    @property
    def passed(self):
        return all(self.checks.values())

    def line(self):
        recovery = f"{self.recovery_seconds:.1f} s" if self.recovery_seconds is not None else "—"
        return (f"{self.name:<10} requests {self.requests:>5}  5xx {self.server_errors:>3}  expected 503 "
                f"{self.expected_503:>4}  no answer {self.no_answer:>3}  published {self.updates:>3}  "
                f"lost updates {self.lost_updates}  recovery {recovery:>7}  {'PASS' if self.passed else 'FAIL'}")


def wait_until(probe, timeout=300, every=0.5):
    """Seconds until probe() is true (None after timeout)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if probe():
                return time.monotonic() - started
        except requests.RequestException:
            pass
        time.sleep(every)
    return None


def api_search_ok(stack, query="营业执照"):
    answer = requests.get(f"{stack.base}/api/v1/search", params={"q": query, "size": 1}, timeout=10)
    return answer.status_code == 200 and not answer.json()["degraded"]


def searchable(stack, update):
    answer = requests.get(f"{stack.base}/api/v1/search", timeout=10,
                          params={"q": update.name, "type": "matter", "size": 5})
    body = answer.json()
    return not body["degraded"] and any(update.code in (result.get("url") or "") for result in body["results"])


def lost_updates(stack, load, timeout=400):
    """Published saves not searchable once the outbox is drained (each is also checked in the database)."""
    published = [update for update in load.updates if update.published]
    if not published:
        return 0, []
    wait_until(lambda: stack.sql("SELECT count(*) FROM search_outbox WHERE processed_at IS NULL")[0][0] == 0,
               timeout=timeout, every=1)
    missing = [update for update in published if not searchable(stack, update)]
    statuses = dict(stack.sql("SELECT code, status FROM matters WHERE code LIKE :like", like=f"FLT-{load.tag}-%"))
    missing += [update for update in published if statuses.get(update.code) != "published" and update not in missing]
    return len(missing), [update.code for update in missing]


def tally(outcome, records, window=None, expected_503=lambda record: False):
    chosen = [record for record in records if window is None or window[0] <= record.time <= window[1]]
    outcome.requests = len(chosen)
    outcome.no_answer = sum(record.status == 0 and record.note != KEYCLOAK_UNREACHABLE for record in chosen)
    outcome.expected_503 = sum(record.status == 503 and expected_503(record) for record in chosen)
    unexpected = [record for record in chosen if record.status >= 500
                  and not (record.status == 503 and expected_503(record))]
    outcome.server_errors = len(unexpected)
    if unexpected:
        outcome.notes.append(f"unexpected 5xx: {dict(Counter((r.kind, r.status, r.note) for r in unexpected))}")
    return chosen


def unanswered(records):
    """What got no answer (connection refused or reset, or a timeout of 30 s), by kind and error."""
    return f"no answer: {dict(Counter((r.kind, r.note) for r in records if r.status == 0))}"


def kinds_summary(records):
    counts = Counter((record.kind, record.status, record.note) for record in records)
    return ", ".join(f"{kind} {status}{'/' + note if note else ''}: {n}"
                     for (kind, status, note), n in sorted(counts.items()))


SERVER_NAMES = {"es": "Elasticsearch", "kc": "Keycloak", "pg": "PostgreSQL"}


@dataclass
class Outage:
    outcome: Outcome
    load: Load
    down_from: float
    down_until: float
    ready: float
    seen_while_down: object = None


def outage(stack, server, down_seconds, recovered, while_down=None):
    """A server (es, kc or pg) stopped under load: the load (scenario and load named after the
    server) runs 8 s, the server is stopped for down_seconds, while_down() (if given) is called at
    the end of them, the server is started again and the portal's recovery timed until recovered()
    (at most 120 s). The load keeps running; times are time.monotonic()'s."""
    outcome, load = Outcome(server), Load(stack, server).start()
    time.sleep(8)
    log(f"  stopping {SERVER_NAMES[server]}")
    down_from = time.monotonic()  # a fast shutdown refuses new work at once
    stack.services("stop", server)
    time.sleep(down_seconds)
    down_until = time.monotonic()
    seen = while_down() if while_down else None
    log(f"  starting {SERVER_NAMES[server]}")
    stack.services("start", server)
    ready = time.monotonic()
    outcome.recovery_seconds = wait_until(recovered, timeout=120)
    return Outage(outcome, load, down_from, down_until, ready, seen)


def scenario_es(stack, seconds):
    run = outage(stack, "es", seconds, lambda: api_search_ok(stack))
    outcome, load, down_from, ready = run.outcome, run.load, run.down_from, run.ready
    during = [record for record in load.records if down_from + 3 <= record.time <= run.down_until]
    time.sleep(5)
    load.stop()
    tally(outcome, load.records)
    outcome.lost_updates, missing = lost_updates(stack, load)
    outcome.updates = sum(update.published for update in load.updates)
    published_meanwhile = sum(update.published and down_from <= update.at <= ready for update in load.updates)
    degraded = [record for record in during if record.kind == "search-api" and record.status == 200]
    outcome.checks = {
        "0 5xx": outcome.server_errors == 0 and outcome.no_answer == 0,
        "search degraded while down": bool(degraded) and all(record.note == "degraded" for record in degraded),
        "saves published while down": published_meanwhile > 0,
        "0 lost updates": outcome.lost_updates == 0,
        "recovered without a portal restart": outcome.recovery_seconds is not None,
    }
    outcome.notes.append(unanswered(load.records))
    outcome.notes += [f"published while Elasticsearch was down: {published_meanwhile}",
                      f"recovery = from Elasticsearch ready to the first non-degraded search; missing: {missing}",
                      kinds_summary(during)]
    return outcome


def scenario_kc(stack, seconds):
    def login():
        return requests.get(f"{stack.base}/login", timeout=10, allow_redirects=False)

    # Down long enough for the citizen's token to come due meanwhile.
    run = outage(stack, "kc", max(seconds, ACCESS_TOKEN_SECONDS + 10), lambda: login().status_code == 302,
                 while_down=login)
    outcome, load, down_from, down_until, ready, login_down = (
        run.outcome, run.load, run.down_from, run.down_until, run.ready, run.seen_while_down)
    time.sleep(max(5, ACCESS_TOKEN_SECONDS))
    load.stop()
    # /login's 503 while Keycloak is down (and until it answers again) is the expected answer.
    tally(outcome, load.records, expected_503=lambda r: r.kind == "signin" and down_from <= r.time <= ready + 60)
    during = [record for record in load.records if down_from + 2 <= record.time <= down_until]
    me = [record for record in during if record.kind == "me"]
    after = [record for record in load.records if record.kind == "me" and record.time > ready + 5]
    signins_after = [record for record in load.records if record.kind == "signin" and record.time > ready + 5]
    outcome.updates = sum(update.published for update in load.updates)
    outcome.checks = {
        "public pages 0 5xx": not any(r.status >= 500 or r.status == 0 for r in load.records if r.kind == "page"),
        "0 unexpected 5xx": outcome.server_errors == 0 and outcome.no_answer == 0,
        "/login answers the portal's 503 page": login_down.status_code == 503
        and "统一身份认证服务暂时不可用" in login_down.text,
        "signed-in citizen kept the session": bool(me) and all(r.status == 200 for r in me),
        "told once a refresh was needed": any(r.note == "notice" for r in me),
        "recovered by itself (sign-ins work again)": outcome.recovery_seconds is not None
        and any(r.note == "signed-in" for r in signins_after),
    }
    outcome.notes.append(unanswered(load.records))
    outcome.notes += [f"the signed-in citizen after recovery: {Counter(r.note for r in after)}",
                      "recovery = from Keycloak ready to /login redirecting to it again", kinds_summary(during)]
    return outcome


def scenario_pg(stack, seconds):
    run = outage(stack, "pg", seconds,
                 lambda: requests.get(f"{stack.base}/matters?page=3", timeout=10).status_code == 200)
    outcome, load, down_from, ready = run.outcome, run.load, run.down_from, run.ready
    time.sleep(8)
    load.stop()
    tally(outcome, load.records, expected_503=lambda r: r.note == "db" and down_from <= r.time <= ready + 30)
    plain_503 = sum(r.status == 503 and r.note != "db" and r.kind != "signin" for r in load.records)
    outcome.lost_updates, missing = lost_updates(stack, load)
    outcome.updates = sum(update.published for update in load.updates)
    # no half-written record: each matter of this run has one version row per saved version and an
    # audit row per step, as the workflow writes them in one transaction
    rows = stack.sql("""
        SELECT m.code, m.status, m.lock_version,
               (SELECT count(*) FROM audit_log a WHERE a.entity_type = 'matter' AND a.entity_id = CAST(m.id AS TEXT))
          FROM matters m WHERE m.code LIKE :like""", like="FLT-pg-%")
    steps = {"draft": 1, "in_review": 2, "published": 3}
    half_written = [row for row in rows if row[3] != steps.get(row[1], -1)]
    acknowledged = {update.code: update.last_ok for update in load.updates}
    behind = [row for row in rows if {"create": 1, "submit": 2, "approve": 3}.get(acknowledged.get(row[0]), 0)
              > steps.get(row[1], 0)]
    outcome.checks = {
        "pages answer a clear 503 (no 500)": outcome.server_errors == 0 and outcome.no_answer == 0
        and plain_503 == 0 and outcome.expected_503 > 0,
        "no half-written record": not half_written and not behind,
        "0 lost updates": outcome.lost_updates == 0,
        "pool recovered by itself": outcome.recovery_seconds is not None,
        "sync worker survived": stack.sync.poll() is None,
    }
    outcome.notes.append(unanswered(load.records))
    outcome.notes += [f"matters of this run: {len(rows)} (audit rows per status as the workflow writes them: "
                      f"{'all' if not half_written else half_written[:5]}); missing: {missing}",
                      "recovery = from PostgreSQL ready to the first 200 of a database page",
                      kinds_summary([r for r in load.records if down_from <= r.time <= ready])]
    return outcome


def scenario_workers(stack, seconds):
    outcome = Outcome("workers")
    load = Load(stack, "wk").start()
    time.sleep(8)
    victim = stack.worker_pids()[0]
    log(f"  SIGKILL gunicorn worker {victim}")
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    outcome.recovery_seconds = wait_until(
        lambda: len(stack.worker_pids()) == stack.gunicorn_workers and victim not in stack.worker_pids(), 120, 0.2)
    time.sleep(5)
    # a backlog for the sync worker: every published matter queued again, then the worker killed mid-batch
    log("  queueing every published matter for the sync worker, killing it in the middle of a batch")
    from sqlalchemy import create_engine, text

    engine = create_engine(stack.database_url)
    with engine.begin() as connection:
        queued = connection.execute(text("""
            INSERT INTO search_outbox (entity_type, entity_id, operation, entity_version, created_at, attempts,
                                       next_attempt_at)
            SELECT 'matter', id, 'upsert', lock_version, now() at time zone 'utc', 0, now() at time zone 'utc'
              FROM matters WHERE status = 'published'""")).rowcount
    engine.dispose()
    pending_before = stack.sql("SELECT count(*) FROM search_outbox WHERE processed_at IS NULL")[0][0]
    wait_until(lambda: stack.sql("SELECT count(*) FROM search_outbox WHERE processed_at IS NULL")[0][0]
               < pending_before - 200, timeout=120, every=0.2)
    stack.sync.send_signal(signal.SIGKILL)
    stack.sync.wait()
    pending_at_kill = stack.sql("SELECT count(*) FROM search_outbox WHERE processed_at IS NULL")[0][0]
    log(f"  sync worker killed with {pending_at_kill} of {queued} rows pending; starting a new one")
    stack.start_sync()
    drained = wait_until(lambda: stack.sql("SELECT count(*) FROM search_outbox WHERE processed_at IS NULL")[0][0] == 0,
                         timeout=600, every=1)
    time.sleep(seconds / 4)
    load.stop()
    tally(outcome, load.records)
    outcome.lost_updates, missing = lost_updates(stack, load)
    outcome.updates = sum(update.published for update in load.updates)
    published = stack.sql("SELECT count(*) FROM matters WHERE status = 'published'")[0][0]
    requests.post(f"{stack.es_nodes[0]}/faults-matter/_refresh", timeout=30)
    indexed = stack.es_count("matter")
    dropped = [r for r in load.records if r.status == 0 or r.status >= 500]
    outcome.checks = {
        "other requests continued": sum(r.time > killed_at + 2 and 200 <= r.status < 400 for r in load.records) > 0,
        "only the killed worker's requests dropped": all(abs(r.time - killed_at) < 31 for r in dropped),
        "outbox drained after the kill": drained is not None,
        "index = published matters": indexed == published,
        "0 lost updates": outcome.lost_updates == 0,
    }
    outcome.notes += [f"requests without an answer or with 5xx around the kill: {len(dropped)} "
                      f"({Counter((r.kind, r.status, r.note) for r in dropped)})",
                      f"outbox: {queued} rows queued, {pending_at_kill} pending when the worker was killed, drained in "
                      f"{drained and round(drained)} s; index {indexed} = published {published}; missing: {missing}",
                      "recovery = until gunicorn replaced the killed worker"]
    return outcome


def scenario_es_cluster(stack, seconds):
    """Elasticsearch as two nodes on loopback (indexes keep one replica), the portal given both URLs; one
    node is killed under load."""
    outcome = Outcome("es-cluster")
    log("  replacing the single Elasticsearch node by a two-node cluster")
    stack.stop_portal()
    stack.services("stop", "es")
    ports = stack.ports
    seeds = f"127.0.0.1:{ports['es_transport']},127.0.0.1:{ports['es2_transport']}"
    common = {"ES_SEED_HOSTS": seeds, "ES_INITIAL_MASTER_NODES": "portal-es-n1", "ES_CLUSTER_NAME": "portal-faults"}
    stack.services("start", "es", ES_INSTANCE="n1", **common)
    stack.services("start", "es", ES_INSTANCE="n2", ES_PORT=str(ports["es2"]),
                   ES_TRANSPORT_PORT=str(ports["es2_transport"]), **common)
    stack.es_nodes = [f"http://127.0.0.1:{ports['es']}", f"http://127.0.0.1:{ports['es2']}"]
    nodes = requests.get(f"{stack.es_nodes[0]}/_cat/nodes?h=name,master", timeout=10).text.split("\n")
    log(f"  cluster nodes: {[line for line in nodes if line]}")
    stack.flask("search", "reindex")
    stack.start_portal()
    health = requests.get(f"{stack.es_nodes[0]}/_cluster/health?wait_for_status=green&timeout=60s", timeout=70).json()
    log(f"  cluster {health['status']}, {health['number_of_nodes']} nodes, {health['active_shards']} shards")
    load = Load(stack, "cl").start()
    time.sleep(20)  # past the first, cold searches of the new portal and cluster
    master = requests.get(f"{stack.es_nodes[0]}/_cat/master?h=node", timeout=10).text.strip()
    victim = "n2" if master == "portal-es-n1" else "n1"
    pid = int((stack.cache / "run" / f"elasticsearch-{victim}" / "elasticsearch.pid").read_text())
    log(f"  SIGKILL Elasticsearch node portal-es-{victim} (pid {pid}; the elected master, {master}, stays)")
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    time.sleep(max(seconds, 30))
    load.stop()
    survivor = stack.es_nodes[0] if victim == "n2" else stack.es_nodes[1]
    health = requests.get(f"{survivor}/_cluster/health", timeout=10).json()
    tally(outcome, load.records)
    after = [r for r in load.records if r.time > killed_at and r.kind == "search-api" and r.status == 200]
    # a search in flight on the killed node may time out (SEARCH_TIMEOUT_SECONDS) and answer from the database
    settled = [r for r in after if r.time > killed_at + 5]
    outcome.updates = sum(update.published for update in load.updates)
    outcome.lost_updates, missing = lost_updates(stack, load)
    first_ok = min((r.time for r in after if r.note == "ok"), default=None)
    outcome.recovery_seconds = None if first_ok is None else max(0.0, first_ok - killed_at)
    outcome.checks = {
        "searches 0 5xx": not any(r.status >= 500 or r.status == 0
                                  for r in load.records if r.kind.startswith("search")),
        "searches answered by the cluster (not degraded) from 5 s after the kill": bool(settled)
        and all(r.note == "ok" for r in settled),
        "0 5xx": outcome.server_errors == 0 and outcome.no_answer == 0,
        "0 lost updates": outcome.lost_updates == 0,
    }
    outcome.notes.append(unanswered(load.records))
    outcome.notes += [f"searches after the kill: {len(after)}, degraded: {sum(r.note == 'degraded' for r in after)}; "
                      f"cluster after the kill: {health['status']}, {health['number_of_nodes']} node(s); "
                      f"missing: {missing}", "recovery = from the kill to the first search answered by the cluster"]
    stack.services("stop", "es", check=False, ES_INSTANCE=victim)  # its pid file is stale; clears it
    return outcome


SCENARIOS = {"es": scenario_es, "kc": scenario_kc, "pg": scenario_pg, "workers": scenario_workers,
             "es-cluster": scenario_es_cluster}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated, in this order")
    parser.add_argument("--fault-seconds", type=float, default=20, help="how long each server stays down")
    parser.add_argument("--work-dir", type=Path, help="default: a new directory under /tmp")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, data)")
    arguments = parser.parse_args()
    chosen = [name.strip() for name in arguments.scenarios.split(",") if name.strip()]
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    work = arguments.work_dir or Path(tempfile.mkdtemp(prefix="portal-faults-"))
    work.mkdir(parents=True, exist_ok=True)
    stack = Stack(work)
    outcomes = []
    load_before = os.getloadavg()
    try:
        stack.start_servers()
        stack.prepare_portal()
        stack.start_portal()
        for name in chosen:
            log(f"scenario {name}")
            outcome = SCENARIOS[name](stack, arguments.fault_seconds)
            outcomes.append(outcome)
            log(outcome.line())
            for check, passed in outcome.checks.items():
                log(f"    {'ok  ' if passed else 'FAIL'} {check}")
            for note in outcome.notes:
                log(f"    {note}")
    finally:
        log("stopping everything this run started (by pid)")
        stack.stop_portal()
        stack.stop_servers()
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")
    print()
    print(f"load average (1 min) at the start: {load_before[0]:.1f}, at the end: {os.getloadavg()[0]:.1f}")
    for outcome in outcomes:
        print(outcome.line())
    print(json.dumps([{**outcome.__dict__, "passed": outcome.passed} for outcome in outcomes], ensure_ascii=False,
                     default=str))
    return 0 if outcomes and all(outcome.passed for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Shared fixtures: an app on a fresh database of its own, real servers, a live server, a browser.

`make test` runs the suite against PostgreSQL (TEST_DATABASE_URL names a database the
portal role can connect to; each run creates and drops a database of its own beside it, so
two runs never share rows). Without TEST_DATABASE_URL the suite uses a temporary SQLite file.
"""

import json
import logging
import os
import re
import threading
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from flask.testing import FlaskClient
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from werkzeug.serving import WSGIRequestHandler, make_server

from portal import create_app
from portal.extensions import db
from tests.databases import drop_database

RUN_ID = uuid.uuid4().hex[:10]
os.environ["PORTAL_ENV"] = "test"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The SSO test portal and demo platform on the fixed ports the realm allows: registered here, once,
# so that every folder's tests share the same two servers.
pytest_plugins = ["tests.sso.servers"]

# Every log line of the run (INFO and above, any logger) is checked for the personal data tests type:
# mobile and ID card numbers. One in a log line fails the run (pytest_sessionfinish), naming the line.
PERSONAL_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:1[3-9]\d{9}|\d{17}[0-9Xx])(?![0-9A-Za-z])")
_leaked_lines = []
_recorders = []  # lists the `log_lines` fixture is filling


def _log_text(record):
    text = f"{record.name} {record.getMessage()} {json.dumps(getattr(record, 'fields', {}), default=str)}"
    if record.exc_info:
        text += " " + logging.Formatter().formatException(record.exc_info)
    return text


def pytest_configure(config):
    handle = logging.Logger.handle

    def handle_and_check(logger, record):
        if record.levelno >= logging.INFO:
            try:
                text = _log_text(record)
            except Exception:  # noqa: BLE001 - a record that cannot be formatted is not ours to judge
                text = ""
            for lines in _recorders:
                lines.append(text)
            if PERSONAL_NUMBER.search(text):
                _leaked_lines.append(text[:500])
        return handle(logger, record)

    logging.Logger.handle = handle_and_check


def pytest_sessionfinish(session, exitstatus):
    if _leaked_lines:
        print("\npersonal data (a mobile or ID card number) reached the logs:", *_leaked_lines[:20], sep="\n  ")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def log_lines():
    """Every log line (INFO and above, any logger) written during the test."""
    lines = []
    _recorders.append(lines)
    yield lines
    _recorders.remove(lines)


class PathOnlyRequestHandler(WSGIRequestHandler):
    """The live server's request log, like the portal's own: no query string (it carries personal data)."""

    def log_request(self, code="-", size="-"):
        self.log("info", '"%s %s" %s', self.command, urlsplit(self.path).path, code)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    base_url = os.environ.get("TEST_DATABASE_URL")
    if not base_url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.db'}"
        return
    url = make_url(base_url)
    name = f"portal_test_{RUN_ID}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


@pytest.fixture(scope="session")
def app(database_url):
    """The portal on its own migrated database and its own search index prefix."""
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SEARCH_INDEX_PREFIX": f"test-{RUN_ID}",
        "WTF_CSRF_ENABLED": False,
    })
    app.test_client_class = ProductionLikeClient
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def other_app(app, tmp_path):
    """A second portal in the same process, on a SQLite database of its own (tables made from the
    models), as tests and tools make them: nothing one app keeps may reach the other. Its app context
    is not pushed: use `with other_app.app_context():`."""
    other = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.db'}",
        "SEARCH_INDEX_PREFIX": f"test-{RUN_ID}-other",
        "WTF_CSRF_ENABLED": False,
    })
    with other.app_context():
        db.create_all()
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Empty every table after a test that used the database."""
    yield
    if "app" not in request.fixturenames:
        return
    _forget_loaded_user()
    db.session.rollback()
    from portal.site_search.service import flush_query_log

    flush_query_log()  # no row a test's searches queued may land in the next test's tables
    with db.engine.begin() as connection:
        existing = set(inspect(connection).get_table_names())
        tables = [table.name for table in reversed(db.metadata.sorted_tables) if table.name in existing]
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our own table names
    # The generation counters were emptied with the rest: forget this process's readings of them, or
    # the next test's first request may key its shared page by a count read before the wipe.
    from flask import current_app

    for name in ("content_generation", "search_generation", "search_store"):
        current_app.extensions.pop(name, None)


def _forget_loaded_user():
    """The session-wide app context is reused by test-client requests, so `g` (where Flask-Login
    caches the signed-in user and Flask-Babel the locale) outlives a request: empty it."""
    from flask import g

    for name in list(g):
        g.pop(name)


class ProductionLikeClient(FlaskClient):
    """Every request starts with an empty `g`, as in production where each request has an app
    context of its own."""

    def open(self, *args, **kwargs):
        _forget_loaded_user()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over HTTP on a free loopback port, for browsers and HTTP clients."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=PathOnlyRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def _require(url, what):
    try:
        requests.get(url, timeout=3).raise_for_status()
    except requests.RequestException as error:
        pytest.fail(f"{what} is not reachable at {url} ({error}); start it with `scripts/services.sh start`")


@pytest.fixture(scope="session")
def elasticsearch(app):
    """The real Elasticsearch the app is configured for (fails, never skips, when it is down)."""
    _require(f"{app.config['ELASTICSEARCH_URL']}/_cluster/health", "Elasticsearch")
    from portal.extensions import search_client

    yield search_client.es
    # Wildcard deletes are refused by default (action.destructive_requires_name): name each index.
    leftovers = search_client.es.indices.get(index=f"{search_client.index_prefix}-*", expand_wildcards="all")
    if leftovers:
        search_client.es.indices.delete(index=",".join(leftovers))


@pytest.fixture(scope="session")
def keycloak(app):
    """The real Keycloak the app is configured for, with the portal realm imported."""
    _require(f"{app.config['KEYCLOAK_URL']}/realms/{app.config['KEYCLOAK_REALM']}", "Keycloak")
    # `make run` moves the demo editor and reviewer to a seeded department; tests expect the realm's.
    from portal.extensions import keycloak_client
    from sso.provision import ProvisionReport, ensure_staff_department

    ensure_staff_department(keycloak_client.admin(), ("editor", "reviewer"), "demo-dept", ProvisionReport())
    return app.config["KEYCLOAK_URL"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no browser download is possible here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def _saved(record):
    """Commits a record the way the app would leave it, for a test to build on."""
    db.session.add(record)
    db.session.commit()
    return record


@pytest.fixture
def make_user(app):
    """Creates a local user with roles (and a department for staff), as a sign-in would."""
    from portal.models import User

    def make(*roles, department=None, username=None, **fields):
        name = username or (roles[0] if roles else "anonymous") + f"-{uuid.uuid4().hex[:6]}"
        user = User(subject=str(uuid.uuid4()), username=name, display_name=name, roles=list(roles),
                    department_id=department.id if department else None, **fields)
        return _saved(user)

    return make


@pytest.fixture
def login(client):
    """Signs a user into a test client's session (the Flask-Login part of a real sign-in): the
    test's `client`, or another one given, e.g. to act as two people at once."""

    def sign_in(user, into=None):
        into = into or client
        with into.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return into

    return sign_in


@pytest.fixture
def make_department(app):
    """Creates a department with a unique code and slug."""
    from portal.models import Department

    def make(name="测试局", **fields):
        token = uuid.uuid4().hex[:6]
        department = Department(name=name, **{"code": f"D-{token}", "slug": f"dept-{token}", **fields})
        return _saved(department)

    return make


@pytest.fixture
def make_matter(app):
    """Creates a matter as the importer leaves it (lock_version 1, no version rows), with one material."""
    from portal.models import Matter, MatterMaterial

    def make(department, code=None, name="测试事项", status="draft", **fields):
        matter = Matter(code=code or f"M-{uuid.uuid4().hex[:8]}", name=name, department=department, status=status,
                        materials=[MatterMaterial(name="身份证", requirement="必要", copies=1, position=0)], **fields)
        return _saved(matter)

    return make


@pytest.fixture
def make_answer(app):
    """Creates a published hotline answer (as the importer leaves it), optionally linked to matters."""
    from portal.models import Answer, utcnow

    def make(department, question="测试问题", public_answer="<p>测试答复</p>", matters=(), status="published",
             **fields):
        answer = Answer(question=question, public_answer=public_answer, department=department, status=status,
                        published_at=utcnow() if status == "published" else None, matters=list(matters), **fields)
        return _saved(answer)

    return make


@pytest.fixture(scope="session")
def axe_violations():
    """axe-core (npm devDependency) run in a page; returns its serious and critical findings as readable
    lines. Open the page in a context made with bypass_csp=True: the CSP forbids injected scripts."""
    script = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        pytest.fail(f"{script} is missing; `npm ci` installs it")

    def check(page, enhanced_contrast=False):
        """enhanced_contrast: also AAA contrast (7:1 for text, 4.5:1 for large text), as 适老化 mode promises."""
        page.add_script_tag(path=str(script))
        rules = "{'color-contrast-enhanced': {enabled: true}}" if enhanced_contrast else "{}"
        result = page.evaluate(f"() => axe.run(document, {{resultTypes: ['violations'], rules: {rules}}})")
        return [f"{violation['id']} ({violation['impact']}): {violation['help']} at "
                f"{[node['target'] for node in violation['nodes']][:3]}"
                for violation in result["violations"] if violation["impact"] in ("serious", "critical")]

    return check

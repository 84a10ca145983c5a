"""The SSO test portal and the demo department platform, served on the fixed ports their test
clients (portal-test, dept-demo-test) register in the realm, so that Keycloak's redirects and
back-channel logouts reach them. Registered once, from tests/conftest.py: a second registration in
another folder's conftest would start a second server on the same port."""

import os
import re
import threading
import time

import pytest
from werkzeug.serving import make_server

from portal import create_app

PORTAL_PORT = 18000
DEPT_DEMO_PORT = 18001
PORTAL_URL = f"http://127.0.0.1:{PORTAL_PORT}"
DEPT_DEMO_URL = f"http://127.0.0.1:{DEPT_DEMO_PORT}"
PORTAL_CLIENT = ("portal-test", "dev-only-portal-test-secret")
DEPT_DEMO_CLIENT = ("dept-demo-test", "dev-only-dept-demo-test-secret")
DEMO_PASSWORD = "demo"  # noqa: S105 - the realm's development-only demo password


# Another checkout's test run on this machine may hold the port: wait for it (seconds) rather
# than fail, since the realm registers only these ports.
PORT_WAIT_SECONDS = float(os.environ.get("PORTAL_TEST_PORT_WAIT", "600"))


def _serving(wsgi_app, port, what):
    """Serves the app on its fixed loopback port for the session; yields its base URL."""
    deadline = time.monotonic() + PORT_WAIT_SECONDS
    while True:
        try:
            server = make_server("127.0.0.1", port, wsgi_app, threaded=True)
            break
        except (OSError, SystemExit) as error:  # werkzeug exits when the port is taken
            if time.monotonic() >= deadline:
                pytest.fail(f"{what} needs port {port} (registered in sso/realm/portal-realm.json): {error}")
            time.sleep(2)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def sso_app(app, keycloak, database_url):
    """A second portal app on the test database, configured as the realm's portal-test client,
    with every sign-in tied to its Keycloak session (as in production) and CSRF on."""
    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SEARCH_INDEX_PREFIX": app.config["SEARCH_INDEX_PREFIX"],
        "KEYCLOAK_CLIENT_ID": PORTAL_CLIENT[0],
        "KEYCLOAK_CLIENT_SECRET": PORTAL_CLIENT[1],
        "PORTAL_BASE_URL": PORTAL_URL,
        "SSO_SESSION_REQUIRED": True,
        # tests import realm keys at any moment; the portal must see them at once
        "KEYCLOAK_JWKS_MIN_REFETCH_SECONDS": 0,
    })


@pytest.fixture(scope="session")
def portal_server(sso_app):
    yield from _serving(sso_app, PORTAL_PORT, "the SSO test portal")


def fill_keycloak_login(page, username, password=DEMO_PASSWORD):
    """Submits Keycloak's login form once `page` shows it."""
    page.wait_for_selector("#kc-form-login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#kc-login")


@pytest.fixture
def browser_sign_in(browser, portal_server):
    """`sign_in(username, next_path, **context options)` -> (context, page): a new Chromium context signed in as
    a realm user through the SSO test portal's /login and Keycloak's form, its page on `next_path`."""

    def sign_in(username, next_path, **options):
        context = browser.new_context(locale="zh-CN", **options)
        page = context.new_page()
        page.goto(f"{portal_server}/login?next={next_path}")
        fill_keycloak_login(page, username)
        page.wait_for_url(re.compile(re.escape(f"{portal_server}{next_path}") + "$"))
        return context, page

    return sign_in


@pytest.fixture(scope="session")
def dept_demo_app(tmp_path_factory, keycloak):
    from dept_demo.app import create_app as create_dept_demo

    return create_dept_demo({
        "OIDC_CLIENT_ID": DEPT_DEMO_CLIENT[0],
        "OIDC_CLIENT_SECRET": DEPT_DEMO_CLIENT[1],
        "BASE_URL": DEPT_DEMO_URL,
        "PORTAL_BASE_URL": PORTAL_URL,
        "SESSION_DATABASE": str(tmp_path_factory.mktemp("dept_demo") / "sessions.db"),
        "TESTING": True,
    })


@pytest.fixture(scope="session")
def dept_demo_server(dept_demo_app):
    yield from _serving(dept_demo_app, DEPT_DEMO_PORT, "the SSO test department platform")

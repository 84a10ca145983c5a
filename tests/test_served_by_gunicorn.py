"""The portal as scripts/run-portal.sh serves it (gunicorn with gunicorn.conf.py): no product banner,
the portal's own 414 page for a long address, and no access log of gunicorn's own carrying query
strings (issue 11, items 4 and 8)."""

import time

import pytest
import requests

from tests.gunicorn_server import gunicorn_serving

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def gunicorn_portal(tmp_path_factory):
    log = tmp_path_factory.mktemp("gunicorn") / "output.log"
    with gunicorn_serving("wsgi:app", log, env={"TEST_DATABASE_URL": "sqlite://"}) as base:
        yield base, log


def test_no_gunicorn_banner(gunicorn_portal):
    base, _ = gunicorn_portal
    assert requests.get(f"{base}/healthz", timeout=5).headers["Server"] == "portal"


def test_a_long_address_gets_the_portals_own_414_page(gunicorn_portal):
    base, _ = gunicorn_portal
    response = requests.get(f"{base}/search", params={"q": "x" * 6000}, timeout=5)
    assert response.status_code == 414
    assert "网址过长" in response.text and "12345" in response.text


def test_gunicorn_writes_no_access_log_with_query_strings(gunicorn_portal):
    base, log = gunicorn_portal
    requests.get(f"{base}/healthz", params={"q": "13912345678"}, timeout=5)
    time.sleep(0.5)
    written = log.read_text(encoding="utf-8", errors="replace")
    assert "13912345678" not in written
    assert '"path": "/healthz"' in written  # the portal's own JSON access line, without the query string

"""A download that fails after its first bytes must not look complete: served over HTTP on loopback (the
werkzeug server of `live_server`, and gunicorn as scripts/run-portal.sh runs it), the body of a failing
download lacks chunked transfer's terminator, so the client's read fails; the failure is logged. A failure
before any byte is a plain 500."""

import dataclasses
import http.client
import logging
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from portal.open_data import datasets
from tests.gunicorn_server import gunicorn_serving

pytestmark = pytest.mark.integration
GOOD_ROWS = 3_000  # several chunks of CHUNK_ROWS go out before the failure


@pytest.fixture
def failing_matters(monkeypatch, sample):
    real_get = datasets.get

    def rows_then_failure(after):
        def rows():
            for number in range(after):
                yield {"code": f"M-FAIL-{number}", "name": "中途失败的下载", "type": "公共服务"}
            raise RuntimeError("the database went away")
        return rows

    def make(after):
        def get(name):
            dataset = real_get(name)
            return dataclasses.replace(dataset, rows=rows_then_failure(after)) if name == "matters" else dataset
        monkeypatch.setattr(datasets, "get", get)
    return make


def _raw_read(url):
    """The body as http.client reads it: IncompleteRead when the chunked body has no terminator."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", parts.path)
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Transfer-Encoding") == "chunked"
        return response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_a_download_failing_mid_stream_ends_incomplete_and_is_logged(live_server, failing_matters, fmt, caplog):
    failing_matters(GOOD_ROWS)
    url = f"{live_server}/open/matters.{fmt}"

    with caplog.at_level(logging.ERROR, logger="portal"):
        with pytest.raises(http.client.IncompleteRead) as raised:
            _raw_read(url)
        with requests.get(url, stream=True, timeout=30) as response:
            assert response.status_code == 200
            with pytest.raises(requests.exceptions.ChunkedEncodingError):
                for _chunk in response.iter_content(65536):
                    pass

    assert len(raised.value.partial) > 10_000  # rows went out before the failure
    assert b"Internal Server Error" not in raised.value.partial and b"<html" not in raised.value.partial.lower()
    aborted = [record for record in caplog.records if record.getMessage() == "open data download aborted mid-stream"]
    assert len(aborted) == 2
    assert aborted[0].fields["dataset"] == "matters" and aborted[0].fields["format"] == fmt
    assert aborted[0].fields["error"] == "RuntimeError" and aborted[0].fields["bytes_sent"] > 10_000


def test_a_download_failing_before_its_first_byte_is_a_500(live_server, failing_matters):
    failing_matters(0)

    response = requests.get(f"{live_server}/open/matters.jsonl", timeout=30)

    assert response.status_code == 500


def test_a_complete_download_reads_to_its_end(live_server, sample):
    body = _raw_read(f"{live_server}/open/matters.jsonl").decode()

    assert [line.count('"code"') for line in body.splitlines()] == [1, 1]


def test_under_gunicorn_a_failing_download_ends_incomplete(tmp_path):
    """The same failure in gunicorn's worker (gunicorn.conf.py): the connection is closed mid-body."""
    log = tmp_path / "gunicorn.log"
    database = {"FAILING_APP_DATABASE": f"sqlite:///{tmp_path / 'portal.db'}"}
    with gunicorn_serving("failing_download_app:app", log, env=database, pythonpath=[Path(__file__).parent]) as base:
        with pytest.raises(http.client.IncompleteRead) as raised:
            _raw_read(f"{base}/open/matters.csv")
    assert len(raised.value.partial) > 10_000
    assert "open data download aborted mid-stream" in log.read_text(encoding="utf-8")

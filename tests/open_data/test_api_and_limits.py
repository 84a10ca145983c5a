"""The open data paths in /api/v1/openapi.json, the feed against its schema, and the per-client
download limit (429 with Retry-After; conditional requests answered 304 are not counted)."""

import json
import os
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator

from portal import create_app, workflow

pytestmark = pytest.mark.integration


def test_openapi_describes_the_downloads_and_the_feed(client, sample, make_user):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/{dataset}.{format}", "/changes", "/changes.atom", "/records/{entity}/{id}", "/catalog.jsonld"):
        assert document["paths"][path]["servers"] == [{"url": "/open", "description": "开放数据"}]
    download = document["paths"]["/{dataset}.{format}"]["get"]
    assert "429" in download["responses"] and "Retry-After" in download["responses"]["429"]["headers"]
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)

    editor = make_user("editor", department=sample["social"])
    reviewer = make_user("reviewer", department=sample["social"])
    workflow.transition(sample["draft"], "submit", editor)
    workflow.transition(sample["draft"], "approve", reviewer)
    workflow.transition(sample["draft"], "withdraw", editor)
    feed_schema = document["paths"]["/changes"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**feed_schema, "components": document["components"]})
    feed = client.get("/open/changes").get_json()
    assert len(feed["changes"]) == 2
    assert [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(feed)] == []
    row_validator = Draft202012Validator({"$ref": "#/components/schemas/OpenMatterRow",
                                          "components": document["components"]})
    for line in client.get("/open/matters.jsonl").get_data(as_text=True).splitlines():
        assert list(row_validator.iter_errors(json.loads(line))) == []


def test_bulk_downloads_are_limited_per_client_with_retry_after(app, sample):
    limited = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                          "RATELIMIT_ENABLED": True, "OPEN_DATA_DOWNLOAD_LIMIT": "2/minute"})
    one = limited.test_client()
    first = one.get("/open/matters.csv", environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert first.status_code == 200 and first.data
    etag = first.headers["ETag"]
    for _attempt in range(3):  # unchanged data: 304, not counted
        assert one.get("/open/matters.csv", headers={"If-None-Match": etag},
                       environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 304
    assert one.get("/open/departments.jsonl", environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 200
    refused = one.get("/open/platforms.json", environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    error = refused.get_json()["error"]
    assert error["code"] == 429 and "秒后再试" in error["message"]
    other = limited.test_client().get("/open/platforms.json", environ_base={"REMOTE_ADDR": "192.0.2.2"})
    assert other.status_code == 200  # another client has a limit of its own
    assert one.get("/open/", environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 200  # pages are not limited


@pytest.mark.unit
def test_open_data_settings_come_from_the_environment():
    """OPEN_DATA_DOWNLOAD_LIMIT and OPEN_DATA_MIN_QUERY_COUNT are read like every other setting (portal/config.py
    reads the environment once, at import: hence a fresh interpreter)."""
    show = "from portal.config import Config as C; print(C.OPEN_DATA_DOWNLOAD_LIMIT, C.OPEN_DATA_MIN_QUERY_COUNT)"
    clean = {name: value for name, value in os.environ.items() if not name.startswith("OPEN_DATA_")}
    defaults = subprocess.run([sys.executable, "-c", show], env=clean, capture_output=True, text=True, check=True)
    settings = {"OPEN_DATA_DOWNLOAD_LIMIT": "5/minute", "OPEN_DATA_MIN_QUERY_COUNT": "12"}
    overridden = subprocess.run([sys.executable, "-c", show], env={**clean, **settings}, capture_output=True,
                                text=True, check=True)
    assert defaults.stdout.split() == ["30/minute;600/hour", "5"]
    assert overridden.stdout.split() == ["5/minute", "12"]

"""Static files: content-hashed names kept for a year, plain names revalidated, text sent compressed."""

import gzip

import pytest
from flask import url_for

from portal.static_assets import YEAR


@pytest.mark.integration
def test_pages_link_static_files_by_content_hash_and_those_are_immutable(app, client):
    html = client.get("/").get_data(as_text=True)
    with app.test_request_context():
        css = url_for("static", filename="css/portal.css")
    assert css in html and css.startswith("/static/css/portal.") and css.endswith(".css") and css.count(".") == 2
    response = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == f"public, max-age={YEAR}, immutable"
    assert response.headers["Content-Encoding"] == "gzip" and response.mimetype == "text/css"
    original = (app.static_folder + "/css/portal.css")
    with open(original, "rb") as file:
        assert gzip.decompress(response.get_data()) == file.read()
    assert client.get(css, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


@pytest.mark.integration
def test_plain_and_outdated_names_still_work_but_are_revalidated(client):
    plain = client.get("/static/css/portal.css")
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "public, no-cache"
    outdated = client.get("/static/css/portal.0123456789.css")
    assert outdated.status_code == 200 and outdated.headers["Cache-Control"] == "public, no-cache"
    assert client.get("/static/css/missing.css").status_code == 404
    assert client.get("/static/../portal/config.py").status_code == 404

"""Static files under content-hashed names, cached for a year, sent gzip-compressed.

`url_for('static', filename='css/portal.css')` gives `/static/css/portal.<hash>.css`, the hash
being the first 10 hex digits of the file's BLAKE2b digest: a changed file gets a new name, so
the old one may be kept forever (`Cache-Control: public, max-age=31536000, immutable`). A plain
name (or an old hash after a deploy) is still served, with `no-cache`, so nothing breaks. Each
process reads a file once (again when its modification time changes) and keeps it with its gzip
form; text files go compressed to clients that accept gzip.
"""

import gzip
import hashlib
import mimetypes
import os
import re
import stat
import threading
from dataclasses import dataclass

from flask import abort, current_app, request
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.[A-Za-z0-9]+)$")
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class Asset:
    mtime: float
    digest: str
    body: bytes
    gzipped: bytes
    mimetype: str


class Assets:
    """This app's static files, read once each."""

    def __init__(self, folder):
        self.folder = folder
        self.files = {}
        self.lock = threading.Lock()

    def get(self, filename):
        """The Asset of a file under the static folder, or None."""
        path = safe_join(self.folder, filename)
        try:
            found = os.stat(path) if path else None
        except OSError:
            found = None
        if found is None or not stat.S_ISREG(found.st_mode):
            return None
        mtime = found.st_mtime
        asset = self.files.get(filename)
        if asset is None or asset.mtime != mtime:
            with open(path, "rb") as file:
                body = file.read()
            mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            if mimetype.startswith("text/") or mimetype == "application/javascript":
                mimetype += "; charset=utf-8"
            text = mimetype.startswith(TEXT_TYPES)
            asset = Asset(mtime, hashlib.blake2b(body).hexdigest()[:10], body,
                          gzip.compress(body, 9, mtime=0) if text and len(body) > 500 else None, mimetype)
            with self.lock:
                self.files[filename] = asset
        return asset


def hashed_name(filename, digest):
    stem, dot, suffix = filename.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot and "/" not in suffix else f"{filename}.{digest}"


def _assets():
    return current_app.extensions["static_assets"]


def _add_hash(endpoint, values):
    if endpoint != "static" or "filename" not in values:
        return
    asset = _assets().get(values["filename"])
    if asset is not None:
        values["filename"] = hashed_name(values["filename"], asset.digest)


def serve(filename):
    """The static view: a hashed name is kept for a year, a plain one revalidated."""
    assets, immutable = _assets(), False
    asset = assets.get(filename)
    if asset is None:
        found = HASHED.match(filename)
        asset = assets.get(found["stem"] + found["suffix"]) if found else None
        immutable = asset is not None and asset.digest == found["digest"]
    if asset is None:
        abort(404)
    etag = f'"{asset.digest}"'
    response = current_app.response_class(mimetype=asset.mimetype)
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable" if immutable else "public, no-cache"
    response.vary.add("Accept-Encoding")
    if etag in request.headers.get("If-None-Match", ""):
        response.status_code = 304
        return response
    if asset.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.set_data(asset.gzipped)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(asset.body)
    return response


def init_app(app):
    app.extensions["static_assets"] = Assets(app.static_folder)
    app.url_defaults(_add_hash)
    app.view_functions["static"] = serve

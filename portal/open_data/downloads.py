"""Dataset downloads: CSV (UTF-8 with BOM, so Excel reads Chinese), JSON and JSON Lines, streamed
chunk by chunk, with an ETag from the dataset's fingerprint (304 when unchanged)."""

import hashlib
import itertools
import json

from flask import Response, current_app, request, stream_with_context, url_for

from portal import csv_output
from portal.open_data import changes

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "json": ("application/json; charset=utf-8", "JSON"),
    "jsonl": ("application/jsonl; charset=utf-8", "JSON Lines"),
}
CHUNK_ROWS = 200  # rows rendered into one chunk of the response


def etag_for(dataset, fmt):
    fingerprint = repr((dataset.name, fmt, request.host_url, dataset.fingerprint()))
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32]


def csv_chunks(dataset, rows):
    """The header row, then each row's CSV fields (nested lists are JSON text; cells guarded against formulas)."""
    names = [item.name for item in dataset.csv_fields]
    table = itertools.chain([names], ([row.get(name) for name in names] for row in rows))
    return csv_output.chunks(table, CHUNK_ROWS)


def jsonl_chunks(rows):
    lines = []
    for row in rows:
        lines.append(json.dumps(row, ensure_ascii=False))
        if len(lines) == CHUNK_ROWS:
            yield ("\n".join(lines) + "\n").encode()
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode()


def json_chunks(rows):
    parts, separator = ["["], "\n"
    for number, row in enumerate(rows, start=1):
        parts.append(separator + json.dumps(row, ensure_ascii=False))
        separator = ",\n"
        if number % CHUNK_ROWS == 0:
            yield "".join(parts).encode()
            parts = []
    parts.append("\n]\n")
    yield "".join(parts).encode()


class DownloadAborted(ConnectionAbortedError):
    """A download failed after its first bytes went out. Raised as a broken connection so that the server
    drops it without ending the body: the client's read comes up short (no final chunk), never a complete-looking
    200. Werkzeug treats ConnectionError as a dropped connection (nothing more is written) and gunicorn
    closes the socket on any error once headers are sent."""


def guarded(chunks, dataset, fmt):
    """Passes `chunks` on; an error after the first chunk is logged and turned into DownloadAborted. An error
    before any byte is sent stays what it is (the server answers 500)."""
    sent = 0
    try:
        for chunk in chunks:
            yield chunk
            sent += len(chunk)
    except Exception as error:
        if not sent:
            raise
        current_app.logger.error("open data download aborted mid-stream", extra={"fields": {
            "dataset": dataset.name, "format": fmt, "bytes_sent": sent, "error": type(error).__name__}})
        raise DownloadAborted(f"{dataset.name}.{fmt} failed after {sent} bytes") from error


def download(dataset, fmt):
    """The response for /open/<dataset>.<fmt>: 304 when the client's ETag is current, else a stream.
    `X-Changes-Cursor` is the change feed's position read before the rows: follow
    /open/changes?since=<it> to keep the download current (replaying a change already in it is harmless)."""
    etag = etag_for(dataset, fmt)
    modified = dataset.modified()
    if request.if_none_match.contains(etag):
        response = Response(status=304)
        response.set_etag(etag)
        return response
    cursor = changes.latest_cursor() if dataset.feed_entity or dataset.parent else None
    rows = dataset.rows()
    if fmt == "csv":
        body = csv_chunks(dataset, rows)
    elif fmt == "json":
        body = json_chunks(rows)
    else:
        body = jsonl_chunks(rows)
    mimetype, _label = FORMATS[fmt]
    response = Response(stream_with_context(guarded(body, dataset, fmt)), content_type=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Disposition"] = f'attachment; filename="{dataset.name}.{fmt}"'
    response.headers["Link"] = (f'<{url_for("open_data.dataset", name=dataset.name)}>; rel="describedby", '
                                f'<{url_for("open_data.licence")}>; rel="license"')
    if modified is not None:
        response.last_modified = modified
    if cursor is not None:
        response.headers["X-Changes-Cursor"] = str(cursor)
    return response

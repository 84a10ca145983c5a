"""Every CSV the portal writes (open data downloads, administrators' exports, `flask platforms report`): one
writer, so every cell is guarded the same way.

Cells are guarded against formula injection: a text starting with `=`, `+`, `-`, `@`, a tab or a carriage
return is written with a leading apostrophe, so a spreadsheet shows it as text instead of running it
(open data carries citizens' message text, the audit log what staff typed). Numbers stay numbers, lists
and objects are JSON text, booleans `true`/`false`, missing values empty. Files for people start with a
UTF-8 byte-order mark so that Excel reads Chinese correctly; rows end with CRLF (RFC 4180)."""

import csv
import io
import json

from flask import Response

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
MIMETYPE = "text/csv; charset=utf-8"


def cell(value):
    """What one value becomes in a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _writer(out):
    return csv.writer(out, lineterminator="\r\n")


def write(out, rows, bom=False):
    """Writes `rows` (sequences of values) to the text stream `out`."""
    if bom:
        out.write(BOM)
    writer = _writer(out)
    for row in rows:
        writer.writerow([cell(value) for value in row])


def chunks(rows, chunk_rows=200, bom=True):
    """UTF-8 bytes, `chunk_rows` rows at a time, for a streamed response: memory holds one chunk."""
    buffer = io.StringIO()
    writer = _writer(buffer)
    if bom:
        buffer.write(BOM)
    for number, row in enumerate(rows, start=1):
        writer.writerow([cell(value) for value in row])
        if number % chunk_rows == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def response(rows, filename):
    """A whole (small) table as a CSV download for people: BOM, guarded cells."""
    out = io.StringIO()
    write(out, rows, bom=True)
    return Response(out.getvalue(), mimetype=MIMETYPE,
                    headers={"Content-Disposition": f"attachment; filename={filename}"})

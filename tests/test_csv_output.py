"""The one CSV writer (portal/csv_output.py): formula guard, values, BOM, chunks."""

import csv
import io

import pytest

from portal import csv_output

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx",
                                  "\rx"])
def test_text_that_a_spreadsheet_would_run_is_written_as_text(text):
    assert csv_output.cell(text) == "'" + text


def test_other_values():
    assert [csv_output.cell(value) for value in (None, True, False, 3, -1.5, ["甲", 1], {"a": "乙"}, "办事指南")] == \
        ["", "true", "false", 3, -1.5, '["甲", 1]', '{"a": "乙"}', "办事指南"]
    assert csv_output.cell(["=x"]) == '["=x"]'  # JSON text starts with a bracket


def test_chunks_stream_rows_with_a_bom_and_crlf():
    rows = [["code", "name"], *([f"M-{number}", "=危险"] for number in range(5))]

    parts = list(csv_output.chunks(rows, chunk_rows=2))

    assert len(parts) == 3
    text = b"".join(parts).decode()
    assert text.startswith("\ufeffcode,name\r\n")
    assert list(csv.reader(io.StringIO(text[1:])))[1] == ["M-0", "'=危险"]


def test_write_without_bom_for_files_and_pipes():
    out = io.StringIO()
    csv_output.write(out, [["a", "+b"]])
    assert out.getvalue() == "a,'+b\r\n"

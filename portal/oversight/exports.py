"""CSV and XLSX downloads of administrators' tables."""

import csv
import io

from flask import Response

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _disposition(filename):
    return f"attachment; filename={filename}"


def csv_response(rows, filename):
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": _disposition(filename)})


def xlsx_response(sheets, filename):
    """`sheets`: [(sheet name, rows)], the first row of each being its header."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    for name, rows in sheets:
        sheet = book.add_worksheet(name[:31])
        for row_number, row in enumerate(rows):
            for column, value in enumerate(row):
                if row_number == 0:
                    sheet.write_string(row_number, column, str(value), bold)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(row_number, column, value)
                else:
                    sheet.write_string(row_number, column, "" if value is None else str(value))
        sheet.freeze_panes(1, 0)
    book.close()
    return Response(out.getvalue(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": _disposition(filename)})

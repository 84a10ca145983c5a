"""XLSX downloads of administrators' tables (their CSV goes through portal.csv_output)."""

import io

from flask import Response


def _disposition(filename):
    return f"attachment; filename={filename}"


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

"""Writing flat views as CSV (streamed) and XLSX (constant memory).

CSV: UTF-8 with a byte-order mark (so spreadsheet programs open accented Spanish text
correctly), comma-separated, RFC 4180 quoting, one header line. Values: decimals as written
(``20000000.00``), dates ISO-8601, booleans ``true``/``false``, empty for none.

XLSX: XlsxWriter in ``constant_memory`` mode, which flushes each row to a temporary file as
soon as the next starts, so memory stays flat in the row count (openpyxl's ``write_only`` does
the same but is several times slower; XlsxWriter is the stack's choice for writing). A
workbook is a zip and cannot be sent before it is complete, so it is written to a file first.
Numbers are numeric cells, dates are date cells; a sheet holds at most 1,048,575 data rows
(Excel's limit): beyond that the rows continue on ``<view>_2`` and so on.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import xlsxwriter

from besa.opendata.flat import FlatView, Row

BOM = "\ufeff"

#: Data rows per sheet: Excel's 1,048,576 rows minus the header.
SHEET_ROWS = 1_048_575


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)  # Decimal keeps its written scale: 20000000.00


class _Line:
    """A file-like sink that hands back what ``csv.writer`` wrote, one line at a time."""

    def write(self, text: str) -> str:
        return text


def csv_lines(view: FlatView, rows: Iterable[Row]) -> Iterator[bytes]:
    """The CSV file of ``view`` as encoded lines, for streaming (header first)."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield (BOM + writer.writerow(view.header)).encode()
    for row in rows:
        yield writer.writerow([csv_text(v) for v in row]).encode()


def write_csv(path: Path, view: FlatView, rows: Iterable[Row]) -> int:
    """Write the CSV of ``view`` to ``path``; returns the number of data rows."""
    count = -1  # the header is not a row
    with path.open("wb") as out:
        for line in csv_lines(view, rows):
            out.write(line)
            count += 1
    return count


def write_xlsx(path: Path, sheets: Iterable[tuple[FlatView, Iterable[Row]]]) -> dict[str, int]:
    """Write one workbook with a sheet per view; returns data rows per view."""
    counts: dict[str, int] = {}
    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
         "strings_to_urls": False},
    )  # fmt: skip
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    try:
        for view, rows in sheets:
            counts[view.name] = _write_sheet(workbook, view, rows, bold, day)
    finally:
        workbook.close()
    return counts


def _write_sheet(workbook: Any, view: FlatView, rows: Iterable[Row], bold: Any, day: Any) -> int:
    types = [c.type for c in view.columns]
    sheet, part, line, count = None, 1, 0, 0
    for row in rows:
        if sheet is None or line > SHEET_ROWS:
            name = view.name if part == 1 else f"{view.name}_{part}"
            sheet, part, line = _sheet(workbook, name, view, bold), part + 1, 1
        for col, (kind, value) in enumerate(zip(types, row, strict=True)):
            _cell(sheet, line, col, kind, value, day)
        line += 1
        count += 1
    if sheet is None:
        _sheet(workbook, view.name, view, bold)
    return count


def _sheet(workbook: Any, name: str, view: FlatView, bold: Any) -> Any:
    sheet = workbook.add_worksheet(name)
    sheet.write_row(0, 0, view.header, bold)
    return sheet


def _cell(sheet: Any, row: int, col: int, kind: str, value: Any, day: Any) -> None:
    if value is None or value == "":
        return  # an empty cell
    if kind == "number":
        sheet.write_number(row, col, float(value))
    elif kind == "date":
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), day)
    elif kind == "bool":
        sheet.write_boolean(row, col, bool(value))
    else:
        sheet.write_string(row, col, str(value))

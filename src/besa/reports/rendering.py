"""Rendering a ``Report``: display cells for HTML, a PDF (WeasyPrint) and an Excel workbook
(XlsxWriter). The data functions never format; these never query.

The PDF is HTML printed by WeasyPrint with the jurisdiction's name in the running header, the
data date and "page n of m" in the footer; it loads nothing from the network (inline SVG
charts, system fonts: DejaVu Sans, which Debian installs with fontconfig). The workbook has one
sheet per table with typed cells (numbers are numbers, money has a two-decimal format) and a
totals row holding the table's ``totals`` as values (not formulas, so any reader — openpyxl
included — sees the figure without recalculating).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from besa.jurisdiction import from_env
from besa.reports import charts
from besa.reports.tables import Column, Report, Table


def display(value: Any, column: Column) -> str:
    """One cell as shown on screen and in the PDF (es-MX and en share 1,234.56)."""
    if value is None or value == "":
        return "—"
    if column.kind == "money":
        return f"{Decimal(value):,.2f}"
    if column.kind == "int":
        return f"{int(value):,}"
    if column.kind in ("percent", "days"):
        return f"{Decimal(value):,.1f}"
    if column.kind == "score":
        return f"{Decimal(str(value)):.3f}"
    return str(value)


def shown(table: Table, *, with_chart: bool = True) -> dict[str, Any]:
    """What the templates need of one table: headers, display rows, totals row, chart SVG."""
    totals = table.totals
    return {
        "key": table.key,
        "title": table.title,
        "note": table.note,
        "columns": table.columns,
        # Each cell with whether it is a number (right-aligned, kept on one line).
        "rows": [
            [(display(row.get(c.key), c), c.kind != "text") for c in table.columns]
            for row in table.rows
        ],
        "totals": (
            [
                (display(totals[c.key], c) if c.key in totals else "", c.kind != "text")
                for c in table.columns
            ]
            if totals is not None
            else None
        ),
        "svg": charts.svg(table) if with_chart else "",
    }


def css_string(text: object) -> SafeString:
    """``text`` as the inside of a CSS double-quoted string (for ``@page`` margin boxes),
    safe to write unescaped inside ``<style>`` (no ``<``, so no ``</style>``)."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return mark_safe(escaped.replace("\n", "\\A ").replace("<", "\\3C "))


def jurisdiction_name(language: str) -> str:
    found = from_env()
    return found.name_en if language == "en" else found.name


def pdf(report: Report, language: str) -> bytes:
    """``report`` as a print-quality PDF in ``language``."""
    with translation.override(language):
        html = render_to_string(
            "besa/reports/report_pdf.html",
            {
                "report": report,
                "tables": [shown(t) for t in report.tables],
                "top_left": css_string(jurisdiction_name(language)),
                "top_right": css_string(f"BESA · {report.title}"),
                "as_of": timezone.localtime(report.as_of),
                "LANGUAGE_CODE": language,
            },
        )
    return print_html(html)


def print_html(html: str) -> bytes:
    """HTML → PDF bytes. No base URL: a reference to any outside resource is not followed."""
    # Imported here: WeasyPrint parses its stylesheets on import, which every `besa`
    # command would otherwise pay for (and log) at start-up.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def workbook(report: Report, language: str) -> bytes:
    """``report`` as an .xlsx workbook in ``language``: one sheet per table."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#DDE7EF", "text_wrap": True})
    formats = {
        "money": book.add_format({"num_format": "#,##0.00"}),
        "int": book.add_format({"num_format": "#,##0"}),
        "percent": book.add_format({"num_format": "0.0"}),
        "days": book.add_format({"num_format": "0.0"}),
        "score": book.add_format({"num_format": "0.000"}),
    }
    total_formats = {
        k: book.add_format({"num_format": f.num_format, "bold": True, "top": 1})
        for k, f in formats.items()
    }
    with translation.override(language):
        for index, table in enumerate(report.tables):
            # Sheet names: at most 31 characters, unique, without []:*?/\ .
            name = f"{index + 1} {table.title}"
            for bad in "[]:*?/\\":
                name = name.replace(bad, " ")
            sheet = book.add_worksheet(name[:31])
            sheet.write(0, 0, str(report.title), bold)
            sheet.write(1, 0, f"{jurisdiction_name(language)} · {table.title}")
            sheet.write(
                2,
                0,
                f"{translation.gettext('Datos al')} "
                f"{timezone.localtime(report.as_of):%Y-%m-%d %H:%M}",
            )
            row = 3
            for label, value in report.filter_words:
                sheet.write(row, 0, f"{label}: {value}")
                row += 1
            row += 1
            for col, column in enumerate(table.columns):
                sheet.write(row, col, str(column.title), head)
                sheet.set_column(col, col, 44 if col == 0 else 18)
            first = row + 1
            for data in table.rows:
                row += 1
                for col, column in enumerate(table.columns):
                    _cell(sheet, row, col, data.get(column.key), column, formats)
            sheet.freeze_panes(first, 1)
            totals = table.totals
            if totals is not None:
                row += 1
                sheet.write(row, 0, translation.gettext("Total"), bold)
                for col, column in enumerate(table.columns):
                    if column.key in totals:
                        _cell(sheet, row, col, totals[column.key], column, total_formats)
    book.close()
    return out.getvalue()


def _cell(sheet: Any, row: int, col: int, value: Any, column: Column, formats: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None)
    elif column.kind == "text":
        sheet.write_string(row, col, str(value))
    else:
        # Money goes in as a float of a two-place Decimal: exact to the cent for any amount
        # under 2**53 cents (about 90 trillion pesos), which Excel's doubles hold anyway.
        sheet.write_number(row, col, float(value), formats[column.kind])

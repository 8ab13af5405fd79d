"""CSV and XLSX of the filtered alert list: exactly the rows the inbox shows (all its pages),
in words.

The export reads the inbox's ``AlertFilters``, so a download never differs from the page it
was started from (the contract list is exported by a background job, ``besa.web.jobs``).
Columns are named and filled in the person's language (rule names, states, evidence as
sentences); the rule code is its own column, a secondary label as on the pages.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``) are
written as text: evidence quotes what suppliers and operators typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import xlsxwriter
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from besa.accesslog import record as accesslog
from besa.accesslog.models import What
from besa.alerts import words
from besa.web.alerts import AlertFilters
from besa.web.errors import not_found

Row = Sequence[Any]


def alert_columns() -> list[str]:
    return [
        _("Regla"),
        _("Código"),
        _("Severidad"),
        _("Estado"),
        _("Institución"),
        _("Contrato"),
        _("Sobre"),
        _("Evidencia"),
        _("Abierta"),
        _("Atender a más tardar"),
        _("Cerrada"),
        _("Con"),
    ]


def alert_rows(request: HttpRequest) -> Iterator[Row]:
    """One row per alert the inbox shows for the request's filters, in its order."""
    lang = words.language(request.LANGUAGE_CODE)
    filters = AlertFilters.from_query(request.GET)
    alerts = filters.apply(request.user).select_related("contract", "institution")
    for a in alerts.iterator(chunk_size=500):
        yield [
            words.rule_name(a.rule, lang),
            a.rule,
            words.severity_name(a.severity, lang),
            words.state_name(a.state, lang),
            a.institution.name,
            a.contract.number,
            words.subject(a.subject, a.evidence or {}, lang, a.contract.currency),
            " ".join(words.evidence(a.rule, a.evidence or {}, lang)),
            _local_day(a.opened_at),
            _local_day(a.escalate_at),
            _local_day(a.closed_at),
            words.escalation_name(a.escalation_level, lang),
        ]


def _local_day(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else timezone.localtime(value).date()


def _safe(value: Any) -> Any:
    """Text that a spreadsheet would evaluate is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return _safe(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(name: str, header: list[str], rows: Iterable[Row]) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV with a BOM (Excel opens it with accents intact)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([_csv_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def xlsx_response(name: str, header: list[str], rows: Iterable[Row]) -> HttpResponse:
    """An XLSX workbook with one sheet: dates as dates, amounts as numbers. Rows are flushed
    as written (``constant_memory``), so a long list costs only its compressed file."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(name[:31])
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, header, bold)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), day)
            elif value is None:
                sheet.write_blank(r, c, None)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, float(value))
    sheet.freeze_panes(1, 0)
    workbook.close()
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _respond(fmt: str, name: str, header: list[str], rows: Iterable[Row]) -> HttpResponse:
    if fmt == "csv":
        return csv_response(name, header, rows)  # type: ignore[return-value]
    return xlsx_response(name, header, rows)


@login_required
def alerts_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """``/alertas/exportar/<csv|xlsx>/?<the inbox's filters>``."""
    if fmt not in ("csv", "xlsx"):
        return not_found(request)
    accesslog.read(request, What.EXPORT)
    return _respond(fmt, _("alertas"), alert_columns(), alert_rows(request))

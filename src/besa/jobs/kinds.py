"""What each kind of job does, given its row and a progress callback.

Each function returns ``(counts, result_file)``: figures for the report (keys named in
``besa.web.jobs.COUNT_LABELS``) and the name of a file it wrote in the job's directory (or
``""``). They raise ``BesaError`` for input the work refuses; the runner records it.

Imports are idempotent (the importers' own guarantee: the same file twice changes nothing,
an interrupted OCDS import resumes where its last whole batch ended), so a job interrupted
by a dying worker is simply run again. Exports write a fresh file each time.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from besa.jobs.models import Job, JobKind
from besa.registry.models import Contract

#: ``progress(phase, done, total)``, as the OCDS importer calls it.
Progress = Callable[[str, int, int | None], None]
Outcome = tuple[dict[str, int], str]


def job_dir(job: Job) -> Path:
    """Where a job's input and result files live (shared by the web process and the worker,
    like the var dir's database)."""
    return Path(settings.VAR_DIR) / "jobs" / str(job.pk)


def import_ocds(job: Job, progress: Progress) -> Outcome:
    from besa.interop.importer import import_ocds as run_import

    folder = job_dir(job)
    with (folder / "informe.jsonl").open("wb") as report:
        summary = run_import(
            [folder / job.parameters["file"]],
            publisher=job.parameters.get("publisher") or None,
            report=report,
            progress=progress,
        )
    return dict(summary.counts), "informe.jsonl"


def import_compranet(job: Job, progress: Progress) -> Outcome:
    from besa.interop.compranet import contracts
    from besa.interop.compranet.register import import_contracts

    data = (job_dir(job) / job.parameters["file"]).read_bytes()
    progress("read", 0, 1)
    parsed = contracts.parse(data)
    report = import_contracts(
        parsed,
        timezone.now(),
        digest=hashlib.sha256(data).hexdigest(),
        file_name=job.parameters.get("file_name", ""),
    )
    progress("write", 1, 1)
    counts = {
        "rows": len(parsed.contracts) + len(parsed.skipped),
        "registered": len(report.registered),
        "already": report.already,
        "below_threshold": report.below_threshold,
        "skipped": len(report.skipped),
        "processes": report.processes,
    }
    return counts, ""


def import_sat69b(job: Job, progress: Progress) -> Outcome:
    from besa.interop.lists import sat69b
    from besa.interop.lists.snapshots import import_list

    data = (job_dir(job) / job.parameters["file"]).read_bytes()
    progress("read", 0, 1)
    report = import_list(sat69b.parse(data), data, file_name=job.parameters.get("file_name", ""))
    progress("write", 1, 1)
    counts = {
        "rows": report.rows,
        "skipped": len(report.skipped),
        "changed_rfcs": len(report.changed_rfcs),
        "already": int(report.already),
    }
    return counts, ""


def visible_contracts(user: Any, query: str) -> QuerySet[Contract]:
    """The contract list as the user sees it with the search ``query`` (``/contratos/``)."""
    contracts = (
        Contract.objects.visible_to(user).search(query).select_related("buying_unit__institution")
    )
    # The list page's order (Contract.Meta), made total so an export is reproducible.
    return contracts.prefetch_related("suppliers").order_by("-signing_date", "number", "pk")


#: Progress is written every this many rows.
_EVERY = 200


def export_contracts(job: Job, progress: Progress) -> Outcome:
    """The contract list (the user's scope, the search it had) as CSV or XLSX, with headers
    in the language the user had when starting it."""
    params = job.parameters
    fmt = "xlsx" if params.get("format") == "xlsx" else "csv"
    contracts = visible_contracts(job.started_by, params.get("q", ""))
    total = contracts.count()
    progress("export", 0, total)
    with translation.override(params.get("language") or settings.LANGUAGE_CODE):
        header = [
            _("Número"), _("Título"), _("Institución"), _("Unidad compradora"),
            _("Proveedores"), _("Importe sin IVA"), _("Moneda"), _("Firma"), _("Vigencia hasta"),
            "ocid",
        ]  # fmt: skip
    rows = (
        [
            c.number,
            c.title,
            c.buying_unit.institution.name,
            c.buying_unit.name,
            "; ".join(s.name for s in c.suppliers.all()),
            c.amount,
            c.currency,
            c.signing_date.isoformat() if c.signing_date else "",
            c.end_date.isoformat() if c.end_date else "",
            c.ocid,
        ]
        for c in contracts.iterator(chunk_size=500)
    )
    name = f"contratos.{fmt}"
    path = job_dir(job) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8-sig") as out:  # BOM: Excel reads UTF-8
            writer = csv.writer(out)
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                written += 1
                if written % _EVERY == 0:
                    progress("export", written, total)
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet(_short(header[0]))
        sheet.write_row(0, 0, header)
        for row in rows:
            written += 1
            sheet.write_row(written, 0, [float(v) if isinstance(v, Decimal) else v for v in row])
            if written % _EVERY == 0:
                progress("export", written, total)
        book.close()
    progress("export", written, total)
    return {"exported": written}, name


def _short(title: str) -> str:
    return title[:31] or "contratos"


KINDS: dict[str, Callable[[Job, Progress], Outcome]] = {
    JobKind.IMPORT_OCDS: import_ocds,
    JobKind.IMPORT_COMPRANET: import_compranet,
    JobKind.IMPORT_SAT69B: import_sat69b,
    JobKind.EXPORT_CONTRACTS: export_contracts,
}

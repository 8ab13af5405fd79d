"""Registering CompraNet rows in BESA: the contracts at or above the registration threshold.

Transactions: the file is parsed and checked as a whole first (encoding, columns,
truncation), so a malformed file writes nothing. The rows are then registered in one
transaction, each inside its own savepoint: a row the registry rejects (bad dates, a
calendar that does not cover its year…) is rolled back alone and reported, the others
commit together. Idempotent on CODIGO_CONTRATO: a row whose code is already registered is
counted as such and left untouched.

What is registered: a row whose amount (MXN; other currencies carry no exchange rate in the
export) reaches the jurisdiction's ``registration_threshold``, with a signing date
(FECHA_CELEBRACION), and whose supplier can be identified. The export has no supplier RFC,
so the supplier must already be in the registry under the same normalised name
(``besa.interop.lists.names.normalise``), once. The institution (SIGLAS) must be in the
registry (the registration entry needs its RFC, which the export lacks); a missing buying unit
(CLAVEUC) is created under it from the row.

What is kept for analytics: every row read (registered, below the threshold or not
registrable) becomes an ``ImportedProcess`` holding the OCDS release the row describes
(``besa.interop.compranet.release``), linked to its registered contract when there is one,
and new or changed ones are scored by the per-process risk rules in the same transaction.
Unchanged rows (same release hash) are left as they were, so the same file twice changes
nothing.

A registered row is a *published* contract (``besa.registry.publication``): the export carries
no budget sufficiency, compliance opinion or guarantee, which are data gaps its buying unit
completes within the grace period (``besa.alerts.gaps``); the report lists them per row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import orjson
from django.db import transaction

from besa.alerts.completeness import open_gaps
from besa.alerts.gaps import describe
from besa.exceptions import BesaError
from besa.interop.compranet.contracts import CompranetContract, ParsedContracts
from besa.interop.compranet.release import compiled_release
from besa.interop.lists.entries import Skipped
from besa.interop.lists.names import normalise
from besa.interop.models import ImportedProcess, ImportRun, RunStatus
from besa.jurisdiction import from_env
from besa.logbook.actor import Actor
from besa.registry.models import BuyingUnit, Contract, Institution, Supplier
from besa.registry.registration import SupplierShare, register_contract
from besa.risk.models import RunKind
from besa.risk.process import store_processes

ACTOR = Actor.system("import:compranet")


@dataclass
class CompranetReport:
    registered: list[str] = field(default_factory=list)  #: CODIGO_CONTRATO values
    already: int = 0
    below_threshold: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    #: rows kept (new or changed) as imported processes for risk analytics
    processes: int = 0
    #: what each registered contract lacks (data gaps, ``besa.alerts.gaps``), by its row
    missing: list[Skipped] = field(default_factory=list)


def import_contracts(
    parsed: ParsedContracts, now: dt.datetime, *, digest: str, file_name: str = ""
) -> CompranetReport:
    """Register the rows that qualify and keep every row as an imported process (see the
    module docstring); report the rest. ``digest`` is the SHA-256 of the file."""
    jurisdiction = from_env()
    threshold = jurisdiction.registration_threshold
    report = CompranetReport(skipped=list(parsed.skipped))
    suppliers = _suppliers_by_name()
    institutions = {i.code: i for i in Institution.objects.all()}
    known = set(
        Contract.objects.filter(compranet_code__in=[c.code for c in parsed.contracts]).values_list(
            "compranet_code", flat=True
        )
    )
    with transaction.atomic():
        for row in parsed.contracts:
            if row.code in known:
                report.already += 1
                continue
            if row.currency != jurisdiction.currency:
                reason = f"{row.code}: moneda {row.currency} sin tipo de cambio / no exchange rate"
                report.skipped.append(Skipped(row.line, reason))
                continue
            if row.amount < threshold:
                report.below_threshold += 1
                continue
            if row.signing_date is None:
                reason = f"{row.code}: sin FECHA_CELEBRACION / no signing date"
                report.skipped.append(Skipped(row.line, reason))
                continue
            institution = institutions.get(row.institution_code)
            if institution is None:
                reason = f"{row.code}: institución {row.institution_code!r} no registrada / unknown"
                report.skipped.append(Skipped(row.line, reason))
                continue
            found = suppliers.get(normalise(row.supplier_name), [])
            if len(found) != 1:
                why = "no registrado / not registered" if not found else "ambiguo / ambiguous"
                reason = f"{row.code}: proveedor sin RFC {why}: {row.supplier_name!r}"
                report.skipped.append(Skipped(row.line, reason))
                continue
            try:
                with transaction.atomic():
                    contract = _register(
                        row, institution, found[0], jurisdiction.ocid(f"CN-{row.code}")
                    )
            except BesaError as exc:
                report.skipped.append(Skipped(row.line, f"{row.code}: {exc}"))
                continue
            report.registered.append(row.code)
            report.missing += [
                Skipped(row.line, f"{row.code}: {describe(gap)}") for gap in open_gaps(contract)
            ]
        report.processes = _keep_processes(parsed, digest, file_name, now)
    report.skipped.sort(key=lambda s: s.line)
    return report


def _keep_processes(parsed: ParsedContracts, digest: str, file_name: str, now: dt.datetime) -> int:
    """Write each row's release as an ``ImportedProcess``; returns how many were new or
    changed (and scored). Must run in the caller's transaction."""
    jurisdiction = from_env()
    run, created = ImportRun.objects.get_or_create(
        sha256=digest,
        defaults={
            "source": "compranet-csv",
            "files": [file_name],
            "publisher": "compranet",
            "status": RunStatus.COMPLETED,
            "started_at": now,
            "finished_at": now,
        },
    )
    releases = {jurisdiction.ocid(f"CN-{row.code}"): row for row in parsed.contracts}
    stored = {
        p.ocid: p
        for p in ImportedProcess.objects.filter(ocid__in=list(releases)).only(
            "id", "ocid", "content_hash"
        )
    }
    registered = {
        c.compranet_code: c
        for c in Contract.objects.filter(compranet_code__in=[r.code for r in releases.values()])
    }
    changed = []
    for ocid, row in releases.items():
        release = compiled_release(row, ocid)
        content = hashlib.sha256(orjson.dumps(release, option=orjson.OPT_SORT_KEYS)).hexdigest()
        process = stored.get(ocid)
        if process is None or process.content_hash != content:
            process, _ = ImportedProcess.objects.update_or_create(
                ocid=ocid,
                defaults={
                    "publisher": "compranet",
                    "content_hash": content,
                    "compiled_release": release,
                    "run": run,
                    "issues": [],
                },
            )
            changed.append(release)
        if row.code in registered:
            process.contracts.add(registered[row.code])  # a no-op when already linked
    if changed:
        store_processes(changed, source="import:compranet", kind=RunKind.LIVE_PROCESS)
    if created:
        run.counts = {"rows": len(parsed.contracts), "processes": len(changed)}
        run.save(update_fields=["counts"])
    return len(changed)


def _suppliers_by_name() -> dict[str, list[Supplier]]:
    found: dict[str, list[Supplier]] = {}
    for supplier in Supplier.objects.only("id", "rfc", "name", "person_type"):
        found.setdefault(normalise(supplier.name), []).append(supplier)
    return found


def _register(
    row: CompranetContract, institution: Institution, supplier: Supplier, ocid: str
) -> Contract:
    unit, _ = BuyingUnit.objects.get_or_create(
        code=row.unit_code,
        defaults={"institution": institution, "name": row.unit_name, "head": row.unit_head},
    )
    assert row.signing_date is not None
    return register_contract(
        ACTOR,
        buying_unit=unit,
        suppliers=[SupplierShare(supplier)],
        ocid=ocid,
        number=row.code,
        compranet_code=row.code,
        procedure_number=row.procedure_number,
        title=row.title,
        contracting_type=row.contracting_type,
        procedure_type=row.procedure_type,
        character=row.character,
        award_date=row.award_date,
        signing_date=row.signing_date,
        start_date=row.start_date,
        end_date=row.end_date,
        amount=row.amount,
        currency=row.currency,
        idempotency_key=f"compranet:{row.code}",
    )

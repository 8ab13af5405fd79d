"""``import_ocds``: OCDS files into the registry, the logbook and ``ImportedProcess`` rows.

Two phases, so that a bad file leaves nothing behind:

1. **Read** every file to its end (``besa.interop.ocds.reader``), normalising each release
   and spilling it to a temporary on-disk table keyed by ocid. Every fatal problem (truncated
   JSON, bytes that are not UTF-8, a file over ``BESA_IMPORT_MAX_BYTES``) is found here,
   before anything is written: the database is untouched and no run row is created.
2. **Write** process by process, in ocid order: compile its releases, and unless the stored
   process has the same content hash, store it, register its contracts at or above the
   threshold and append their entries with the system actor ``import:ocds``. Writes are
   grouped ``BATCH`` processes to a transaction (a savepoint each, so one bad process costs
   only itself); every registration and entry carries an idempotency key derived from the
   ocid and the OCDS object's id.

**Alerts are evaluated once per imported contract**, after its whole history is appended
(``besa.alerts.evaluation.deferred``, a context variable: only this call's appends are
deferred, so an import could run inside a web server without silencing other requests'
evaluation; other append hooks, the webhooks' ``entry.appended``, still run). Replaying
history one append at a time would open alerts that a later fact of the same history
corrects, with their notifications. Alerts opened so are marked ``found_at_import`` and carry
the day their breach began (``breach_since``) when the rule can tell. What the source could not
carry is a data gap, not an alert, until the buying unit's grace period ends
(``besa.alerts.gaps``); the report lists each gap of each contract written (action ``missing``:
what, and by when the buying unit must record it).

Hence: the same files twice change nothing (every process hashes equal; the run row is
found by the files' SHA-256 and left as it was); a run killed at any point (even SIGKILL)
has committed whole batches only, and re-running it skips those and writes the rest, ending
in the state of an uninterrupted run. Server-side timestamps and generated UUIDs differ, as
for any two runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import signal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import orjson
from django.db import reset_queries, transaction
from django.utils import timezone

from besa.alerts.completeness import open_gaps
from besa.alerts.evaluation import deferred, sync
from besa.alerts.gaps import describe
from besa.exceptions import BesaError, InvalidInput, InvalidRFC
from besa.interop.models import ImportedProcess, ImportRun, RunStatus
from besa.interop.ocds.compile import compile_process
from besa.interop.ocds.normalise import Normaliser
from besa.interop.ocds.plan import ContractPlan, Party, Terms, plan
from besa.interop.ocds.reader import read
from besa.interop.ocds.report import Issue, ReportWriter
from besa.interop.ocds.spill import Spill, Spilled
from besa.jurisdiction import from_env
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import ContractState, Entry
from besa.registry.models import BuyingUnit, Contract, Institution, Supplier
from besa.registry.registration import SupplierShare, register_contract, register_supplier
from besa.registry.validation import GENERIC_DOMESTIC_RFC, check_rfc
from besa.risk.models import RunKind
from besa.risk.process import store_processes

#: Processes per transaction: bounded work lost to a crash, few commits per second.
BATCH = 50
#: Default size limit of one file, decompressed (``BESA_IMPORT_MAX_BYTES`` overrides it).
DEFAULT_MAX_BYTES = 8 * 1024**3
ACTOR = Actor.system("import:ocds")
_LEVEL = {"federal": "APF", "state": "GE", "municipal": "GM"}
_KIND = {"APF": "dependencia", "GE": "ente_estatal", "GM": "ente_municipal"}
#: Test hook: ``BESA_IMPORT_KILL_AT=n`` sends SIGKILL to this process on reaching the n-th
#: process of the write phase (inside an open transaction), to prove resumability.
_KILL_AT = "BESA_IMPORT_KILL_AT"

Progress = Callable[[str, int, int | None], None]


@dataclass
class Summary:
    """What one call did. ``counts``: releases read, processes, written (new or changed),
    unchanged, contracts registered, entries appended, and the report's skipped, repaired
    and kept items."""

    run: ImportRun
    counts: dict[str, int] = field(default_factory=dict)


def max_bytes_setting() -> int:
    """``BESA_IMPORT_MAX_BYTES`` (bytes, decompressed, per file), else ``DEFAULT_MAX_BYTES``."""
    raw = os.environ.get("BESA_IMPORT_MAX_BYTES", "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(
            "BESA_IMPORT_MAX_BYTES", f"no es un entero / not an integer: {raw!r}"
        ) from None
    if value <= 0:
        raise InvalidInput("BESA_IMPORT_MAX_BYTES", "debe ser > 0 / must be > 0")
    return value


def import_ocds(
    paths: Sequence[Path],
    *,
    publisher: str | None = None,
    report: IO[bytes] | None = None,
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Import ``paths`` (see the module docstring); write the report to ``report``.

    Raises ``InvalidInput`` naming the file and line or byte for a fatal input error; then
    nothing was written to the database. May be called again with the same files at any
    time (idempotent), in particular after an interruption (resumes).
    """
    limit = max_bytes or max_bytes_setting()
    writer = ReportWriter(report)
    spill = Spill()
    try:
        files = [_describe(p) for p in paths]
        for path in paths:
            normaliser = Normaliser(path.name, publisher)
            for item in read(path, max_bytes=limit):
                for release in normaliser.items(item):
                    spill.add(path.name, release)
                for issue in normaliser.issues:
                    writer.write(issue)
                normaliser.issues.clear()
                if progress is not None and spill.count % 1000 == 0:
                    progress("read", spill.count, None)
        return _write(spill, files, publisher, writer, progress)
    finally:
        spill.close()


def _describe(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return {"name": path.name, "sha256": digest.hexdigest(), "bytes": path.stat().st_size}


def _write(
    spill: Spill,
    files: list[dict[str, Any]],
    publisher: str | None,
    writer: ReportWriter,
    progress: Progress | None,
) -> Summary:
    run_key = hashlib.sha256("".join(sorted(f["sha256"] for f in files)).encode()).hexdigest()
    run, _ = ImportRun.objects.get_or_create(
        sha256=run_key,
        defaults={"files": files, "publisher": publisher or "", "started_at": timezone.now()},
    )
    jurisdiction = from_env()
    level = _LEVEL[jurisdiction.level]
    terms = Terms(
        threshold=jurisdiction.registration_threshold,
        home_currency=jurisdiction.currency,
        guarantee_beneficiary=jurisdiction.guarantee_beneficiary,
        level=level,
    )
    counts = dict.fromkeys(("processes", "written", "unchanged", "registered", "entries"), 0)
    total = spill.ocids()
    kill_at = int(os.environ.get(_KILL_AT, "0") or 0)
    writing = _Writer(terms, writer, counts, run, publisher)
    batch: list[tuple[str, list[Spilled]]] = []
    for process in spill.processes():
        batch.append(process)
        if len(batch) >= BATCH:
            writing.batch(batch, kill_at)
            batch = []
            if progress is not None:
                progress("write", counts["processes"], total)
    if batch:
        writing.batch(batch, kill_at)
    if progress is not None:
        progress("write", counts["processes"], total)
    counts["releases"] = spill.count
    counts.update(writer.counts)
    if run.status != RunStatus.COMPLETED:
        run.status = RunStatus.COMPLETED
        run.finished_at = timezone.now()
        run.counts = counts
        run.save(update_fields=["status", "finished_at", "counts"])
    return Summary(run, counts)


class _Writer:
    def __init__(
        self,
        terms: Terms,
        report: ReportWriter,
        counts: dict[str, int],
        run: ImportRun,
        publisher: str | None,
    ) -> None:
        self.publisher = publisher
        self.terms = terms
        self.report = report
        self.counts = counts
        self.run = run
        self.zone = from_env().zone
        #: New processes without registered contracts, inserted together at the batch's end.
        self.pending: list[ImportedProcess] = []
        #: Compiled releases new or changed in this batch, for the per-process risk rules.
        self.scored: list[dict[str, Any]] = []

    def batch(self, batch: Iterable[tuple[str, list[Spilled]]], kill_at: int) -> None:
        batch = list(batch)
        stored = {
            p.ocid: p
            for p in ImportedProcess.objects.filter(ocid__in=[o for o, _ in batch]).only(
                "ocid", "content_hash", "issues"
            )
        }
        with transaction.atomic():
            for ocid, spilled in batch:
                self.counts["processes"] += 1
                if kill_at and self.counts["processes"] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                self.process(ocid, spilled, stored.get(ocid))
            ImportedProcess.objects.bulk_create(self.pending)
            self.pending = []
            if self.scored:
                # Per-process risk rules in real time, in the batch's transaction: a killed
                # import re-runs the batch, so no process is left written but unscored.
                store_processes(self.scored, source="import:ocds", kind=RunKind.LIVE_PROCESS)
                self.scored = []
        # With DEBUG on, Django logs every query of the connection until a request ends; a
        # long import has no requests, so it clears the log itself to keep memory flat.
        reset_queries()

    def process(self, ocid: str, spilled: list[Spilled], stored: ImportedProcess | None) -> None:
        # The planner replays the process's own releases (history); compiling may merge them
        # in place, so it gets copies when there is a history to replay.
        history = (
            [orjson.loads(orjson.dumps(s.release)) for s in spilled] if len(spilled) > 1 else None
        )
        compiled, issues = compile_process(ocid, spilled)
        digest = hashlib.sha256(orjson.dumps(compiled, option=orjson.OPT_SORT_KEYS)).hexdigest()
        if stored is not None and stored.content_hash == digest:
            self.counts["unchanged"] += 1
            for data in stored.issues:
                self.report.write(Issue.from_json(data))
            return
        latest = spilled[-1]
        where = latest.path.rsplit(".compiledRelease", 1)[0]
        publisher = self.publisher or (
            ocid[:11] if ocid.lower().startswith("ocds-") else ocid.split("-", 1)[0]
        )
        own = [
            release
            for item, release in zip(spilled, history or [s.release for s in spilled], strict=True)
            if not item.compiled
        ]
        process_plan = plan(compiled, publisher, self.terms, _distinct(own) or None)
        for note in process_plan.notes:
            issues.append(
                Issue(
                    latest.file,
                    latest.line,
                    _join(where, latest, note.path),
                    note.action,
                    note.reason,
                )
            )
        # Registration and each append are atomic on their own (a rejected one is reported
        # and leaves nothing); the batch's transaction holds them with the process row.
        contracts = [
            contract
            for contract_plan in process_plan.contracts
            if (contract := self.contract(contract_plan, latest, where, issues)) is not None
        ]
        fields = {
            "publisher": publisher,
            "content_hash": digest,
            "compiled_release": compiled,
            "run": self.run,
            "issues": [i.as_json() for i in issues],
        }
        if stored is None and not contracts:
            self.pending.append(ImportedProcess(ocid=ocid, **fields))  # the common case
        else:
            record, _ = ImportedProcess.objects.update_or_create(ocid=ocid, defaults=fields)
            record.contracts.add(*contracts)
        self.counts["written"] += 1
        self.scored.append(compiled)
        for issue in issues:
            self.report.write(issue)

    # --- one contract ---------------------------------------------------------------------

    def contract(
        self, planned: ContractPlan, latest: Spilled, where: str, issues: list[Issue]
    ) -> Contract | None:
        def note(path: str, action: Any, reason: str) -> None:
            issues.append(
                Issue(latest.file, latest.line, _join(where, latest, path), action, reason)
            )

        counted = dict(self.counts)
        try:
            with transaction.atomic():
                with deferred():
                    contract, changed = self.history(planned, note)
                if contract is not None and changed:
                    # One evaluation of the whole history, as of now (module docstring).
                    head = ContractState.objects.select_for_update().get(contract=contract)
                    sync(head, timezone.now(), found_at_import=True)
                    head.save(update_fields=["next_check_at"])
                    for gap in open_gaps(contract):
                        note(planned.path, "missing", describe(gap))
        except BesaError as exc:  # the rules could not judge it (a year with no calendar…)
            self.counts.update(counted)
            field_name = getattr(exc, "field", "") or getattr(exc, "key", "")
            note(
                planned.path,
                "skipped",
                f"registro rechazado / registration rejected: "
                f"{field_name}: {getattr(exc, 'message', exc)}",
            )
            return None
        return contract

    def history(
        self, planned: ContractPlan, note: Callable[[str, Any, str], None]
    ) -> tuple[Contract | None, bool]:
        """Register the contract (unless known) and append its entries not yet in the
        logbook; whether anything was written."""
        changed = False
        contract = Contract.objects.filter(ocid=planned.ocid).first()
        if contract is None:
            try:
                with transaction.atomic():
                    contract = self.register(planned, note)
            except BesaError as exc:
                field_name = getattr(exc, "field", "") or getattr(exc, "key", "")
                note(
                    planned.path,
                    "skipped",
                    f"registro rechazado / registration rejected: "
                    f"{field_name}: {getattr(exc, 'message', exc)}",
                )
                return None, False
            self.counts["registered"] += 1
            changed = True
        keys = [_key(planned.ocid, entry.key) for entry in planned.entries]
        # Appended by an earlier import of this process: one query for all its entries.
        done = set(
            Entry.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True)
        )
        for entry, key in zip(planned.entries, keys, strict=True):
            if key in done:
                continue
            occurred = dt.datetime.combine(
                dt.date.fromisoformat(entry.day), dt.time(), tzinfo=self.zone
            )
            try:
                append(
                    contract,
                    entry.kind,
                    entry.payload,
                    actor=ACTOR,
                    occurred_at=occurred,
                    idempotency_key=key,
                )
            except InvalidInput as exc:
                note(
                    entry.path,
                    "skipped",
                    f"{entry.kind} rechazado / rejected: {exc.field}: {exc.message}",
                )
                continue
            self.counts["entries"] += 1
            changed = True
        return contract, changed

    def register(self, planned: ContractPlan, note: Callable[[str, Any, str], None]) -> Contract:
        institution = self.institution(planned.buyer)
        unit, _ = BuyingUnit.objects.get_or_create(
            code=planned.buying_unit.code,
            defaults={"institution": institution, "name": planned.buying_unit.name},
        )
        suppliers: list[Supplier] = []
        for index, party in enumerate(planned.suppliers):
            supplier = self.supplier(party, f"{planned.path}.suppliers[{index}]", note)
            if all(s.pk != supplier.pk for s in suppliers):
                suppliers.append(supplier)
        return register_contract(
            ACTOR,
            buying_unit=unit,
            suppliers=_shares(suppliers),
            idempotency_key=_key(planned.ocid, "registration"),
            ocid=planned.ocid,
            **planned.fields,
        )

    def institution(self, buyer: Party) -> Institution:
        rfc = GENERIC_DOMESTIC_RFC
        if buyer.rfc is not None:
            with contextlib.suppress(InvalidRFC):  # a bad RFC: the placeholder, as for none
                rfc = check_rfc(buyer.rfc, strict=False).rfc
        institution, _ = Institution.objects.get_or_create(
            code=buyer.code,
            defaults={
                "name": buyer.name,
                "level": self.terms.level,
                "kind": _KIND[self.terms.level],
                "rfc": rfc,
            },
        )
        return institution

    def supplier(self, party: Party, path: str, note: Callable[[str, Any, str], None]) -> Supplier:
        if party.rfc is not None:
            try:
                return register_supplier(rfc=party.rfc, name=party.name, strict=False)
            except InvalidRFC as exc:
                note(
                    path,
                    "repaired",
                    f"RFC inválido {party.rfc!r} ({exc.message}): se usa el "
                    f"RFC genérico {GENERIC_DOMESTIC_RFC} con el nombre / invalid RFC: the "
                    "generic RFC is used with the name",
                )
        else:
            note(
                path,
                "repaired",
                f"proveedor sin RFC: RFC genérico {GENERIC_DOMESTIC_RFC} con "
                "su nombre / supplier without RFC: generic RFC with its name",
            )
        return register_supplier(rfc=GENERIC_DOMESTIC_RFC, name=party.name, strict=False)


def _distinct(releases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One release per id, the last read winning (as when compiling)."""
    return list({str(r.get("id")): r for r in releases}.values())


def _shares(suppliers: list[Supplier]) -> list[SupplierShare]:
    """Equal shares adding up to exactly 100 % (OCDS publishes none)."""
    each = (Decimal(100) / len(suppliers)).quantize(Decimal("0.01"))
    shares = [SupplierShare(s, each) for s in suppliers[:-1]]
    shares.append(SupplierShare(suppliers[-1], Decimal(100) - each * (len(suppliers) - 1)))
    return shares


def _key(ocid: str, what: str) -> str:
    key = f"ocds:{ocid}:{what}"
    if len(key) <= 200:
        return key
    return "ocds:sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _join(where: str, latest: Spilled, path: str) -> str:
    """The report path of ``path`` (relative to the compiled release) for the last release
    read of the process: ``releases[3].contracts[0]``, or ``records[0].compiledRelease…``."""
    base = latest.path if latest.compiled or not where else where
    if not base:
        return path
    return f"{base}.{path}" if path else base

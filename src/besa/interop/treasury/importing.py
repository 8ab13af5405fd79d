"""Importing TESOFE payments and SICOP budget commitments into contracts' logbooks.

Both importers work in three steps: read and type every row (a malformed file is refused
whole, naming the line: nothing is written); match each row to a contract (and, for
payments, to the contract's CFDIs); append the matched rows in one transaction as
``payment`` / ``budget_sufficiency`` entries by the system actor. A row that matches no
contract, or that the logbook refuses (a payment before its CFDI was received…), is
reported with its line and reason and written nowhere: never dropped silently.

Idempotent: each row's idempotency key is a digest of its typed values, so importing the
same file (or a later extract repeating the same rows) again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction

from besa.exceptions import InvalidInput
from besa.interop.treasury import layouts
from besa.interop.treasury.csvfile import read_rows
from besa.interop.treasury.layouts import CommitmentRow, ContractRef, PaymentRow
from besa.jurisdiction.loader import from_env
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import Entry, InvoiceUUID
from besa.registry.models import Contract


@dataclass(frozen=True)
class Unmatched:
    """A row not written, with why."""

    line: int
    reason: str


@dataclass
class ImportReport:
    """What an import did. ``appended`` entries were written now, ``unchanged`` rows had
    been imported before; every other row is in ``unmatched``."""

    source: str
    rows: int = 0
    appended: int = 0
    unchanged: int = 0
    unmatched: list[Unmatched] = field(default_factory=list)


def import_payments(data: bytes, *, encoding: str = "utf-8") -> ImportReport:
    """Import a TESOFE payments CSV (layout ``layouts.TESOFE_COLUMNS``)."""
    rows = read_rows(
        data,
        required=layouts.required(layouts.TESOFE_COLUMNS),
        known=layouts.known(layouts.TESOFE_COLUMNS),
        encoding=encoding,
    )
    typed = [layouts.payment_row(row) for row in rows]
    return _import("tesofe", typed, _match_payment, _payment_payload)


def import_commitments(data: bytes, *, encoding: str = "utf-8") -> ImportReport:
    """Import a SICOP budget commitments CSV (layout ``layouts.SICOP_COLUMNS``)."""
    rows = read_rows(
        data,
        required=layouts.required(layouts.SICOP_COLUMNS),
        known=layouts.known(layouts.SICOP_COLUMNS),
        encoding=encoding,
    )
    typed = [layouts.commitment_row(row) for row in rows]
    return _import("sicop", typed, _match_commitment, _commitment_payload)


class _NoMatch(Exception):
    pass


def _import(
    source: str,
    rows: Sequence[Any],
    match: Callable[[Any], Contract],
    to_payload: Callable[[Any], tuple[str, dict[str, Any], dt.date]],
) -> ImportReport:
    report = ImportReport(source, rows=len(rows))
    actor = Actor.system(f"import:{source}")
    zone = from_env().zone
    with transaction.atomic():
        for row in rows:
            try:
                contract = match(row)
            except _NoMatch as exc:
                report.unmatched.append(Unmatched(row.line, str(exc)))
                continue
            kind, payload, day = to_payload(row)
            key = f"{source}:{_digest(row)}"
            if Entry.objects.filter(idempotency_key=key).exists():
                report.unchanged += 1
                continue
            try:
                append(
                    contract,
                    kind,
                    payload,
                    actor=actor,
                    occurred_at=dt.datetime.combine(day, dt.time(), tzinfo=zone),
                    idempotency_key=key,
                )
            except InvalidInput as exc:
                report.unmatched.append(
                    Unmatched(row.line, f"rechazado / refused: {exc.field}: {exc.message}")
                )
                continue
            report.appended += 1
    return report


def _digest(row: Any) -> str:
    values = {k: v for k, v in asdict(row).items() if k != "line"}
    canonical = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _contract(ref: ContractRef) -> Contract | None:
    """The contract a row names, ``None`` when it names none; ``_NoMatch`` when the name
    fits no contract or several."""
    if ref.ocid:
        found = Contract.objects.filter(ocid=ref.ocid).first()
        if found is None:
            raise _NoMatch(f"ocid desconocido / unknown ocid: {ref.ocid}")
        return found
    if not ref.number:
        return None
    matches = list(Contract.objects.filter(number=ref.number)[:2])
    if not matches:
        raise _NoMatch(f"contrato desconocido / unknown contract number: {ref.number}")
    if len(matches) > 1:
        raise _NoMatch(
            f"número de contrato ambiguo, indique el ocid / ambiguous contract number, "
            f"give the ocid: {ref.number}"
        )
    return matches[0]


def _match_payment(row: PaymentRow) -> Contract:
    contract = _contract(row.contract)
    indexed = dict(
        InvoiceUUID.objects.filter(uuid__in=row.invoice_uuids).values_list("uuid", "contract_id")
    )
    for uuid in row.invoice_uuids:
        if uuid not in indexed:
            raise _NoMatch(f"CFDI no registrado / CFDI not recorded: {uuid}")
    owners = set(indexed.values())
    if contract is None:
        if len(owners) != 1:
            raise _NoMatch(
                "los CFDI son de varios contratos / the CFDIs belong to several contracts"
            )
        contract = Contract.objects.get(pk=owners.pop())
    elif owners - {contract.pk}:
        raise _NoMatch(
            "un CFDI pertenece a otro contrato / a CFDI belongs to another contract: "
            + ", ".join(u for u, c in indexed.items() if c != contract.pk)
        )
    suppliers = set(contract.suppliers.values_list("rfc", flat=True))
    if row.beneficiary_rfc not in suppliers:
        raise _NoMatch(
            f"el beneficiario {row.beneficiary_rfc} no es proveedor del contrato / "
            f"the beneficiary {row.beneficiary_rfc} is not a supplier of the contract"
        )
    return contract


def _match_commitment(row: CommitmentRow) -> Contract:
    contract = _contract(row.contract)
    assert contract is not None  # the layout requires an ocid or a number
    return contract


def _payment_payload(row: PaymentRow) -> tuple[str, dict[str, Any], dt.date]:
    payload: dict[str, Any] = {
        "date": row.date.isoformat(),
        "amount": str(row.amount),
        "currency": row.currency,
        "invoice_uuids": list(row.invoice_uuids),
        "clc_folio": row.clc_folio,
        "channel": row.channel,
        "penalties_withheld": str(row.penalties_withheld),
        "deductions_withheld": str(row.deductions_withheld),
        "financial_charges": str(row.financial_charges),
        "is_advance": row.is_advance,
    }
    if row.exchange_rate is not None:
        payload["exchange_rate"] = str(row.exchange_rate)
    return "payment", payload, row.date


def _commitment_payload(row: CommitmentRow) -> tuple[str, dict[str, Any], dt.date]:
    payload: dict[str, Any] = {
        "oficio_number": row.oficio_number,
        "date": row.date.isoformat(),
        "amount": str(row.amount),
        "fiscal_year": row.fiscal_year,
        "budget_key": row.budget_key,
        "commitment_folio": row.commitment_folio,
    }
    if row.expense_item:
        payload["expense_item"] = row.expense_item
    if row.multiyear_oficio and row.multiyear_date:
        payload["multiyear_authorization"] = {
            "oficio_number": row.multiyear_oficio,
            "date": row.multiyear_date.isoformat(),
        }
    return "budget_sufficiency", payload, row.date

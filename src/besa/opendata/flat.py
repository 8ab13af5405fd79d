"""Flat views of the logbook: one row per contract, entry, payment or alert.

A view is its columns (name and type, so that each writer renders a value its own way) and a
generator of rows of plain Python values (``str``, ``int``, ``Decimal``, ``date``, ``bool``,
``None``). Rows are read with ``iterator()`` in chunks, so memory stays flat in the row count.

Public views (``contracts``, ``entries``, ``payments``) hold only what transparency law makes
public: no user names and no natural person's RFC, CURP or name (entries show them as salted
commitments, so that their hashes can still be checked), no supplier contact data. ``alerts`` is
not public (oversight work in progress): it is exported only within a signed-in user's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from django.db.models import QuerySet

from besa.alerts.models import Alert
from besa.logbook.disclosure import COMMITMENT, hashed_form
from besa.logbook.models import Entry, iso
from besa.opendata import disclosure
from besa.registry.models import Contract, ContractSupplier

#: Rows read from the database per round trip.
CHUNK = 500

Row = tuple[Any, ...]
Contracts = QuerySet[Contract]
#: Only facts recorded strictly before this instant; None for everything.
Cutoff = dt.datetime | None


@dataclass(frozen=True)
class Column:
    name: str
    #: ``text``, ``number`` (Decimal or int), ``date``, ``bool`` or ``instant`` (UTC ISO text)
    type: str = "text"


@dataclass(frozen=True)
class FlatView:
    name: str
    columns: tuple[Column, ...]
    rows: Callable[[QuerySet[Contract], dt.datetime | None], Iterator[Row]]
    public: bool = True

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _cols(spec: str) -> tuple[Column, ...]:
    """``"ocid amount:number"`` → columns; the type defaults to text."""
    return tuple(Column(*item.split(":")) for item in spec.split())


# --- contracts -----------------------------------------------------------------------------

CONTRACT_COLUMNS = _cols(
    "ocid number title institution_code institution_name buying_unit_code buying_unit_name "
    "contracting_type procedure_type character signing_date:date start_date:date "
    "end_date:date amount:number vat_amount:number currency exchange_rate:number "
    "is_open:bool max_amount:number supplier_rfcs supplier_names status "
    "last_sequence:number last_hash"
)


def contract_rows(contracts: Contracts, recorded_before: Cutoff) -> Iterator[Row]:
    """One row per contract. ``status``, ``last_sequence`` and ``last_hash`` are the chain
    head at export time (the dump's cut-off applies to entries, not to this summary)."""
    # The state's snapshot (the whole folded history, large for long contracts) is not read.
    rows = (
        contracts.select_related("buying_unit__institution", "state")
        .defer("state__snapshot")
        .order_by("ocid")
    )
    for chunk in _chunks(rows):
        suppliers = _suppliers([c.pk for c in chunk])
        for c in chunk:
            unit, head = c.buying_unit, getattr(c, "state", None)
            names = suppliers.get(c.pk, [])
            yield (
                c.ocid, c.number, c.title, unit.institution.code, unit.institution.name,
                unit.code, unit.name, c.contracting_type, c.procedure_type, c.character,
                c.signing_date, c.start_date, c.end_date, c.amount, c.vat_amount, c.currency,
                c.exchange_rate, c.is_open, c.max_amount,
                " ".join(rfc for rfc, _ in names), " | ".join(name for _, name in names),
                head.status if head else "new", head.last_sequence if head else 0,
                head.last_hash if head else "",
            )  # fmt: skip


def _suppliers(contract_ids: list[Any]) -> dict[Any, list[tuple[str, str]]]:
    found: dict[Any, list[tuple[str, str]]] = {}
    links = ContractSupplier.objects.filter(contract_id__in=contract_ids).order_by("supplier__rfc")
    for contract_id, rfc, name in links.values_list(
        "contract_id", "supplier__rfc", "supplier__name"
    ):
        found.setdefault(contract_id, []).append(disclosure.supplier(rfc, name))
    return found


# --- entries and payments ------------------------------------------------------------------

ENTRY_COLUMNS = _cols(
    "ocid sequence:number kind occurred_at:instant recorded_at:instant actor_role "
    "actor_institution actor_user_commitment payload documents entry_id prev_hash hash"
)


def _entries(contracts: QuerySet[Contract], recorded_before: dt.datetime | None) -> Any:
    entries = Entry.objects.filter(contract__in=contracts.values("pk"))
    if recorded_before is not None:
        entries = entries.filter(recorded_at__lt=recorded_before)
    return entries.order_by("ocid", "sequence")


def entry_rows(contracts: Contracts, recorded_before: Cutoff) -> Iterator[Row]:
    """One row per logbook entry, in (ocid, sequence) order, in its hashed form
    (``besa.logbook.disclosure``): the person's user name and a natural person's RFC, CURP
    and name appear only as salted commitments, so every hash can be recomputed from the row
    while no hidden value can be guessed. ``payload`` and ``documents`` are canonical JSON
    text (sorted keys). Entries from before commitments have an empty commitment column."""
    for e in _entries(contracts, recorded_before).iterator(chunk_size=CHUNK):
        shown = hashed_form({"kind": e.kind, "actor": e.actor, "payload": e.payload}, e.salt)
        user = shown["actor"].get("user") if e.salt else None
        yield (
            e.ocid, e.sequence, e.kind, iso(e.occurred_at), iso(e.recorded_at),
            e.actor.get("role", ""), e.actor.get("institution", ""),
            user[COMMITMENT] if isinstance(user, dict) else "", _json(shown["payload"]),
            _json(e.documents), str(e.uuid), e.prev_hash, e.hash,
        )  # fmt: skip


PAYMENT_COLUMNS = _cols(
    "ocid entry_id recorded_at:instant date:date amount:number currency exchange_rate:number "
    "invoice_uuids clc_folio channel penalties_withheld:number deductions_withheld:number "
    "financial_charges:number is_advance:bool"
)


def payment_rows(contracts: Contracts, recorded_before: Cutoff) -> Iterator[Row]:
    """One row per ``payment`` entry, as recorded (a later rectification of a payment is an
    entry of its own, listed in the entries view)."""
    payments = _entries(contracts, recorded_before).filter(kind="payment")
    for e in payments.iterator(chunk_size=CHUNK):
        p = e.payload
        yield (
            e.ocid, str(e.uuid), iso(e.recorded_at), _day(p.get("date")),
            _number(p.get("amount")), p.get("currency", ""), _number(p.get("exchange_rate")),
            " ".join(p.get("invoice_uuids") or ()), p.get("clc_folio") or "",
            p.get("channel") or "", _number(p.get("penalties_withheld", 0)),
            _number(p.get("deductions_withheld", 0)), _number(p.get("financial_charges", 0)),
            bool(p.get("is_advance", False)),
        )  # fmt: skip


# --- alerts (not public) -------------------------------------------------------------------

ALERT_COLUMNS = _cols(
    "alert_id ocid contract_number institution_code rule severity state subject summary "
    "opened_at:instant closed_at:instant escalation_level:number"
)


def alert_rows(contracts: Contracts, recorded_before: Cutoff) -> Iterator[Row]:
    """One row per alert on the selected contracts, oldest first."""
    alerts = Alert.objects.filter(contract__in=contracts.values("pk")).select_related(
        "contract", "institution"
    )
    if recorded_before is not None:
        alerts = alerts.filter(opened_at__lt=recorded_before)
    for a in alerts.order_by("opened_at", "id").iterator(chunk_size=CHUNK):
        yield (
            str(a.id), a.ocid, a.contract.number, a.institution.code, a.rule, a.severity,
            a.state, a.subject, a.summary, iso(a.opened_at),
            iso(a.closed_at) if a.closed_at else None, a.escalation_level,
        )  # fmt: skip


VIEWS: dict[str, FlatView] = {
    "contracts": FlatView("contracts", CONTRACT_COLUMNS, contract_rows),
    "entries": FlatView("entries", ENTRY_COLUMNS, entry_rows),
    "payments": FlatView("payments", PAYMENT_COLUMNS, payment_rows),
    "alerts": FlatView("alerts", ALERT_COLUMNS, alert_rows, public=False),
}

#: The views anyone may download.
PUBLIC_VIEWS = tuple(name for name, view in VIEWS.items() if view.public)


def _chunks(rows: QuerySet[Contract]) -> Iterator[list[Contract]]:
    chunk: list[Contract] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _number(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None

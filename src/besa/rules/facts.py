"""Reading a contract snapshot the way the rules need it: days, money and obligations.

Small pure functions over the plain JSON of ``besa.logbook.state``, so that every rule turns
strings into dates and amounts, converts currencies and decides when a contract's obligations
stopped running in the same way. Nothing here decides whether something is a breach.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def day(value: str) -> dt.date:
    """A ``YYYY-MM-DD`` string (or the date part of an ISO timestamp) as a date."""
    return dt.date.fromisoformat(value[:10])


def iso(value: dt.date | None) -> str | None:
    """A date as evidence: ``YYYY-MM-DD``, or None."""
    return None if value is None else value.isoformat()


def money(value: Decimal) -> str:
    """An amount as evidence: rounded to cents, fixed-point string."""
    return format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")


def plain(value: Decimal) -> str:
    """A quantity or percentage as evidence, exactly as computed (fixed-point string)."""
    return format(value, "f")


def base_amount(snapshot: Mapping[str, Any]) -> Decimal:
    """The contract's signed amount without VAT, in its currency: the maximum of an open
    contract (domain.md §4, A05), the amount of a closed one. Amendments are not included."""
    terms = snapshot["contract"]
    if terms.get("is_open") and terms.get("max_amount") is not None:
        return Decimal(terms["max_amount"])
    return Decimal(terms["amount"])


def to_contract_currency(
    snapshot: Mapping[str, Any], amount: Decimal, currency: str | None, rate: str | None = None
) -> Decimal:
    """``amount`` in ``currency`` (None: the contract's) converted to the contract's currency.

    A home-currency amount is divided by the contract's exchange rate; an amount in a third
    currency goes through the home currency with its own ``rate``.
    """
    contract_currency = snapshot["currency"]
    if currency is None or currency == contract_currency:
        return amount
    home = amount if currency == snapshot["home_currency"] else amount * Decimal(rate or 1)
    if contract_currency == snapshot["home_currency"]:
        return home
    return home / Decimal(snapshot["contract"].get("exchange_rate") or 1)


def to_home_currency(snapshot: Mapping[str, Any], amount: Decimal) -> Decimal:
    """A contract-currency amount in the home currency (at the contract's exchange rate)."""
    if snapshot["currency"] == snapshot["home_currency"]:
        return amount
    return amount * Decimal(snapshot["contract"].get("exchange_rate") or 1)


def obligations_end(snapshot: Mapping[str, Any]) -> tuple[dt.date, str] | None:
    """The day the contract's delivery obligations stopped running, and why, or None.

    The earliest of: the early termination, a rescission resolved as ``rescinded``, the
    closure (finiquito) and, while the contract is suspended, the start of the suspension.
    Obligations falling due on or after that day are not owed (cancelled or paused); those
    due before it stop accruing delay on it.
    """
    ends: list[tuple[dt.date, str]] = []
    if snapshot.get("early_termination"):
        ends.append((day(snapshot["early_termination"]["date"]), "early_termination"))
    rescission = snapshot.get("rescission") or {}
    if rescission.get("decision") == "rescinded" and rescission.get("resolved_on"):
        ends.append((day(rescission["resolved_on"]), "rescission"))
    if snapshot.get("closure"):
        ends.append((day(snapshot["closure"]["date"]), "closure"))
    if snapshot.get("suspended") and snapshot.get("suspensions"):
        ends.append((day(snapshot["suspensions"][-1]["date"]), "suspension"))
    return min(ends) if ends else None


def accepted_by(deliverable: Mapping[str, Any], last_day: dt.date) -> Decimal:
    """The quantity of ``deliverable`` accepted on or before ``last_day``."""
    return sum(
        (
            Decimal(r["quantity_accepted"])
            for r in deliverable["receptions"]
            if day(r["date"]) <= last_day
        ),
        Decimal(0),
    )


def invoices_of(snapshot: Mapping[str, Any], deliverable_id: str) -> list[str]:
    """The UUIDs of the CFDIs that name ``deliverable_id``."""
    return [
        uuid
        for uuid, invoice in snapshot["invoices"].items()
        if deliverable_id in invoice.get("deliverable_ids", ())
    ]


def first_payment_from(
    payments: Iterable[Mapping[str, Any]], start: dt.date, invoices: set[str] | None = None
) -> Mapping[str, Any] | None:
    """The first payment dated on or after ``start`` (of one of ``invoices``, if given)."""
    chosen: Mapping[str, Any] | None = None
    for payment in payments:
        if day(payment["date"]) < start:
            continue
        if invoices is not None and not invoices.intersection(payment["invoice_uuids"]):
            continue
        if chosen is None or payment["date"] < chosen["date"]:
            chosen = payment
    return chosen

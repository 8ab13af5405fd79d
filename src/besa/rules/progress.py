"""A contract's facts at a glance: what the contract page's top shows (ui.md, "The contract
page", items 1-2). Not a rule: the figures are computed with the rules' own helpers
(``besa.rules.facts``, ``besa.rules.payments``), so the page and the alerts never disagree
about what was accepted, invoiced or paid.

Pure: ``contract_facts(snapshot, context)`` reads a state snapshot (``besa.logbook.state``)
and a rules ``Context`` (today and the regime) and returns plain values. Money is
``Decimal`` in the contract's currency and without VAT, like the contract amount it is
compared with (invoices count their subtotal less discount; payments their share of it);
penalties are in the home currency in which the snapshot totals them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from besa.rules.base import Context
from besa.rules.facts import HUNDRED, accepted_by, base_amount, day, to_contract_currency
from besa.rules.payments import paid_without_vat, payment_clock

_PERCENT = Decimal("0.1")


@dataclass(frozen=True)
class Deadline:
    """Something due on ``due``: ``what`` is ``delivery`` (of ``subject``, a deliverable's
    description), ``payment`` (of the CFDI ``subject``) or ``end`` (the contract's term)."""

    due: dt.date
    what: str
    subject: str


@dataclass(frozen=True)
class ContractFacts:
    status: str
    currency: str
    home_currency: str
    original_amount: Decimal
    #: As amended (the maximum of an open contract plus the amendments' net change).
    current_amount: Decimal
    amendment_change: Decimal
    amendments: int
    deliverables: int
    deliverables_accepted: int
    #: Value accepted to date; deliverables of unknown amount are not in it.
    accepted_amount: Decimal
    unknown_value_deliverables: int
    invoiced_amount: Decimal
    paid_amount: Decimal
    penalties_calculated: Decimal
    penalties_applied: Decimal
    #: The performance guarantee required (None: exempted, or no contract terms).
    guarantee_required: Decimal | None
    guarantee_covered: Decimal
    guarantee_exempted: bool
    deadlines: tuple[Deadline, ...]

    @property
    def next_deadline(self) -> Deadline | None:
        return self.deadlines[0] if self.deadlines else None

    def percent_of_current(self, amount: Decimal) -> Decimal | None:
        return _percent(amount, self.current_amount)

    @property
    def accepted_percent(self) -> Decimal | None:
        return self.percent_of_current(self.accepted_amount)

    @property
    def invoiced_percent(self) -> Decimal | None:
        return self.percent_of_current(self.invoiced_amount)

    @property
    def paid_percent(self) -> Decimal | None:
        return self.percent_of_current(self.paid_amount)

    @property
    def amendment_percent(self) -> Decimal | None:
        return _percent(self.amendment_change, self.original_amount)

    @property
    def guarantee_coverage_percent(self) -> Decimal | None:
        """Guarantees held as a percentage of the required one (100 = fully covered)."""
        if self.guarantee_required is None:
            return None
        return _percent(self.guarantee_covered, self.guarantee_required)


def _percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (part * HUNDRED / whole).quantize(_PERCENT, rounding=ROUND_HALF_UP)


def contract_facts(snapshot: Mapping[str, Any], context: Context) -> ContractFacts | None:
    """The facts of the contract in ``snapshot`` on ``context.today``; None before its
    registration entry (nothing is known yet)."""
    terms = snapshot.get("contract")
    if not terms:
        return None
    original = base_amount(snapshot)
    change = sum((Decimal(a.get("amount_change") or 0) for a in snapshot["amendments"]), Decimal(0))
    deliverables = snapshot["deliverables"]
    accepted = Decimal(0)
    unknown = 0
    for deliverable in deliverables.values():
        quantity = Decimal(deliverable["quantity"])
        share = (
            min(Decimal(1), accepted_by(deliverable, context.today) / quantity)
            if quantity
            else Decimal(0)
        )
        if deliverable.get("amount") is None:
            unknown += 1
            continue
        accepted += Decimal(deliverable["amount"]) * share
    invoiced = sum((_invoice_base(snapshot, i) for i in snapshot["invoices"].values()), Decimal(0))
    paid = sum((paid_without_vat(snapshot, p) for p in snapshot["payments"]), Decimal(0))
    totals = snapshot["totals"]
    required, covered, exempted = _guarantee(snapshot, context, original + change)
    return ContractFacts(
        status=snapshot["status"],
        currency=snapshot["currency"],
        home_currency=totals.get("currency") or snapshot["home_currency"],
        original_amount=original,
        current_amount=original + change,
        amendment_change=change,
        amendments=len(snapshot["amendments"]),
        deliverables=len(deliverables),
        deliverables_accepted=sum(1 for d in deliverables.values() if d["fully_accepted_on"]),
        accepted_amount=_cents(accepted),
        unknown_value_deliverables=unknown,
        invoiced_amount=_cents(invoiced),
        paid_amount=_cents(paid),
        penalties_calculated=Decimal(totals["penalties_calculated"]),
        penalties_applied=Decimal(totals["penalties_applied"]),
        guarantee_required=required,
        guarantee_covered=covered,
        guarantee_exempted=exempted,
        deadlines=_deadlines(snapshot, context),
    )


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _invoice_base(snapshot: Mapping[str, Any], invoice: Mapping[str, Any]) -> Decimal:
    base = Decimal(invoice["subtotal"]) - Decimal(invoice.get("discount") or 0)
    return to_contract_currency(snapshot, base, invoice["currency"], invoice.get("exchange_rate"))


def _guarantee(
    snapshot: Mapping[str, Any], context: Context, amount: Decimal
) -> tuple[Decimal | None, Decimal, bool]:
    """Required performance guarantee (the contract's percentage, else the regime's, of the
    amount as amended), what the active ones cover, and whether it was exempted."""
    performance = [g for g in snapshot["guarantees"].values() if g["type"] == "performance"]
    exempted = any(g["status"] == "exempted" for g in performance)
    held = [g for g in performance if g["status"] == "active"]
    covered = sum(
        (
            to_contract_currency(snapshot, Decimal(g.get("amount") or 0), g.get("currency"))
            for g in held
        ),
        Decimal(0),
    )
    if exempted:
        return None, _cents(covered), True
    percent = Decimal(
        snapshot["contract"].get("guarantee_percent") or context.regime.guarantee_percent
    )
    return _cents(amount * percent / HUNDRED), _cents(covered), False


#: Statuses after which nothing is due any more.
_FINISHED = frozenset({"closed", "rescinded", "terminated_early", "terminated_completed"})


def _deadlines(snapshot: Mapping[str, Any], context: Context) -> tuple[Deadline, ...]:
    """What is still due, earliest first: deliveries not fully accepted, CFDIs not paid
    (their payment clock, as A12 counts it), and the end of the term. Overdue items stay
    (they are the most urgent); a finished contract has none."""
    if snapshot["status"] in _FINISHED:
        return ()
    found = []
    for deliverable in snapshot["deliverables"].values():
        if not deliverable["fully_accepted_on"]:
            found.append(
                Deadline(day(deliverable["due_date"]), "delivery", deliverable["description"])
            )
    for uuid, invoice in snapshot["invoices"].items():
        if invoice["payment_entry_ids"] or invoice.get("sat_status") == "cancelado":
            continue
        clock = payment_clock(snapshot, invoice, context)
        if clock is not None:
            found.append(Deadline(clock.due, "payment", uuid))
    end = snapshot.get("current_end_date")
    if end:
        found.append(Deadline(day(end), "end", ""))
    return tuple(sorted(found, key=lambda d: (d.due, d.what, d.subject)))

"""Payment rules: late payment (A12), payment without delivery (A13), overpayment (A14).

Article numbers are those of the 2000 LAASSP and its Reglamento (domain.md §0).

**How A12 counts the payment deadline** (art. 51; RLAASSP art. 90), for each CFDI:

1. ``clock_start`` is the day the CFDI was received (``date_received``) or, when a
   deliverable it bills was delivered later, that later day: art. 51 pays within 20 days of
   the CFDI "previa entrega de los bienes". A deliverable counts as delivered on the day it
   was fully accepted or, if only part of it was accepted, the last day part of it was. A CFDI
   billing a deliverable of which nothing is accepted has no clock yet; a CFDI billing no
   deliverable (an advance) starts at receipt.
2. ``paused_days`` are the natural days from the deficiency letter (``deficiency_letter_date``)
   to the corrected CFDI (``corrected_invoice_date``) that fall on or after ``clock_start``:
   they do not count toward the 20 days (RLAASSP art. 90). They only pause the clock if the
   letter was sent within ``invoice_review_business_days`` business days after receipt
   (``letter_deadline``): a late letter cannot stop a clock that is running. A timely letter
   still awaiting its corrected CFDI stops the clock: no finding until the CFDI arrives.
3. ``due_date = clock_start + payment_days + paused_days`` (natural days). Paid on the due
   date is on time; paid the day after is one day late. Received on 2025-07-01 with no letter:
   due 2025-07-21; paid on the 21st (day 20) is on time, on the 22nd (day 21) it is late.
   With a letter on 07-03 and the corrected CFDI on 07-10, due is 07-28.
4. The payment date is that of the earliest payment naming the CFDI. A CFDI unpaid after its
   due date fires as ``unpaid``; its ``days_late`` is counted to ``as_of`` (the evaluation
   day) and is refreshed at every evaluation, but the finding itself only goes away with a new
   entry (the payment, or a rectified date), so the rule asks for no daily re-check.

**Money** (A13, A14) is compared in the contract's currency and without VAT: contract,
deliverable and amendment amounts are without VAT while payments pay CFDI totals, so each
payment counts for ``amount × (subtotal − discount) / total`` of the CFDIs it names (a payment
naming no CFDI counts in full). Payments in another currency are converted at their own and the
contract's exchange rates. Payments are net of penalties and deductions withheld; financial
charges are recorded apart and never count. Sums may differ from the exact figure by rounding
(CFDIs are rounded to cents), so a cent per payment is tolerated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from besa.rules.base import Context, Finding, Verdict, earliest, rule
from besa.rules.facts import (
    CENT,
    HUNDRED,
    accepted_by,
    base_amount,
    day,
    iso,
    money,
    to_contract_currency,
)

_ONE_DAY = dt.timedelta(days=1)


# --- A12 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentClock:
    """When a CFDI falls due (see the module docstring)."""

    start: dt.date
    delivered_on: dt.date | None
    paused_days: int
    letter_deadline: dt.date | None
    pause_counted: bool
    due: dt.date


def payment_clock(
    snapshot: Mapping[str, Any], invoice: Mapping[str, Any], context: Context
) -> PaymentClock | None:
    """The payment clock of ``invoice``, or None while it is not running (nothing billed was
    delivered yet, or a timely deficiency letter awaits its corrected CFDI)."""
    received = day(invoice["date_received"])
    delivered: list[dt.date] = []
    for deliverable_id in invoice.get("deliverable_ids", ()):
        deliverable = snapshot["deliverables"].get(deliverable_id)
        on = None if deliverable is None else delivered_on(deliverable)
        if on is None:
            return None
        delivered.append(on)
    last_delivery = max(delivered) if delivered else None
    start = max(received, last_delivery) if last_delivery else received
    letter, corrected = invoice.get("deficiency_letter_date"), invoice.get("corrected_invoice_date")
    paused, deadline, counted = 0, None, False
    if letter is not None:
        calendar = context.jurisdiction.calendar
        deadline = calendar.add_business_days(received, context.regime.invoice_review_business_days)
        counted = day(letter) <= deadline
        if counted and corrected is None:
            return None
        if counted and corrected is not None:
            paused = max(0, (day(corrected) - max(day(letter), start)).days)
    due = start + dt.timedelta(days=context.regime.payment_days + paused)
    return PaymentClock(start, last_delivery, paused, deadline, counted, due)


def delivered_on(deliverable: Mapping[str, Any]) -> dt.date | None:
    """The day a deliverable counts as delivered for payment: fully accepted, or the last day
    part of it was accepted; None while nothing of it is accepted."""
    if deliverable.get("fully_accepted_on"):
        return day(deliverable["fully_accepted_on"])
    accepted = [
        day(r["date"]) for r in deliverable["receptions"] if Decimal(r["quantity_accepted"])
    ]
    return max(accepted) if accepted else None


def _first_payment(
    invoice: Mapping[str, Any], payments: Mapping[str, Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    paying = [payments[i] for i in invoice["payment_entry_ids"] if i in payments]
    return min(paying, key=lambda p: p["date"]) if paying else None


@rule(
    "A12",
    name_es="Pago tardío",
    name_en="Late payment",
    severity="M",
    legal_basis="LAASSP art. 51; RLAASSP art. 90",
    trigger_es=(
        "CFDI pagado (o aún sin pagar) después de su recepción (o de la entrega de lo que "
        "factura, si fue posterior) más payment_days días naturales más los días entre el "
        "escrito de deficiencias enviado dentro de invoice_review_business_days días hábiles "
        "y la recepción del CFDI corregido"
    ),
    trigger_en=(
        "A CFDI paid (or still unpaid) after its receipt (or the delivery of what it bills, if "
        "later) plus payment_days natural days plus the days from a deficiency letter sent "
        "within invoice_review_business_days business days to the corrected CFDI"
    ),
    parameters=("payment_days", "invoice_review_business_days"),
)
def late_payment(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A12: a CFDI paid after its due date, or unpaid past it (module docstring: counting).

    One finding per CFDI, subject ``invoice:<UUID>``. ``next_check`` is the day after the
    earliest due date of a CFDI whose clock runs and that is neither paid nor overdue.
    """
    if snapshot.get("contract") is None:
        return Verdict()
    payments = {p["entry_id"]: p for p in snapshot["payments"]}
    findings: list[Finding] = []
    next_check: dt.date | None = None
    for uuid, invoice in sorted(snapshot["invoices"].items()):
        clock = payment_clock(snapshot, invoice, context)
        if clock is None:
            continue
        payment = _first_payment(invoice, payments)
        if payment is None and context.today <= clock.due:
            next_check = earliest(next_check, clock.due + _ONE_DAY)
            continue
        paid_on = None if payment is None else day(payment["date"])
        if paid_on is not None and paid_on <= clock.due:
            continue
        late = ((paid_on or context.today) - clock.due).days
        evidence = {
            "invoice_uuid": uuid,
            "total": invoice["total"],
            "currency": invoice["currency"],
            "date_received": invoice["date_received"],
            "delivered_on": iso(clock.delivered_on),
            "clock_start": iso(clock.start),
            "deficiency_letter_date": invoice.get("deficiency_letter_date"),
            "letter_deadline": iso(clock.letter_deadline),
            "corrected_invoice_date": invoice.get("corrected_invoice_date"),
            "paused_days": clock.paused_days,
            "payment_days": context.regime.payment_days,
            "due_date": iso(clock.due),
            "status": "unpaid" if payment is None else "paid_late",
            "payment_date": iso(paid_on),
            "payment_entry_id": None if payment is None else payment["entry_id"],
            "financial_charges": None if payment is None else payment["financial_charges"],
            "days_late": late,
        }
        if payment is None:
            evidence["as_of"] = iso(context.today)
            summary = f"CFDI sin pagar, {late} días vencido / unpaid, {late} days overdue"
        else:
            summary = f"CFDI pagado {late} días tarde / paid {late} days late"
        findings.append(Finding("A12", f"invoice:{uuid}", "M", evidence, summary))
    return Verdict(tuple(findings), next_check)


# --- money helpers for A13 and A14 ----------------------------------------------------------


def _value(
    snapshot: Mapping[str, Any], amount: str, currency: str | None, rate: str | None
) -> Decimal:
    """``amount`` in ``currency`` (None: the contract's) in the contract's currency."""
    return to_contract_currency(snapshot, Decimal(amount), currency, rate)


def _invoice_value(snapshot: Mapping[str, Any], invoice: Mapping[str, Any], field: str) -> Decimal:
    return _value(snapshot, invoice[field], invoice["currency"], invoice.get("exchange_rate"))


def _payment_value(snapshot: Mapping[str, Any], payment: Mapping[str, Any]) -> Decimal:
    return _value(snapshot, payment["amount"], payment["currency"], payment.get("exchange_rate"))


def paid_without_vat(snapshot: Mapping[str, Any], payment: Mapping[str, Any]) -> Decimal:
    """What ``payment`` paid, without VAT, in the contract's currency (module docstring)."""
    paid = _payment_value(snapshot, payment)
    invoices = [
        snapshot["invoices"][u] for u in payment["invoice_uuids"] if u in snapshot["invoices"]
    ]
    totals = sum((_invoice_value(snapshot, i, "total") for i in invoices), Decimal(0))
    if not totals:
        return paid
    bases = sum(
        (
            _invoice_value(snapshot, i, "subtotal")
            - _value(snapshot, i.get("discount") or "0", i["currency"], i.get("exchange_rate"))
            for i in invoices
        ),
        Decimal(0),
    )
    return paid * bases / totals


def _in_order(payments: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(payments, key=lambda p: p["date"])  # stable: same-day payments keep order


def _accepted_value(snapshot: Mapping[str, Any], on: dt.date) -> tuple[Decimal, list[str]]:
    """The value (without VAT, contract currency) of what was accepted by ``on``, and the
    deliverables of unknown amount with something accepted by then (their value is not in
    the total: it is unknown)."""
    total = Decimal(0)
    unknown = []
    for deliverable_id, deliverable in sorted(snapshot["deliverables"].items()):
        quantity = Decimal(deliverable["quantity"])
        share = min(Decimal(1), accepted_by(deliverable, on) / quantity) if quantity else Decimal(0)
        if deliverable.get("amount") is None:
            if share:
                unknown.append(deliverable_id)
            continue
        total += Decimal(deliverable["amount"]) * share
    return total, unknown


# --- A13 ----------------------------------------------------------------------------------


@rule(
    "A13",
    name_es="Pago sin entrega / anticipo no pactado",
    name_en="Payment without delivery / advance not agreed",
    severity="H",
    legal_basis="LAASSP art. 51; LGCG (devengado antes del pago)",
    trigger_es=(
        "Pago de un CFDI cuyo entregable no tenía nada aceptado a la fecha del pago; pagos "
        "acumulados (sin IVA) mayores que lo aceptado más el anticipo pactado; anticipo pagado "
        "sin pactarse o por encima de lo pactado"
    ),
    trigger_en=(
        "A payment of a CFDI whose deliverable had nothing accepted on the payment date; "
        "cumulative payments (without VAT) above the value accepted plus the agreed advance; "
        "an advance paid though none was agreed, or above the agreed one"
    ),
)
def payment_without_delivery(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A13: one finding per offending payment, subject ``payment:<entry id>``.

    Walking the payments in date order, a payment fires when, counting every payment up to
    it (same-day ones in recording order):

    - ``unaccepted_deliverable``: it is not an advance and names a CFDI billing a deliverable
      with nothing accepted on or before the payment date;
    - ``paid_beyond_accepted``: the payments so far exceed the value accepted by that date plus
      the agreed advance (``advance_percent`` of the original amount); not judged when a
      deliverable of unknown amount had something accepted by then (``data_gaps``);
    - ``advance_not_agreed``: it is an advance and the contract agreed none;
    - ``advance_above_agreed``: the advances paid so far exceed the agreed advance.

    Dates of recorded facts only: ``next_check`` is always None.
    """
    terms = snapshot.get("contract")
    if terms is None:
        return Verdict()
    percent = Decimal(terms.get("advance_percent") or 0)
    agreed = Decimal(snapshot["original_amount"]) * percent / HUNDRED
    paid = advances = Decimal(0)
    findings = []
    for count, payment in enumerate(_in_order(snapshot["payments"]), 1):
        paid_on = day(payment["date"])
        amount = paid_without_vat(snapshot, payment)
        paid += amount
        tolerance = CENT * count
        breaches = []
        unaccepted = sorted(
            {
                deliverable_id
                for uuid in payment["invoice_uuids"]
                for deliverable_id in snapshot["invoices"].get(uuid, {}).get("deliverable_ids", ())
                if deliverable_id in snapshot["deliverables"]
                and not accepted_by(snapshot["deliverables"][deliverable_id], paid_on)
            }
        )
        if payment["is_advance"]:
            advances += amount
            if not percent:
                breaches.append("advance_not_agreed")
            elif advances > agreed + tolerance:
                breaches.append("advance_above_agreed")
        elif unaccepted:
            breaches.append("unaccepted_deliverable")
        accepted, unknown = _accepted_value(snapshot, paid_on)
        # With a deliverable of unknown amount accepted, the value accepted is unknown: not
        # judgeable (``data_gaps``), rather than "payment without accepted delivery".
        if paid > accepted + agreed + tolerance and not unknown:
            breaches.append("paid_beyond_accepted")
        if not breaches:
            continue
        evidence = {
            "payment_entry_id": payment["entry_id"],
            "payment_date": payment["date"],
            "amount": payment["amount"],
            "currency": payment["currency"],
            "is_advance": payment["is_advance"],
            "invoice_uuids": list(payment["invoice_uuids"]),
            "unaccepted_deliverables": unaccepted,
            "contract_currency": snapshot["currency"],
            "paid_to_date_without_vat": money(paid),
            "accepted_to_date": money(accepted),
            "advance_percent": terms.get("advance_percent") or "0",
            "advance_agreed": money(agreed),
            "advances_paid_without_vat": money(advances),
            "excess": money(max(Decimal(0), paid - accepted - agreed)),
            "breaches": breaches,
        }
        summary = f"Pago sin entrega aceptada: {', '.join(breaches)} / payment without delivery"
        subject = f"payment:{payment['entry_id']}"
        findings.append(Finding("A13", subject, "H", evidence, summary, paid_on))
    return Verdict(tuple(findings))


# --- A14 ----------------------------------------------------------------------------------


@rule(
    "A14",
    name_es="Pago en exceso",
    name_en="Overpayment",
    severity="H",
    legal_basis="LAASSP art. 51 (reintegro con intereses)",
    trigger_es=(
        "Pagos acumulados (sin IVA) mayores que el monto del contrato más sus convenios "
        "(abiertos: el máximo); un CFDI pagado por encima de su total; un CFDI PUE pagado dos "
        "veces"
    ),
    trigger_en=(
        "Cumulative payments (without VAT) above the contract amount plus its amendments (open "
        "contracts: the maximum); a CFDI paid above its total; a PUE CFDI paid twice"
    ),
)
def overpayment(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A14: subject ``contract`` when all payments (without VAT) exceed the contract's amount
    (its maximum if open) plus the net amendments; subject ``invoice:<UUID>`` when the
    payments naming a CFDI exceed its total (``paid_above_total``; a payment naming several
    CFDIs is shared in proportion to their totals) or a PUE CFDI (single payment) is named by
    two or more payments (``paid_twice``). A cent per payment is tolerated. Never time-bound.
    """
    if snapshot.get("contract") is None:
        return Verdict()
    findings = []
    payments = _in_order(snapshot["payments"])
    paid = sum((paid_without_vat(snapshot, p) for p in payments), Decimal(0))
    change = Decimal(snapshot["current_amount"]) - Decimal(snapshot["original_amount"])
    cap = base_amount(snapshot) + change
    if paid > cap + CENT * len(payments):
        evidence = {
            "currency": snapshot["currency"],
            "paid_without_vat": money(paid),
            "contract_amount": money(cap),
            "is_open": bool(snapshot["contract"].get("is_open")),
            "excess": money(paid - cap),
            "payments": len(payments),
        }
        summary = f"Pagado {money(paid - cap)} por encima del contrato / paid above the contract"
        findings.append(Finding("A14", "contract", "H", evidence, summary))
    shares: dict[str, list[tuple[Mapping[str, Any], Decimal]]] = {}
    for payment in payments:
        named = [u for u in payment["invoice_uuids"] if u in snapshot["invoices"]]
        totals = {u: _invoice_value(snapshot, snapshot["invoices"][u], "total") for u in named}
        whole = sum(totals.values(), Decimal(0))
        for uuid in named:
            share = (
                _payment_value(snapshot, payment) * totals[uuid] / whole if whole else Decimal(0)
            )
            shares.setdefault(uuid, []).append((payment, share))
    for uuid, paying in sorted(shares.items()):
        invoice = snapshot["invoices"][uuid]
        total = _invoice_value(snapshot, invoice, "total")
        paid_for = sum((share for _, share in paying), Decimal(0))
        breaches = []
        if invoice["payment_method"] == "PUE" and len(paying) > 1:
            breaches.append("paid_twice")
        if paid_for > total + CENT * len(paying):
            breaches.append("paid_above_total")
        if not breaches:
            continue
        evidence = {
            "invoice_uuid": uuid,
            "payment_method": invoice["payment_method"],
            "currency": snapshot["currency"],
            "invoice_total": money(total),
            "paid": money(paid_for),
            "excess": money(max(Decimal(0), paid_for - total)),
            "payment_entry_ids": [p["entry_id"] for p, _ in paying],
            "payment_dates": [p["date"] for p, _ in paying],
            "breaches": breaches,
        }
        summary = f"CFDI pagado en exceso: {', '.join(breaches)} / CFDI overpaid"
        findings.append(Finding("A14", f"invoice:{uuid}", "H", evidence, summary))
    return Verdict(tuple(findings))


__all__ = [
    "PaymentClock",
    "delivered_on",
    "late_payment",
    "overpayment",
    "paid_without_vat",
    "payment_clock",
    "payment_without_delivery",
]

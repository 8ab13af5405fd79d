"""Penalty and deduction rules: conventional penalties not applied, miscalculated or not
withheld (A09), penalties at the cap (A10), and deductions not applied or not withheld (A11).

Penalties and deductions carry no currency: they are in the contract's, as are deliverable
amounts; withholdings on payments are converted from the payment's currency. Differences of
one cent per item are rounding. Article numbers are those of the 2000 LAASSP and its
Reglamento (RLAASSP), domain.md §0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from besa.jurisdiction import Regime
from besa.rules.base import Context, Finding, Verdict, rule
from besa.rules.facts import (
    CENT,
    HUNDRED,
    accepted_by,
    base_amount,
    day,
    first_payment_from,
    invoices_of,
    iso,
    money,
    to_contract_currency,
)

_ONE_DAY = dt.timedelta(days=1)
_DEDUCTIBLE = ("partial", "deficient")


# --- What a late deliverable owes ---------------------------------------------------------


@dataclass(frozen=True)
class _Lateness:
    deliverable_id: str
    due: dt.date
    accepted_on: dt.date
    days_late: int
    late_value: Decimal | None  # the value not accepted by the due date (None: unknown)
    penalty: Decimal | None  # rate × Σ over the late days of the value still not accepted


def _late_deliveries(snapshot: Mapping[str, Any]) -> list[_Lateness]:
    """Deliverables fully accepted after their due date, with the penalty they owe at the
    contract's daily rate: each day late costs ``penalty_rate_percent`` of the value not
    accepted by the end of the day before (a reception on day D counts from D + 1)."""
    rate = Decimal(snapshot["contract"]["penalty_rate_percent"]) / HUNDRED
    late = []
    for deliverable_id in sorted(snapshot["deliverables"]):
        deliverable = snapshot["deliverables"][deliverable_id]
        accepted_on = deliverable.get("fully_accepted_on")
        due = day(deliverable["due_date"])
        if accepted_on is None or day(accepted_on) <= due:
            continue
        if deliverable.get("amount") is None:  # unknown: late, owing an unknown penalty
            days = (day(accepted_on) - due).days
            late.append(_Lateness(deliverable_id, due, day(accepted_on), days, None, None))
            continue
        quantity, amount = Decimal(deliverable["quantity"]), Decimal(deliverable["amount"])
        accepted = accepted_by(deliverable, due)
        by_day: dict[dt.date, Decimal] = {}
        for reception in deliverable["receptions"]:
            on = day(reception["date"])
            if due < on <= day(accepted_on):
                by_day[on] = by_day.get(on, Decimal(0)) + Decimal(reception["quantity_accepted"])
        value_days, previous = Decimal(0), due
        for on in sorted(by_day):
            missing = max(quantity - accepted, Decimal(0))
            value_days += (on - previous).days * amount * missing / quantity
            accepted += by_day[on]
            previous = on
        late_value = amount * max(quantity - accepted_by(deliverable, due), Decimal(0)) / quantity
        late.append(
            _Lateness(
                deliverable_id,
                due,
                day(accepted_on),
                (day(accepted_on) - due).days,
                late_value,
                value_days * rate,
            )
        )
    return late


# --- The cap (art. 53 last paragraph; RLAASSP 96) -----------------------------------------


@dataclass(frozen=True)
class _Cap:
    amount: Decimal
    basis: str  # guarantee | exempt | required_guarantee


def _cap(snapshot: Mapping[str, Any], regime: Regime) -> _Cap:
    """The penalty cap: the performance guarantees' amount; if the guarantee was exempted,
    ``penalty_cap_exempt_percent`` of the value delivered late (the penalties' bases); with
    neither recorded, the guarantee the contract requires (its ``guarantee_percent`` of the
    amount without VAT, the maximum of an open contract)."""
    performance = [g for g in snapshot["guarantees"].values() if g["type"] == "performance"]
    held = [g for g in performance if g["status"] != "exempted"]
    if held:
        total = sum(
            (
                to_contract_currency(snapshot, Decimal(g.get("amount") or 0), g.get("currency"))
                for g in held
            ),
            Decimal(0),
        )
        return _Cap(total, "guarantee")
    if performance:
        late_value = _value_delivered_late(snapshot["penalties"])
        return _Cap(late_value * regime.penalty_cap_exempt_percent / HUNDRED, "exempt")
    percent = Decimal(snapshot["contract"]["guarantee_percent"])
    return _Cap(base_amount(snapshot) * percent / HUNDRED, "required_guarantee")


def _value_delivered_late(penalties: Iterable[Mapping[str, Any]]) -> Decimal:
    """The penalties' bases (the value delivered late, domain.md §3.3 H), once per
    deliverable (the largest), once per penalty naming none."""
    bases: dict[str, Decimal] = {}
    for penalty in penalties:
        key = penalty.get("deliverable_id") or f"entry:{penalty['entry_id']}"
        bases[key] = max(bases.get(key, Decimal(0)), Decimal(penalty["base_amount"]))
    return sum(bases.values(), Decimal(0))


def _applied(penalties: Iterable[Mapping[str, Any]]) -> Decimal:
    return sum((Decimal(p["applied_amount"]) for p in penalties), Decimal(0))


# --- Withholding --------------------------------------------------------------------------


def _unwithheld(
    snapshot: Mapping[str, Any], items: list[dict[str, Any]], amount_key: str, field: str
) -> list[dict[str, Any]]:
    """The ``items`` (penalties or deductions) that payments have not withheld.

    An item is due for withholding from the first payment dated on or after it that pays a
    CFDI of its deliverable; from the first payment on or after it at all when it names no
    deliverable or every CFDI of its deliverable was paid before it; not yet while its
    deliverable's CFDI is still to come. The withholdings (``field``) of every payment are
    allocated to the due items oldest first; a due item left uncovered is returned, with the
    evidence of why.
    """
    payments = snapshot["payments"]
    withheld = sum(
        (
            to_contract_currency(snapshot, Decimal(p[field]), p["currency"], p.get("exchange_rate"))
            for p in payments
        ),
        Decimal(0),
    )
    due: list[tuple[str, dict[str, Any], Mapping[str, Any]]] = []
    for item in items:
        payment = _withholding_payment(snapshot, item)
        if payment is not None:
            due.append((payment["date"], item, payment))
    due.sort(key=lambda d: (d[0], d[1]["date"], d[1]["entry_id"]))
    uncovered, owed = [], Decimal(0)
    for count, (_, item, payment) in enumerate(due, 1):
        owed += Decimal(item[amount_key])
        if owed > withheld + CENT * count:
            uncovered.append(
                {
                    "entry_id": item["entry_id"],
                    "date": item["date"],
                    "deliverable_id": item.get("deliverable_id"),
                    "amount": money(Decimal(item[amount_key])),
                    "due_in_payment": {"entry_id": payment["entry_id"], "date": payment["date"]},
                    "owed_to_date": money(owed),
                    "withheld_total": money(withheld),
                    "currency": snapshot["currency"],
                }
            )
    return uncovered


def _withholding_payment(
    snapshot: Mapping[str, Any], item: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    start = day(item["date"])
    deliverable_id = item.get("deliverable_id")
    payments = snapshot["payments"]
    if deliverable_id is None:
        return first_payment_from(payments, start)
    invoices = set(invoices_of(snapshot, deliverable_id))
    own = first_payment_from(payments, start, invoices) if invoices else None
    if own is not None:
        return own
    settled = invoices and all(snapshot["invoices"][u]["payment_entry_ids"] for u in invoices)
    return first_payment_from(payments, start) if settled else None


# --- A09 ----------------------------------------------------------------------------------


@rule(
    "A09",
    name_es="Pena convencional no aplicada o mal calculada",
    name_en="Conventional penalty not applied or miscalculated",
    severity="H",
    legal_basis="LAASSP art. 53; RLAASSP arts. 95-96",
    trigger_es=(
        "Atraso sin pena; pena aplicada menor que la calculada (tasa × días × valor entregado "
        "con atraso); pena no retenida del pago siguiente"
    ),
    trigger_en=(
        "Days late with no penalty; penalty applied below the calculation (rate × days × "
        "value delivered late); penalty not withheld from the next payment"
    ),
    parameters=("penalty_cap_exempt_percent",),
)
def penalty_not_applied(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A09, two kinds of finding:

    - ``deliverable:<id>``: a deliverable fully accepted after its due date whose penalties
      (those naming it, then those naming no deliverable, oldest deliverable first) add up to
      less than the penalty it owes, by more than one cent: ``problem: missing`` when none
      was applied, ``under_applied`` otherwise. It owes the contract's
      ``penalty_rate_percent`` per day late of the value not yet accepted (accepted on its
      due date: nothing; a day later: one day of the whole value). Excused once the applied
      penalties reach the cap (see A10): nothing more can be applied.
    - ``penalty:<entry id>``: a penalty to be ``withheld`` that the payments have not
      withheld once due (see ``_unwithheld``: from the first payment on or after it of a CFDI
      of its deliverable).

    Deliverables not yet accepted owe a penalty still growing; they are A07's until
    received. The verdict depends on recorded facts only (``next_check`` is None).

    A deliverable of unknown amount (``data_gaps``) owes a penalty of unknown amount: with no
    penalty naming it (nor one naming no deliverable left to cover it) it fires as
    ``missing`` with ``calculated_amount: None``; with one, whether it is enough cannot be
    judged, and nothing fires.
    """
    if snapshot.get("contract") is None:
        return Verdict()
    penalties = snapshot["penalties"]
    capped = _applied(penalties) >= _cap(snapshot, context.regime).amount - CENT
    pool = _applied(p for p in penalties if p.get("deliverable_id") is None)
    rate = snapshot["contract"]["penalty_rate_percent"]
    findings = []
    for late in sorted(_late_deliveries(snapshot), key=lambda item: item.due):
        own = [p for p in penalties if p.get("deliverable_id") == late.deliverable_id]
        applied = _applied(own)
        if late.penalty is None:
            if own or pool > 0 or capped:
                continue  # a penalty was applied; its sufficiency is a data gap
            findings.append(_unknown_penalty(late, rate, snapshot["currency"]))
            continue
        from_pool = min(pool, max(late.penalty - applied, Decimal(0)))
        pool -= from_pool
        applied += from_pool
        if capped or applied >= late.penalty - CENT:
            continue
        evidence = {
            "problem": "under_applied" if own or from_pool else "missing",
            "deliverable_id": late.deliverable_id,
            "due_date": iso(late.due),
            "accepted_on": iso(late.accepted_on),
            "days_late": late.days_late,
            "daily_rate_percent": rate,
            "late_value": money(late.late_value or Decimal(0)),
            "calculated_amount": money(late.penalty),
            "applied_amount": money(applied),
            "shortfall": money(late.penalty - applied),
            "currency": snapshot["currency"],
            "penalty_entry_ids": [p["entry_id"] for p in own],
        }
        summary = (
            f"Pena de {evidence['calculated_amount']}, aplicada {evidence['applied_amount']} / "
            f"penalty of {evidence['calculated_amount']}, applied {evidence['applied_amount']}"
        )
        subject = f"deliverable:{late.deliverable_id}"
        findings.append(Finding("A09", subject, "H", evidence, summary, late.accepted_on))
    withheld = [p for p in penalties if p["application"] == "withheld"]
    for item in _unwithheld(snapshot, withheld, "applied_amount", "penalties_withheld"):
        summary = "Pena no retenida del pago / penalty not withheld from the payment"
        findings.append(Finding("A09", f"penalty:{item['entry_id']}", "H", item, summary))
    return Verdict(tuple(findings))


def _unknown_penalty(late: _Lateness, rate: str, currency: str) -> Finding:
    evidence: dict[str, Any] = {
        "problem": "missing",
        "deliverable_id": late.deliverable_id,
        "due_date": iso(late.due),
        "accepted_on": iso(late.accepted_on),
        "days_late": late.days_late,
        "daily_rate_percent": rate,
        "late_value": None,
        "calculated_amount": None,
        "applied_amount": "0.00",
        "shortfall": None,
        "amount_unknown": True,
        "currency": currency,
        "penalty_entry_ids": [],
    }
    summary = (
        f"Entrega {late.days_late} días tarde sin pena (importe desconocido) / delivery "
        f"{late.days_late} days late with no penalty recorded (amount unknown)"
    )
    subject = f"deliverable:{late.deliverable_id}"
    return Finding("A09", subject, "H", evidence, summary, late.accepted_on)


# --- A10 ----------------------------------------------------------------------------------


@rule(
    "A10",
    name_es="Penas acumuladas en el tope",
    name_en="Penalties at the cap",
    severity="H",
    legal_basis="LAASSP art. 53 último párrafo; art. 54",
    trigger_es=(
        "Penas acumuladas iguales o mayores que la garantía de cumplimiento (si se exceptuó, "
        "penalty_cap_exempt_percent del valor entregado con atraso) sin rescisión ni decisión "
        "en N días naturales (N = penalty_cap_decision_days)"
    ),
    trigger_en=(
        "Accumulated penalties at or above the performance guarantee (if exempted, "
        "penalty_cap_exempt_percent of the value delivered late) with no rescission or "
        "decision within N natural days (N = penalty_cap_decision_days)"
    ),
    parameters=("penalty_cap_exempt_percent", "penalty_cap_decision_days"),
)
def penalties_at_cap(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A10, subject ``contract``: the penalties' calculated amounts, added in date order,
    reach the cap (``_cap``) on day R, and no decision was recorded by R +
    ``penalty_cap_decision_days`` natural days. A decision is a rescission procedure (any
    stage dated on or after R, or one still open) or an early termination dated on or after
    R. With 15 days: through R + 15 no finding (``next_check`` R + 16), from R + 16 a
    finding until a decision is recorded. A justified non-rescission is recorded on the alert
    itself (justified), not in the logbook.
    """
    if snapshot.get("contract") is None or not snapshot["penalties"]:
        return Verdict()
    cap = _cap(snapshot, context.regime)
    total, reached = Decimal(0), None
    for penalty in sorted(snapshot["penalties"], key=lambda p: p["date"]):
        total += Decimal(penalty["calculated_amount"])
        if reached is None and total > 0 and total >= cap.amount:
            reached = day(penalty["date"])
    if reached is None:
        return Verdict()
    if _decided(snapshot, reached):
        return Verdict()
    days = context.regime.penalty_cap_decision_days
    deadline = reached + dt.timedelta(days=days)
    if context.today <= deadline:
        return Verdict(next_check=deadline + _ONE_DAY)
    evidence = {
        "penalties_total": money(total),
        "cap": money(cap.amount),
        "cap_basis": cap.basis,
        "currency": snapshot["currency"],
        "reached_on": iso(reached),
        "penalty_cap_decision_days": days,
        "decision_deadline": iso(deadline),
        "penalty_entry_ids": [p["entry_id"] for p in snapshot["penalties"]],
    }
    summary = "Penas en el tope sin decisión / penalties at the cap with no decision"
    return Verdict((Finding("A10", "contract", "H", evidence, summary),))


def _decided(snapshot: Mapping[str, Any], reached: dt.date) -> bool:
    rescission = snapshot["rescission"]
    if rescission["open"] or any(day(s["date"]) >= reached for s in rescission["stages"]):
        return True
    termination = snapshot.get("early_termination")
    return termination is not None and day(termination["date"]) >= reached


# --- A11 ----------------------------------------------------------------------------------


@rule(
    "A11",
    name_es="Deducción no aplicada",
    name_en="Deduction not applied",
    severity="M",
    legal_basis="LAASSP art. 53 Bis",
    trigger_es="Entrega parcial o deficiente sin deducción, o deducción no retenida del pago",
    trigger_en="A partial or deficient delivery with no deduction, or a deduction not withheld",
)
def deduction_not_applied(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A11, two kinds of finding:

    - ``deliverable:<id>``: the deliverable has a ``partial`` or ``deficient`` reception and
      no deduction names it (deductions naming no deliverable cover one such deliverable
      each, oldest reception first). A ``rejected`` reception accepts nothing, so nothing is
      deducted: it is replaced (A08).
    - ``deduction:<entry id>``: a deduction the payments have not withheld once due (as for
      penalties, see ``_unwithheld``).

    The verdict depends on recorded facts only (``next_check`` is None).
    """
    if snapshot.get("contract") is None:
        return Verdict()
    deductions = snapshot["deductions"]
    named = {d["deliverable_id"] for d in deductions if d.get("deliverable_id")}
    spare = sum(1 for d in deductions if not d.get("deliverable_id"))
    deficient = []
    for deliverable_id, deliverable in snapshot["deliverables"].items():
        bad = [r for r in deliverable["receptions"] if r["result"] in _DEDUCTIBLE]
        if bad and deliverable_id not in named:
            deficient.append((min(r["date"] for r in bad), deliverable_id, bad))
    findings = []
    for first, deliverable_id, bad in sorted(deficient):
        if spare:
            spare -= 1
            continue
        evidence = {
            "deliverable_id": deliverable_id,
            "first_reception_date": first,
            "receptions": [
                {"entry_id": r["entry_id"], "date": r["date"], "result": r["result"]}
                for r in sorted(bad, key=lambda r: r["date"])
            ],
        }
        summary = "Entrega deficiente sin deducción / deficient delivery with no deduction"
        subject = f"deliverable:{deliverable_id}"
        findings.append(Finding("A11", subject, "M", evidence, summary))
    for item in _unwithheld(snapshot, list(deductions), "amount", "deductions_withheld"):
        summary = "Deducción no retenida del pago / deduction not withheld from the payment"
        findings.append(Finding("A11", f"deduction:{item['entry_id']}", "M", item, summary))
    return Verdict(tuple(findings))

"""Guarantee rules: performance guarantee missing or late (A04), insufficient (A05), and the
advance paid without its guarantee (A06).

Article numbers are those of the 2000 LAASSP (domain.md §0); the 2025 law renumbered them.
Guarantee amounts are in the guarantee's currency (the contract's by default) and compared
in the contract's currency.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from besa.rules.base import Context, Finding, Verdict, earliest, rule
from besa.rules.facts import (
    CENT,
    HUNDRED,
    base_amount,
    day,
    iso,
    money,
    plain,
    to_contract_currency,
)

_ONE_DAY = dt.timedelta(days=1)


def _performance(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The performance guarantees and exemptions, oldest first."""
    found = [g for g in snapshot["guarantees"].values() if g["type"] == "performance"]
    return sorted(found, key=lambda g: (g["date_received"], g["guarantee_id"]))


# --- A04 ----------------------------------------------------------------------------------


@rule(
    "A04",
    name_es="Garantía de cumplimiento faltante o extemporánea",
    name_en="Performance guarantee missing or late",
    severity="H",
    legal_basis="LAASSP arts. 48-49",
    trigger_es=(
        "Sin garantía de cumplimiento ni excepción registrada N días naturales después de la "
        "firma (N = performance_guarantee_days), o recibida después de ese plazo"
    ),
    trigger_en=(
        "No performance guarantee and no registered exemption N natural days after signing "
        "(N = performance_guarantee_days), or one received after that"
    ),
    parameters=("performance_guarantee_days",),
)
def missing_guarantee(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A04, subject ``contract``: the first performance guarantee (or exemption) was received
    after signing + ``performance_guarantee_days`` natural days (``problem: late``), or none
    was received and that day has passed (``problem: missing``).

    With 10 days: received on day 10 after signing is on time, on day 11 late; with nothing
    received, no finding through day 10 (``next_check`` = signing + 11), a finding from day
    11. The finding disappears when a guarantee or exemption received in time is recorded
    (even if recorded late) or a rectification corrects its date. The catalogue's other
    deadline, a date set in the call for bids, is not recorded in the logbook.
    """
    terms = snapshot.get("contract")
    if terms is None:
        return Verdict()
    signed = day(terms["signing_date"])
    days = context.regime.performance_guarantee_days
    deadline = context.jurisdiction.calendar.add_natural_days(signed, days)
    evidence: dict[str, Any] = {
        "signing_date": iso(signed),
        "performance_guarantee_days": days,
        "deadline": iso(deadline),
    }
    received = _performance(snapshot)
    if received:
        first = received[0]
        on = day(first["date_received"])
        if on <= deadline:
            return Verdict()
        late = (on - deadline).days
        evidence.update(
            problem="late",
            guarantee_id=first["guarantee_id"],
            exemption=first["status"] == "exempted",
            date_received=iso(on),
            days_late=late,
        )
        summary = f"Garantía recibida {late} días tarde / guarantee received {late} days late"
        return Verdict((Finding("A04", "contract", "H", evidence, summary),))
    if context.today <= deadline:
        return Verdict(next_check=deadline + _ONE_DAY)
    overdue = (context.today - deadline).days
    evidence.update(problem="missing", as_of=iso(context.today), days_overdue=overdue)
    summary = f"Sin garantía de cumplimiento / no performance guarantee ({overdue} days overdue)"
    return Verdict((Finding("A04", "contract", "H", evidence, summary),))


# --- A05 ----------------------------------------------------------------------------------


@rule(
    "A05",
    name_es="Garantía insuficiente",
    name_en="Insufficient guarantee",
    severity="H",
    legal_basis="LAASSP arts. 48, 49 y 52; RLAASSP art. 91",
    trigger_es=(
        "Monto menor que el porcentaje pactado del monto sin IVA (máximo si es abierto); "
        "convenio que aumenta el monto o el plazo sin endoso; vigencia que termina antes que el "
        "contrato; beneficiario distinto de la TESOFE o la entidad"
    ),
    trigger_en=(
        "Amount below the agreed percentage of the amount without VAT (the maximum for open "
        "contracts); an amendment raising the amount or term with no endorsement; validity "
        "ending before the contract; beneficiary other than TESOFE or the entity"
    ),
    parameters=("guarantee_percent", "performance_guarantee_days", "guarantee_beneficiary"),
)
def insufficient_guarantee(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A05, one finding per performance guarantee (subject ``guarantee:<id>``) that has one
    or more ``problems``:

    - ``amount``: the performance guarantees together cover less than the contract's
      ``guarantee_percent`` (the regime's when the contract sets none) of the amount without
      VAT (the maximum of an open contract) plus the net change of the amendments, by more
      than one cent. Reported on the oldest guarantee.
    - ``validity``: its ``valid_until`` is before the contract's end date as amended.
    - ``beneficiary``: its beneficiary is neither the jurisdiction's (``guarantee_beneficiary``,
      or the acronym in its parentheses, e.g. TESOFE) nor the buying institution (entidades
      receive their own guarantees, art. 49). A guarantee with no beneficiary recorded is not
      judged.

    An amendment's increase of amount or term counts only once the endorsement's deadline
    has passed: ``performance_guarantee_days`` natural days after the amendment's signing
    (RLAASSP 91): with 10 days, an unendorsed amendment signed on day D is fine through D + 10
    and fires from D + 11 (``next_check``). Released and enforced guarantees are still judged:
    a guarantee short while it was held stays a fact to attend after the finiquito. An
    exemption is not a guarantee; a missing guarantee is A04's.
    """
    terms = snapshot.get("contract")
    if terms is None:
        return Verdict()
    held = [g for g in _performance(snapshot) if g["status"] != "exempted"]
    if not held:
        return Verdict()
    grace = context.regime.performance_guarantee_days
    amount_change, end, pending = _amendments_in_force(snapshot, context.today, grace)
    percent = Decimal(terms.get("guarantee_percent") or context.regime.guarantee_percent)
    base = base_amount(snapshot) + amount_change
    required = base * percent / HUNDRED
    covered = sum((_amount(snapshot, g) for g in held), Decimal(0))
    findings = []
    for guarantee in held:
        problems: list[str] = []
        evidence: dict[str, Any] = {
            "guarantee_id": guarantee["guarantee_id"],
            "policy_number": guarantee.get("policy_number"),
        }
        if guarantee is held[0] and covered < required - CENT:
            problems.append("amount")
            evidence.update(
                guaranteed_amount=money(covered),
                required_amount=money(required),
                required_percent=plain(percent),
                contract_base_amount=money(base),
                shortfall=money(required - covered),
                currency=snapshot["currency"],
                guarantee_ids=[g["guarantee_id"] for g in held],
            )
        valid_until = guarantee.get("valid_until")
        if valid_until is not None and day(valid_until) < end:
            problems.append("validity")
            evidence.update(valid_until=valid_until, contract_end_date=iso(end))
        beneficiary = guarantee.get("beneficiary")
        if beneficiary is not None and not _accepted_beneficiary(beneficiary, snapshot, context):
            problems.append("beneficiary")
            evidence.update(
                beneficiary=beneficiary,
                expected_beneficiary=context.jurisdiction.guarantee_beneficiary,
            )
        if problems:
            summary = f"Garantía insuficiente / insufficient guarantee: {', '.join(problems)}"
            evidence["problems"] = problems
            subject = f"guarantee:{guarantee['guarantee_id']}"
            findings.append(Finding("A05", subject, "H", evidence, summary))
    return Verdict(tuple(findings), next_check=pending)


def _amendments_in_force(
    snapshot: Mapping[str, Any], today: dt.date, grace: int
) -> tuple[Decimal, dt.date, dt.date | None]:
    """The amendments' net amount change and the end date, counting an increase of amount
    or term only once ``grace`` days have passed since its signing; and the first day a
    pending one will count."""
    change = Decimal(0)
    end = day(snapshot["original_end_date"])
    pending: dt.date | None = None
    for amendment in snapshot["amendments"]:
        counts_from = day(amendment["signing_date"]) + dt.timedelta(days=grace + 1)
        in_force = today >= counts_from
        amount = Decimal(amendment.get("amount_change") or 0)
        new_end = amendment.get("new_end_date")
        if in_force or amount < 0:
            change += amount
        if new_end is not None and (in_force or day(new_end) <= end):
            end = day(new_end)
        if not in_force and (amount > 0 or new_end is not None):
            pending = earliest(pending, counts_from)
    return change, end, pending


def _amount(snapshot: Mapping[str, Any], guarantee: Mapping[str, Any]) -> Decimal:
    return to_contract_currency(
        snapshot, Decimal(guarantee.get("amount") or 0), guarantee.get("currency")
    )


def _words(text: str) -> str:
    """Lower-case words without accents or punctuation, single-spaced."""
    plain_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", plain_text.lower()))


def _accepted_beneficiary(beneficiary: str, snapshot: Mapping[str, Any], context: Context) -> bool:
    given = f" {_words(beneficiary)} "
    expected = context.jurisdiction.guarantee_beneficiary
    names = [re.sub(r"\(.*?\)", "", expected), *re.findall(r"\((.*?)\)", expected)]
    buyer = snapshot.get("buyer") or {}
    names += [buyer.get("institution_name") or "", buyer.get("institution_code") or ""]
    return any(f" {_words(name)} " in given for name in names if _words(name))


# --- A06 ----------------------------------------------------------------------------------


@rule(
    "A06",
    name_es="Anticipo sin garantía",
    name_en="Advance without guarantee",
    severity="H",
    legal_basis="LAASSP art. 48 fr. I",
    trigger_es=(
        "Anticipo pagado antes de recibir la garantía de anticipo, o garantía menor que el anticipo"
    ),
    trigger_en="Advance paid before the advance guarantee was received, or a guarantee below it",
)
def advance_without_guarantee(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A06, one finding per advance payment (subject ``payment:<entry id>``): no advance
    guarantee had been received on or before the payment's date (``problem:
    before_guarantee``; received the same day is in time), or the advance guarantees received
    by then are below the advances paid so far, VAT included as paid, by more than one cent
    (``problem: guarantee_short``). Amounts compare in the contract's currency. The verdict
    depends on recorded facts only (``next_check`` is None).
    """
    if snapshot.get("contract") is None:
        return Verdict()
    guarantees = [g for g in snapshot["guarantees"].values() if g["type"] == "advance"]
    guarantees = [g for g in guarantees if g["status"] != "exempted"]
    advances = sorted(
        (p for p in snapshot["payments"] if p.get("is_advance")), key=lambda p: p["date"]
    )
    findings = []
    paid = Decimal(0)
    for payment in advances:
        on = day(payment["date"])
        amount = Decimal(payment["amount"])
        paid += to_contract_currency(
            snapshot, amount, payment["currency"], payment.get("exchange_rate")
        )
        held = [g for g in guarantees if day(g["date_received"]) <= on]
        covered = sum((_amount(snapshot, g) for g in held), Decimal(0))
        if held and covered >= paid - CENT:
            continue
        evidence: dict[str, Any] = {
            "problem": "guarantee_short" if held else "before_guarantee",
            "payment_entry_id": payment["entry_id"],
            "payment_date": iso(on),
            "advance_amount": money(amount),
            "advances_paid_to_date": money(paid),
            "guaranteed_amount": money(covered),
            "currency": snapshot["currency"],
            "guarantees": [
                {"guarantee_id": g["guarantee_id"], "date_received": g["date_received"]}
                for g in sorted(guarantees, key=lambda g: g["date_received"])
            ],
        }
        summary = "Anticipo sin garantía suficiente / advance paid without sufficient guarantee"
        findings.append(Finding("A06", f"payment:{payment['entry_id']}", "H", evidence, summary))
    return Verdict(tuple(findings))

"""Amendment rule: amendments over the legal limit or otherwise irregular (A19).

Article numbers are those of the 2000 LAASSP and its Reglamento (domain.md §0).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from besa.rules.base import Context, Finding, Verdict, rule
from besa.rules.facts import CENT, HUNDRED, day, iso, money, plain

_PRICE_PLACES = Decimal("0.0001")


def _positive(values: list[Decimal]) -> Decimal:
    return sum((v for v in values if v > 0), Decimal(0))


@rule(
    "A19",
    name_es="Convenio modificatorio mayor al 20 % o irregular",
    name_en="Amendment over 20 % or irregular",
    severity="H",
    legal_basis="LAASSP art. 52; RLAASSP art. 91",
    trigger_es=(
        "Aumentos acumulados de monto o cantidad mayores que amendment_max_percent del "
        "original; precio unitario modificado; convenio firmado después del vencimiento; más "
        "de term_extension_max_count ampliaciones de plazo o ampliaciones que suman más de "
        "term_extension_max_percent del plazo original"
    ),
    trigger_en=(
        "Cumulative increases of amount or quantity above amendment_max_percent of the "
        "original; a unit price changed; an amendment signed after the contract expired; more "
        "than term_extension_max_count term extensions, or extensions adding up to more than "
        "term_extension_max_percent of the original term"
    ),
    parameters=("amendment_max_percent", "term_extension_max_count", "term_extension_max_percent"),
)
def irregular_amendment(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A19, exact boundaries (no rounding), with ``amendment_max_percent`` = 20:

    - subject ``contract``, cumulative breaches of all amendments:
      ``amount_over_limit`` when the sum of the *increases* (positive ``amount_change``) is
      more than 20 % of the original amount (20 % is allowed, 20.01 % fires; decreases do not
      offset increases); ``quantity_over_limit`` likewise for the positive
      ``quantity_change_percent``; ``too_many_extensions`` when more than
      ``term_extension_max_count`` amendments moved the end date later;
      ``extensions_over_term`` when those extensions add up to more than
      ``term_extension_max_percent`` of the original term (start to original end, in days);
    - subject ``amendment:<id>``: the amendment was signed after the end date in force when it
      was signed (the original, as moved by the amendments signed before it); signed on the
      end date is in time;
    - subject ``deliverable:<id>``: a re-plan of a deliverable changed its unit price
      (``amount / quantity``) from the first plan's by more than a cent on the re-planned
      quantity (art. 52: same price).

    Recorded facts only: ``next_check`` is always None.
    """
    terms = snapshot.get("contract")
    if terms is None:
        return Verdict()
    regime = context.regime
    findings = []
    amendments = sorted(snapshot["amendments"], key=lambda a: a["signing_date"])  # stable
    original = Decimal(snapshot["original_amount"])
    increase = _positive([Decimal(a["amount_change"]) for a in amendments])
    quantity = _positive([Decimal(a.get("quantity_change_percent") or 0) for a in amendments])
    start, end = day(terms["start_date"]), day(snapshot["original_end_date"])
    term_days = max(1, (end - start).days)
    extensions: list[dict[str, Any]] = []
    for amendment in amendments:
        signed = day(amendment["signing_date"])
        if signed > end:
            evidence = {
                "amendment_id": amendment["amendment_id"],
                "signing_date": iso(signed),
                "end_date_in_force": iso(end),
                "days_after_expiry": (signed - end).days,
                "types": list(amendment["types"]),
            }
            summary = "Convenio firmado con el contrato vencido / amendment signed after expiry"
            subject = f"amendment:{amendment['amendment_id']}"
            findings.append(Finding("A19", subject, "H", evidence, summary, signed))
        if amendment.get("new_end_date"):
            new_end = day(amendment["new_end_date"])
            if new_end > end:
                extensions.append(
                    {"amendment_id": amendment["amendment_id"], "from": iso(end),
                     "to": iso(new_end), "days": (new_end - end).days}
                )  # fmt: skip
            end = new_end
    extended = sum(e["days"] for e in extensions)
    breaches = []
    if increase * HUNDRED > regime.amendment_max_percent * original:
        breaches.append("amount_over_limit")
    if quantity > regime.amendment_max_percent:
        breaches.append("quantity_over_limit")
    if len(extensions) > regime.term_extension_max_count:
        breaches.append("too_many_extensions")
    if extended * HUNDRED > regime.term_extension_max_percent * term_days:
        breaches.append("extensions_over_term")
    if breaches:
        evidence = {
            "original_amount": snapshot["original_amount"],
            "currency": snapshot["currency"],
            "amount_increase": money(increase),
            "amount_increase_percent": plain(
                (increase * HUNDRED / original).quantize(_PRICE_PLACES)
            ),
            "quantity_increase_percent": plain(quantity),
            "amendment_max_percent": plain(regime.amendment_max_percent),
            "term_extensions": extensions,
            "term_extension_max_count": regime.term_extension_max_count,
            "original_term_days": term_days,
            "extension_days": extended,
            "term_extension_max_percent": plain(regime.term_extension_max_percent),
            "amendment_ids": [a["amendment_id"] for a in amendments],
            "breaches": breaches,
        }
        summary = f"Convenios irregulares: {', '.join(breaches)} / irregular amendments"
        last = day(amendments[-1]["signing_date"]) if amendments else None
        findings.append(Finding("A19", "contract", "H", evidence, summary, last))
    findings.extend(_price_changes(snapshot))
    return Verdict(tuple(findings))


def _price_changes(snapshot: Mapping[str, Any]) -> list[Finding]:
    findings = []
    for deliverable_id, deliverable in sorted(snapshot["deliverables"].items()):
        plans = deliverable["plans"]
        if any(plan.get("amount") is None for plan in plans):
            continue  # unknown amount: the unit price is a data gap
        first = plans[0]
        price = Decimal(first["amount"]) / Decimal(first["quantity"])
        for plan in plans[1:]:
            amount, quantity = Decimal(plan["amount"]), Decimal(plan["quantity"])
            if abs(amount - price * quantity) <= CENT:
                continue
            evidence = {
                "deliverable_id": deliverable_id,
                "original_quantity": first["quantity"],
                "original_amount": first["amount"],
                "original_unit_price": plain(price.quantize(_PRICE_PLACES)),
                "new_quantity": plan["quantity"],
                "new_amount": plan["amount"],
                "new_unit_price": plain((amount / quantity).quantize(_PRICE_PLACES)),
                "plan_entry_id": plan["entry_id"],
            }
            summary = "Precio unitario modificado / unit price changed"
            findings.append(Finding("A19", f"deliverable:{deliverable_id}", "H", evidence, summary))
            break
    return findings


__all__ = ["irregular_amendment"]

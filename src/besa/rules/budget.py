"""A02: the budget sufficiency (suficiencia presupuestaria) behind the contract.

Article numbers are those of the 2000 LAASSP (domain.md §0); the 2025 law renumbered them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from besa.rules.base import Context, Finding, Verdict, rule
from besa.rules.facts import base_amount, day, iso, money, to_home_currency

#: Differences below one unit of the home currency are rounding of VAT and exchange rates.
_ROUNDING = Decimal(1)


@rule(
    "A02",
    name_es="Suficiencia presupuestaria extemporánea o insuficiente",
    name_en="Budget sufficiency late or insufficient",
    severity="H",
    legal_basis="LAASSP art. 25; LFPRH",
    trigger_es=(
        "Sin suficiencia; suficiencia fechada después del fallo o de la firma; monto menor que "
        "el del contrato; contrato plurianual sin autorización de la SHCP"
    ),
    trigger_en=(
        "No sufficiency; sufficiency dated after the award or the signing; amount below the "
        "contract's; multiyear contract without SHCP authorisation"
    ),
)
def budget_sufficiency(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A02, in three findings, each about the recorded budget sufficiencies:

    - ``budget:timing``: no sufficiency at all (``problem: missing``), or none dated on or
      before the limit (``problem: late``). The limit is the award date, or the signing date
      when no award date is recorded: a sufficiency dated on the award day is on time, the
      day after is late. The catalogue's stricter limit for tenders (the start of the
      procedure) needs the publication date, which the logbook does not record (interop
      issue: take it from ComprasMX); the award date is the latest day that is late for every
      procedure type.
    - ``budget:amount``: all sufficiencies together are below the signed amount in the home
      currency, with VAT when the contract records it (``vat_amount``, scaled to the maximum
      of an open contract), by one unit of the home currency or more. Amendments are not
      counted: the logbook does not link a sufficiency to an amendment, and A19 watches
      their size. Per-fiscal-year amounts are not recorded either, so a multiyear contract is
      compared in total.
    - ``budget:multiyear``: a multiyear contract with no SHCP authorisation in any
      sufficiency, or with every authorisation dated after signing.

    The verdict depends on recorded facts only (``next_check`` is None).
    """
    terms = snapshot.get("contract")
    if terms is None:
        return Verdict()
    sufficiencies = sorted(snapshot["budget_sufficiencies"], key=lambda s: s["date"])
    findings = [
        f
        for f in (
            _timing(terms, sufficiencies),
            _amount(snapshot, terms, sufficiencies),
            _multiyear(terms, sufficiencies),
        )
        if f is not None
    ]
    return Verdict(tuple(findings))


def _limit(terms: Mapping[str, Any]) -> tuple[dt.date, str]:
    if terms.get("award_date"):
        return day(terms["award_date"]), "award_date"
    return day(terms["signing_date"]), "signing_date"


def _timing(terms: Mapping[str, Any], sufficiencies: list[dict[str, Any]]) -> Finding | None:
    limit, limit_kind = _limit(terms)
    evidence: dict[str, Any] = {
        "limit": iso(limit),
        "limit_is": limit_kind,
        "signing_date": terms["signing_date"],
    }
    if not sufficiencies:
        return Finding(
            "A02",
            "budget:timing",
            "H",
            {"problem": "missing", **evidence},
            "Sin suficiencia presupuestaria / no budget sufficiency recorded",
        )
    first = sufficiencies[0]
    if day(first["date"]) <= limit:
        return None
    late = (day(first["date"]) - limit).days
    return Finding(
        "A02",
        "budget:timing",
        "H",
        {
            "problem": "late",
            **evidence,
            "oficio_number": first["oficio_number"],
            "sufficiency_date": first["date"],
            "days_after_limit": late,
        },
        f"Suficiencia {late} días después del límite / sufficiency {late} days after the limit",
    )


def _amount(
    snapshot: Mapping[str, Any], terms: Mapping[str, Any], sufficiencies: list[dict[str, Any]]
) -> Finding | None:
    if not sufficiencies:
        return None  # reported as missing
    base = base_amount(snapshot)
    with_vat = base
    if terms.get("vat_amount") is not None:
        with_vat = base + base * Decimal(terms["vat_amount"]) / Decimal(terms["amount"])
    required = to_home_currency(snapshot, with_vat)
    covered = sum((Decimal(s["amount"]) for s in sufficiencies), Decimal(0))
    if covered + _ROUNDING > required:
        return None
    return Finding(
        "A02",
        "budget:amount",
        "H",
        {
            "sufficiency_total": money(covered),
            "required_amount": money(required),
            "shortfall": money(required - covered),
            "currency": snapshot["home_currency"],
            "includes_vat": terms.get("vat_amount") is not None,
            "oficio_numbers": [s["oficio_number"] for s in sufficiencies],
        },
        "Suficiencia menor que el contrato / sufficiency below the contract amount",
    )


def _multiyear(terms: Mapping[str, Any], sufficiencies: list[dict[str, Any]]) -> Finding | None:
    if not terms.get("multiyear") or not sufficiencies:
        return None
    signed = day(terms["signing_date"])
    authorisations = [
        s["multiyear_authorization"] for s in sufficiencies if s.get("multiyear_authorization")
    ]
    if any(day(a["date"]) <= signed for a in authorisations):
        return None
    return Finding(
        "A02",
        "budget:multiyear",
        "H",
        {
            "problem": "late" if authorisations else "missing",
            "signing_date": iso(signed),
            "authorizations": [
                {"oficio_number": a["oficio_number"], "date": a["date"]} for a in authorisations
            ],
        },
        "Plurianual sin autorización de la SHCP / multiyear without SHCP authorisation",
    )

"""Procedure rules: exceptions to public tender without support (A24) and anomalous prices
under the 2025 law (A25).

Both read the registration's contract terms; A24 also reads the buying institution's annual
acquisitions budget and the PEF annex's limits (``Context.budget``). Neither changes with time
(``next_check`` is always None). Article numbers are those of the 2000 LAASSP (domain.md §0).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from besa.rules.base import Context, Finding, Verdict, rule
from besa.rules.facts import HUNDRED, base_amount, money, plain, to_home_currency

#: Procedures that are exceptions to public tender (licitación pública) and need a basis.
EXCEPTIONS = frozenset({"adjudicacion_directa", "invitacion_tres", "adjudicacion_negociacion"})
#: Which PEF maximum bounds each exception: invitations the invitation column, the rest the
#: direct award column.
PEF_COLUMN = {
    "adjudicacion_directa": "adjudicacion_directa",
    "adjudicacion_negociacion": "adjudicacion_directa",
    "invitacion_tres": "invitacion_tres",
}
_ART_41 = re.compile(r"(?<!\d)41(?![\d-])")
_ART_42 = re.compile(r"(?<!\d)42(?![\d-])")


def cites_art_41(legal_basis: str | None) -> bool:
    """The legal basis names art. 41 (an exception by cause, which may exceed the PEF)."""
    return bool(_ART_41.search(legal_basis or ""))


def cites_art_42(legal_basis: str | None) -> bool:
    """The legal basis names art. 42 (an exception by amount): such awards count towards the
    institution's annual share (``direct_award_budget_cap_percent``). The one predicate the
    rule and the query summing an institution's art. 42 awards share."""
    return bool(_ART_42.search(legal_basis or "")) and not cites_art_41(legal_basis)


@rule(
    "A24",
    name_es="Excepción a la licitación sin sustento",
    name_en="Exception to public tender without support",
    severity="M",
    legal_basis="LAASSP arts. 40, 41 y 42",
    trigger_es=(
        "Adjudicación directa o invitación sin fundamento legal o sin dictamen de excepción; "
        "excepción por monto cuyo importe supera el máximo del PEF; adjudicaciones del art. 42 "
        "que en el ejercicio superan el direct_award_budget_cap_percent % del presupuesto anual "
        "de adquisiciones de la institución"
    ),
    trigger_en=(
        "A direct award or invitation with no legal basis or no exception report (dictamen); "
        "an exception by amount whose amount exceeds the PEF maximum; art. 42 awards that in "
        "the fiscal year exceed direct_award_budget_cap_percent % of the institution's annual "
        "acquisitions budget"
    ),
    parameters=("direct_award_budget_cap_percent",),
)
def unsupported_exception(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A24, subject ``contract``, for the procedures in ``EXCEPTIONS``. Breaches:

    - ``no_legal_basis`` (no ``legal_basis``), ``no_dictamen`` (no ``exception_justification``);
    - ``above_pef_limit``: the amount without VAT (the maximum if open), in the home currency,
      exceeds the PEF maximum for the procedure used; equal to it is allowed. The maximum is
      the contract's ``pef_max_amount`` when recorded, else the PEF annex's for the bracket of
      the institution's annual budget (``Context.budget``) — unless the legal basis cites art.
      41: only an exception by cause may exceed the PEF amounts;
    - ``art42_share_exceeded``: the contract cites art. 42 (``cites_art_42``) and the
      institution's art. 42 awards signed in the same fiscal year up to the contract's signing
      day (this one included, ``budget.art42_total``) exceed ``direct_award_budget_cap_percent``
      of its annual acquisitions budget (30 % of 1,000,000.00 is 300,000.00: equal is allowed).
      The contract that crosses the cap and every later one are flagged.

    Without a recorded budget for the year (``Context.budget`` None) the PEF maximum is the
    contract's own, if any, and the share is not judged.
    """
    terms = snapshot.get("contract")
    if terms is None or terms["procedure_type"] not in EXCEPTIONS:
        return Verdict()
    breaches = []
    if not (terms.get("legal_basis") or "").strip():
        breaches.append("no_legal_basis")
    if not (terms.get("exception_justification") or "").strip():
        breaches.append("no_dictamen")
    amount = to_home_currency(snapshot, base_amount(snapshot))
    budget = context.budget or {}
    limit, limit_source = terms.get("pef_max_amount"), "contract"
    pef = budget.get("pef_limits")
    if limit is None and pef and not cites_art_41(terms.get("legal_basis")):
        limit, limit_source = pef.get(PEF_COLUMN[terms["procedure_type"]]), "pef_annex"
    if limit is not None and amount > Decimal(limit):
        breaches.append("above_pef_limit")
    share = None
    if budget.get("art42_total") is not None and cites_art_42(terms.get("legal_basis")):
        cap = Decimal(budget["annual_budget"]) * context.regime.direct_award_budget_cap_percent
        total = Decimal(budget["art42_total"])
        share = _percent(total, budget["annual_budget"])
        if total * HUNDRED > cap:
            breaches.append("art42_share_exceeded")
    if not breaches:
        return Verdict()
    evidence = {
        "procedure_type": terms["procedure_type"],
        "procedure_number": terms.get("procedure_number"),
        "legal_basis": terms.get("legal_basis"),
        "exception_justification": bool(terms.get("exception_justification")),
        "amount_home_currency": money(amount),
        "home_currency": snapshot["home_currency"],
        "pef_max_amount": limit,
        "pef_max_amount_source": None if limit is None else limit_source,
        "breaches": breaches,
    }
    if budget:
        evidence.update(
            fiscal_year=budget.get("fiscal_year"),
            annual_budget=budget.get("annual_budget"),
            art42_total=budget.get("art42_total"),
            art42_share_percent=share,
            direct_award_budget_cap_percent=plain(context.regime.direct_award_budget_cap_percent),
        )
    summary = f"Excepción sin sustento: {', '.join(breaches)} / exception without support"
    return Verdict((Finding("A24", "contract", "M", evidence, summary),))


@rule(
    "A25",
    name_es="Precio anómalo",
    name_en="Anomalous price",
    severity="M",
    legal_basis="LAASSP 2025 (precio no aceptable y precio no conveniente)",
    trigger_es=(
        "Monto del contrato mayor que el presupuesto del procedimiento o más de "
        "unacceptable_price_percent % por encima de la mediana de la investigación de mercado "
        "(precio no aceptable), o más de inconvenient_price_percent % por debajo del promedio "
        "(precio no conveniente)"
    ),
    trigger_en=(
        "Contract amount above the procedure's budget or more than unacceptable_price_percent % "
        "above the market research's median (unacceptable price), or more than "
        "inconvenient_price_percent % below the average (price not convenient)"
    ),
    parameters=("unacceptable_price_percent", "inconvenient_price_percent"),
    regimes=("LAASSP-2025",),
)
def anomalous_price(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A25 (2025 law only), subject ``contract``: the signed amount without VAT (the maximum
    if open), in the contract's currency, against the terms' references. With 10 % and 40 %:
    ``above_budget`` when above ``procedure_budget``; ``unacceptable_price`` when more than
    10 % above ``market_median_amount`` (110 % of it is allowed, 110.01 % fires);
    ``inconvenient_price`` when more than 40 % below ``market_average_amount`` (60 % of it is
    allowed, 59.99 % fires). The median and the average are the terms' figures, else those
    of ``market_research_prices`` (their median; their mean, rounded to cents). A missing
    reference is not checked.
    """
    terms = snapshot.get("contract")
    if terms is None:
        return Verdict()
    regime = context.regime
    amount = base_amount(snapshot)
    budget = terms.get("procedure_budget")
    prices = [Decimal(p) for p in terms.get("market_research_prices") or ()]
    median = terms.get("market_median_amount")
    average = terms.get("market_average_amount")
    if prices and median is None:
        median = money(Decimal(statistics.median(prices)))
    if prices and average is None:
        average = money(sum(prices, Decimal(0)) / len(prices))
    breaches = []
    if budget is not None and amount > Decimal(budget):
        breaches.append("above_budget")
    if median is not None and amount * HUNDRED > Decimal(median) * (
        HUNDRED + regime.unacceptable_price_percent
    ):
        breaches.append("unacceptable_price")
    if average is not None and amount * HUNDRED < Decimal(average) * (
        HUNDRED - regime.inconvenient_price_percent
    ):
        breaches.append("inconvenient_price")
    if not breaches:
        return Verdict()
    evidence = {
        "amount": money(amount),
        "currency": snapshot["currency"],
        "procedure_budget": budget,
        "market_median_amount": median,
        "market_average_amount": average,
        "market_research_prices": len(prices),
        "percent_of_median": None if median is None else _percent(amount, median),
        "percent_of_average": None if average is None else _percent(amount, average),
        "unacceptable_price_percent": plain(regime.unacceptable_price_percent),
        "inconvenient_price_percent": plain(regime.inconvenient_price_percent),
        "breaches": breaches,
    }
    summary = f"Precio anómalo: {', '.join(breaches)} / anomalous price"
    return Verdict((Finding("A25", "contract", "M", evidence, summary),))


def _percent(amount: Decimal, reference: str) -> str:
    return plain((amount * HUNDRED / Decimal(reference)).quantize(Decimal("0.01")))


__all__ = [
    "EXCEPTIONS",
    "PEF_COLUMN",
    "anomalous_price",
    "cites_art_41",
    "cites_art_42",
    "unsupported_exception",
]

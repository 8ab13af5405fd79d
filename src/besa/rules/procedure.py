"""Procedure rules: exceptions to public tender without support (A24) and anomalous prices
under the 2025 law (A25).

Both read the registration's contract terms only, so neither changes with time
(``next_check`` is always None). Article numbers are those of the 2000 LAASSP (domain.md §0).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from besa.rules.base import Context, Finding, Verdict, rule
from besa.rules.facts import HUNDRED, base_amount, money, plain, to_home_currency

#: Procedures that are exceptions to public tender (licitación pública) and need a basis.
EXCEPTIONS = frozenset({"adjudicacion_directa", "invitacion_tres", "adjudicacion_negociacion"})


@rule(
    "A24",
    name_es="Excepción a la licitación sin sustento",
    name_en="Exception to public tender without support",
    severity="M",
    legal_basis="LAASSP arts. 40, 41 y 42",
    trigger_es=(
        "Adjudicación directa o invitación sin fundamento legal o sin dictamen de excepción; "
        "excepción por monto cuyo importe supera el máximo del PEF"
    ),
    trigger_en=(
        "A direct award or invitation with no legal basis or no exception report (dictamen); "
        "an exception by amount whose amount exceeds the PEF maximum"
    ),
)
def unsupported_exception(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A24, subject ``contract``, for the procedures in ``EXCEPTIONS``. Breaches:
    ``no_legal_basis`` (no ``legal_basis``), ``no_dictamen`` (no ``exception_justification``)
    and ``above_pef_limit``: the contract records ``pef_max_amount`` (so the exception rests
    on the amount, old art. 42) and its amount without VAT (the maximum if open), in the home
    currency, exceeds it; equal to the limit is allowed. Only an exception by cause (old art.
    41) may exceed the PEF amounts. The cap on art. 42 awards as a share of the annual budget
    (``direct_award_budget_cap_percent``) needs all of a buyer's contracts and its budget: it
    is a portfolio check, not one contract's.
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
    limit = terms.get("pef_max_amount")
    if limit is not None and amount > Decimal(limit):
        breaches.append("above_pef_limit")
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
        "breaches": breaches,
    }
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
    allowed, 59.99 % fires). A missing reference is not checked.
    """
    terms = snapshot.get("contract")
    if terms is None:
        return Verdict()
    regime = context.regime
    amount = base_amount(snapshot)
    budget = terms.get("procedure_budget")
    median = terms.get("market_median_amount")
    average = terms.get("market_average_amount")
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


__all__ = ["EXCEPTIONS", "anomalous_price", "unsupported_exception"]

"""The registration's opening evidence: budget sufficiency and compliance opinions in the
payload, and the day the registration is recorded (late for ``late_registration``). Pure."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from besa.demo.histories.base import _HUNDRED, VAT_RATE, _day, _money, _plain
from besa.jurisdiction.calendar import BusinessCalendar
from besa.jurisdiction.model import Regime

# --- The registration's opening evidence --------------------------------------------------


def complete_registration(
    rng: random.Random, registration: Mapping[str, Any], *, defects: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The registration payload with its opening evidence: positive SAT 32-D, IMSS and
    INFONAVIT opinions of each domestic supplier, dated 1–20 days before signing, and (unless
    ``late_budget``, whose sufficiency comes later as its own entry) the budget sufficiency,
    dated 10–60 days before the award. Foreign suppliers (generic RFC) get no opinions: they
    have no Mexican tax or social-security registration.

    Some defects bend the registered terms themselves (``besa.demo.seed`` copies the award
    date and the exception report back to the contract's row): ``late_formalisation`` moves
    the award 20–40 days before signing, ``no_exception_basis`` drops the exception report,
    ``anomalous_price`` records a market median 15–30 % below the amount (maximum if open)
    and ``negative_opinion`` makes one opinion of the first domestic supplier negative or
    expired at signing. Without these defects no extra number is drawn."""
    completed = dict(registration)
    terms = dict(registration["contract"])
    completed["contract"] = terms
    signed = _day(terms["signing_date"])
    if "late_formalisation" in defects:
        terms["award_date"] = (signed - dt.timedelta(days=rng.randint(20, 40))).isoformat()
    if "no_exception_basis" in defects:
        terms.pop("exception_justification", None)
    if "anomalous_price" in defects:
        base = Decimal(terms.get("max_amount") or terms["amount"])
        over = Decimal(rng.randint(15, 30))
        terms["market_median_amount"] = _plain(_money(base * _HUNDRED / (_HUNDRED + over)))
    opinions = []
    domestic = [s for s in registration["suppliers"] if not s["rfc"].startswith("XEXX")]
    for supplier in domestic:
        for source in ("sat_32d", "imss", "infonavit"):
            day = signed - dt.timedelta(days=rng.randint(1, 20))
            opinion = {
                "source": source,
                "date": day.isoformat(),
                "result": "positive",
                "valid_until": (day + dt.timedelta(days=30)).isoformat(),
            }
            if source == "sat_32d":
                opinion["folio"] = f"{day:%y}NA{rng.randrange(10**7):07d}"
            if len(registration["suppliers"]) > 1:
                opinion["supplier_rfc"] = supplier["rfc"]
            opinions.append(opinion)
    if "negative_opinion" in defects and opinions:
        rfc = domestic[0]["rfc"]
        bad = rng.choice([o for o in opinions if o.get("supplier_rfc", rfc) == rfc])
        if rng.random() < 0.5:
            bad["result"] = "negative"
        else:  # an old opinion, expired before signing
            day = signed - dt.timedelta(days=rng.randint(35, 90))
            bad["date"] = day.isoformat()
            bad["valid_until"] = (day + dt.timedelta(days=30)).isoformat()
            if "folio" in bad:
                bad["folio"] = f"{day:%y}{bad['folio'][2:]}"
    completed["compliance"] = opinions
    if "late_budget" not in defects:
        award = _day(terms.get("award_date") or terms["signing_date"])
        day = award - dt.timedelta(days=rng.randint(10, 60))
        completed["budget_sufficiency"] = _budget(rng, registration, day)
    return completed


def registration_day(
    rng: random.Random,
    registration: Mapping[str, Any],
    today: dt.date,
    *,
    regime: Regime,
    calendar: BusinessCalendar,
    defects: frozenset[str] = frozenset(),
) -> dt.date:
    """The day the registration is recorded in the logbook: the signing day, or for
    ``late_registration`` 8–30 natural days later and always after the
    ``registration_business_days`` deadline (but before ``today``). Draws nothing without
    that defect."""
    signed = _day(registration["contract"]["signing_date"])
    if "late_registration" not in defects:
        return signed
    deadline = calendar.add_business_days(signed, regime.registration_business_days)
    day = max(signed + dt.timedelta(days=rng.randint(8, 30)), deadline + dt.timedelta(days=1))
    return max(signed, min(day, today - dt.timedelta(days=1)))


def _budget(rng: random.Random, registration: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    terms = registration["contract"]
    base = Decimal(terms.get("max_amount") or terms["amount"])
    rate = Decimal(terms.get("exchange_rate") or 1)
    item = rng.choice(_EXPENSE_ITEMS[terms.get("contracting_type", "adquisicion")])
    code = registration["buyer"]["institution_code"]
    budget: dict[str, Any] = {
        "oficio_number": f"{code}/DGPYP/{rng.randrange(100, 9999):04d}/{day.year}",
        "date": day.isoformat(),
        "amount": _plain(_money(base * rate * (1 + VAT_RATE))),
        "fiscal_year": day.year,
        "budget_key": (
            f"{day.year}-{rng.randrange(4, 51):02d}-{rng.randrange(100, 999)}-2-1-01-00-"
            f"{rng.randrange(1, 30):03d}-{item}-1-1-09"
        ),
        "expense_item": item,
        "commitment_folio": f"SICOP-{day.year}-{rng.randrange(10**6):06d}",
    }
    if terms.get("multiyear"):
        authorised = day - dt.timedelta(days=rng.randint(5, 30))
        budget["multiyear_authorization"] = {
            "oficio_number": f"SHCP/UPCP/307-A-{rng.randrange(100, 9999)}/{authorised.year}",
            "date": authorised.isoformat(),
        }
    return budget


_EXPENSE_ITEMS = {
    "adquisicion": ("25301", "25401", "21101", "29401", "53101", "54104"),
    "servicio": ("33901", "35101", "33104", "31701", "35801"),
    "arrendamiento": ("32201", "32301", "32502"),
}

"""Execution-phase red flags (OCP 2024 guide, contract and implementation phases), per contract.

Each flag is a pure function of a contract snapshot (``besa.logbook.state``) and ``today``
and returns a ``Flag``: 1 raised, 0 looked and found nothing, ``None`` when the snapshot
lacks what the flag needs. Evidence names the figures, the dates and the logbook entries (by
per-contract ``sequence``) behind the verdict. Definitions, sources and missing-value rules
are in ``docs/risk.md``.

Two flags are *population* flags: R059 and R060 compare a contract's figure with the Tukey
upper fence of the portfolio under review. ``measure_r059``/``measure_r060`` give the figure
here; ``besa.risk.portfolio`` computes the fence and calls ``fenced``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from besa.risk.flag import Flag, binary, missing
from besa.risk.stats import Fence
from besa.rules.facts import base_amount, day, money, plain, to_home_currency
from besa.rules.payments import paid_without_vat

Snapshot = Mapping[str, Any]

#: Procedure types that are direct awards (no competition).
DIRECT_AWARDS = frozenset({"adjudicacion_directa", "adjudicacion_negociacion"})
#: Reception results that show the work did not match the contract's specifications.
DISCREPANT_RESULTS = frozenset({"rejected", "partial", "deficient"})


def _sequence(snapshot: Snapshot, entry_id: str | None) -> int | None:
    if entry_id is None:
        return None
    known = snapshot.get("entry_ids", {}).get(entry_id)
    return None if known is None else int(known["sequence"])


def _registered(code: str, snapshot: Snapshot) -> Flag | None:
    if snapshot.get("contract") is None:
        return missing(code, "contract not registered")
    return None


def r054_direct_award_over_threshold(snapshot: Snapshot, today: dt.date) -> Flag:
    """R054: a direct award whose amendments take it over the competitive threshold.

    The threshold is the contract's ``pef_max_amount`` (the PEF annex's maximum for a direct
    award, home currency). 1 when the amount was within it at signing and the amended amount
    exceeds it; 0 for a competitive procedure or an award still within the threshold.
    """
    code = "R054"
    if (gone := _registered(code, snapshot)) is not None:
        return gone
    terms = snapshot["contract"]
    procedure = terms["procedure_type"]
    if procedure not in DIRECT_AWARDS:
        return binary(code, False, {"procedure_type": procedure})
    if terms.get("pef_max_amount") is None:
        return missing(code, "pef_max_amount (competitive threshold) not recorded")
    threshold = Decimal(terms["pef_max_amount"])
    original = to_home_currency(snapshot, Decimal(snapshot["original_amount"]))
    current = to_home_currency(snapshot, Decimal(snapshot["current_amount"]))
    raising = [
        _sequence(snapshot, a["entry_id"])
        for a in snapshot["amendments"]
        if Decimal(a["amount_change"]) > 0
    ]
    raised = original <= threshold < current
    return binary(
        code,
        raised,
        {
            "procedure_type": procedure,
            "threshold": money(threshold),
            "original_amount": money(original),
            "current_amount": money(current),
            "amendment_sequences": raising,
        },
    )


def r064_has_amendments(snapshot: Snapshot, today: dt.date) -> Flag:
    """R064: the contract has modifications (any amendment agreement recorded)."""
    code = "R064"
    if (gone := _registered(code, snapshot)) is not None:
        return gone
    amendments = snapshot["amendments"]
    return binary(
        code,
        bool(amendments),
        {
            "amendments": len(amendments),
            "amendment_sequences": [_sequence(snapshot, a["entry_id"]) for a in amendments],
            "amendment_percent": snapshot["amendment_percent"],
        },
    )


def r069_amendments_increase_price(snapshot: Snapshot, today: dt.date) -> Flag:
    """R069: amendments increased the contract's price (any positive ``amount_change``)."""
    code = "R069"
    if (gone := _registered(code, snapshot)) is not None:
        return gone
    raising = [a for a in snapshot["amendments"] if Decimal(a["amount_change"]) > 0]
    return binary(
        code,
        bool(raising),
        {
            "increase_percent": snapshot["amendment_increase_percent"],
            "original_amount": snapshot["original_amount"],
            "current_amount": snapshot["current_amount"],
            "amendment_sequences": [_sequence(snapshot, a["entry_id"]) for a in raising],
        },
    )


def r067_delivery_failure(snapshot: Snapshot, today: dt.date) -> Flag:
    """R067: a deliverable was fully accepted after its due date, or is past due and not
    fully accepted on ``today``. Not computable without a delivery schedule."""
    code = "R067"
    if (gone := _registered(code, snapshot)) is not None:
        return gone
    deliverables = snapshot["deliverables"]
    if not deliverables:
        return missing(code, "no delivery schedule recorded")
    failures = []
    for deliverable_id, d in sorted(deliverables.items()):
        due = day(d["due_date"])
        accepted_on = d.get("fully_accepted_on")
        late_to = day(accepted_on) if accepted_on else today
        if late_to > due:
            failures.append(
                {
                    "deliverable_id": deliverable_id,
                    "due_date": d["due_date"],
                    "fully_accepted_on": accepted_on,
                    "days_late": (late_to - due).days,
                    "reception_sequences": [
                        _sequence(snapshot, r["entry_id"]) for r in d["receptions"]
                    ],
                }
            )
    return binary(
        code, bool(failures), {"deliverables": len(deliverables), "failures": failures[:20]}
    )


def r068_transactions_exceed_amount(snapshot: Snapshot, today: dt.date) -> Flag:
    """R068: payments exceed the contract amount as amended (an open contract: its maximum
    plus amendments). Compared as alert A14 does: without VAT, in the contract's currency,
    a cent per payment tolerated for CFDI rounding."""
    code = "R068"
    if (gone := _registered(code, snapshot)) is not None:
        return gone
    ceiling = base_amount(snapshot) + (
        Decimal(snapshot["current_amount"]) - Decimal(snapshot["original_amount"])
    )
    payments = snapshot["payments"]
    paid = _paid_without_vat(snapshot)
    return binary(
        code,
        paid > ceiling + Decimal("0.01") * len(payments),
        {
            "currency": snapshot["currency"],
            "paid_without_vat": money(paid),
            "contract_amount": money(ceiling),
            "payment_sequences": [_sequence(snapshot, p["entry_id"]) for p in payments],
        },
    )


def _paid_without_vat(snapshot: Snapshot) -> Decimal:
    return sum((paid_without_vat(snapshot, p) for p in snapshot["payments"]), Decimal(0))


def r073_work_discrepancies(snapshot: Snapshot, today: dt.date) -> Flag:
    """R073: work received did not match the specifications: a reception rejected, partial
    or deficient, or a deduction applied. Not computable before any reception."""
    code = "R073"
    if (gone := _registered(code, snapshot)) is not None:
        return gone
    receptions = [
        (deliverable_id, r)
        for deliverable_id, d in sorted(snapshot["deliverables"].items())
        for r in d["receptions"]
    ]
    if not receptions and not snapshot["deductions"]:
        return missing(code, "no reception recorded")
    bad = [
        {
            "deliverable_id": deliverable_id,
            "date": r["date"],
            "result": r["result"],
            "sequence": _sequence(snapshot, r["entry_id"]),
        }
        for deliverable_id, r in receptions
        if r["result"] in DISCREPANT_RESULTS
    ]
    deductions = [_sequence(snapshot, d["entry_id"]) for d in snapshot["deductions"]]
    return binary(
        code,
        bool(bad or deductions),
        {
            "receptions": len(receptions),
            "discrepancies": bad[:20],
            "deduction_sequences": deductions,
        },
    )


# --- population flags: the figure here, the fence from the portfolio -----------------------


def measure_r059(snapshot: Snapshot) -> tuple[float | None, dict[str, Any]]:
    """R059's figure: the difference between the award value (the amount signed) and the
    final amount, in percent of the award value, in the contract's currency without VAT.
    The final amount is what was paid once the contract is closed, otherwise the amount as
    amended."""
    if snapshot.get("contract") is None:
        return None, {"missing": "contract not registered"}
    original = Decimal(snapshot["original_amount"])
    if snapshot["closure"] is not None:
        final = _paid_without_vat(snapshot)
        basis = "paid (without VAT) at closure"
    else:
        final = Decimal(snapshot["current_amount"])
        basis = "amended amount"
    percent = abs(final - original) * 100 / original
    return float(round(percent, 4)), {
        "award_amount": money(original),
        "final_amount": money(final),
        "final_basis": basis,
        "difference_percent": plain(round(percent, 4)),
    }


def measure_r060(snapshot: Snapshot) -> tuple[float | None, dict[str, Any]]:
    """R060's figure: days from the award (fallo) to the contract's signature."""
    terms = snapshot.get("contract")
    if terms is None:
        return None, {"missing": "contract not registered"}
    if not terms.get("award_date"):
        return None, {"missing": "award_date not recorded"}
    days = (day(terms["signing_date"]) - day(terms["award_date"])).days
    return float(days), {
        "award_date": terms["award_date"],
        "signing_date": terms["signing_date"],
        "days": days,
    }


def fenced(code: str, figure: float | None, evidence: Mapping[str, Any], fence: Fence) -> Flag:
    """A population flag: 1 when ``figure`` reaches the fence's upper bound (inclusive, as
    Cardinal) and is above 0 (a zero difference or delay is never an outlier, even when most
    of the population is 0); None when the figure or the fence is missing."""
    if figure is None:
        return Flag(code, None, evidence, fence.as_json())
    if fence.upper is None:
        return Flag(code, None, {**evidence, "missing": "population too small"}, fence.as_json())
    raised = figure >= fence.upper and figure > 0
    return Flag(code, 1.0 if raised else 0.0, evidence, fence.as_json())


#: The per-contract execution flags that need no population, by code.
PER_CONTRACT: dict[str, Callable[[Snapshot, dt.date], Flag]] = {
    "R054": r054_direct_award_over_threshold,
    "R064": r064_has_amendments,
    "R067": r067_delivery_failure,
    "R068": r068_transactions_exceed_amount,
    "R069": r069_amendments_increase_price,
    "R073": r073_work_discrepancies,
}
#: The population flags and how each measures one contract.
POPULATION: dict[str, Callable[[Snapshot], tuple[float | None, dict[str, Any]]]] = {
    "R059": measure_r059,
    "R060": measure_r060,
}


def per_contract_flags(snapshot: Snapshot, today: dt.date) -> list[Flag]:
    """Every per-contract execution flag, in code order (safe to run on every append)."""
    return [PER_CONTRACT[code](snapshot, today) for code in sorted(PER_CONTRACT)]

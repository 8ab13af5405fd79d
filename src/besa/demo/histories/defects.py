"""Choosing a contract's defects: which bad practices exist (``DEFECTS``), the alerts each
is meant to raise (``ALERTS``), how many contracts get each, and which combine. Pure."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from besa.demo.histories.base import _day
from besa.jurisdiction.model import Regime

#: Share of the demo contracts drawn clean (a little fewer stay clean: a defect whose dates are
#: rare among the drawn ones tops up from the others, see ``assign_defects``).
CLEAN_SHARE = 0.74
#: At most this many defects per contract.
MAX_DEFECTS = 2
#: Each defect goes to this share of the contracts (drawn per defect within the range)…
DEFECT_SHARE = (0.020, 0.024)
#: …except these, rarer: the contract's own formalities, the price and the penalty cap…
RARE_SHARE = (0.010, 0.014)
#: …and the list defects, which need a supplier of their own (``besa.demo.seed``).
LISTED_SHARE = (0.005, 0.007)


#: Procedures that are exceptions to public tender and need an exception report (A24).
_EXCEPTIONS = frozenset({"adjudicacion_directa", "invitacion_tres", "adjudicacion_negociacion"})


DEFECTS: tuple[str, ...] = (
    #: The budget sufficiency is dated after the contract was signed (A02).
    "late_budget",
    #: The performance guarantee arrives 11–25 natural days after signing (A04).
    "late_guarantee",
    #: No performance guarantee and no exemption, ever (A04).
    "missing_guarantee",
    #: The performance guarantee covers 30–80 % of the required percentage (A05).
    "short_guarantee",
    #: The performance guarantee expires 15–120 days before the contract ends (A05).
    "expired_guarantee",
    #: One deliverable is accepted 2–20 days late; the penalty is correctly applied (A07).
    "late_delivery",
    #: One deliverable is accepted 2–20 days late and no penalty is recorded (A07, A09).
    "late_delivery_no_penalty",
    #: One reception is rejected, partial or deficient; half with a deduction (A08; A11 if not).
    "rejected_delivery",
    #: A deliverable's due date passed and nothing was received (A07).
    "missing_delivery",
    #: One CFDI is paid after the 20 days (some after a deficiency letter's pause) (A12).
    "late_payment",
    #: A CFDI received more than 20 days ago is still unpaid (A12).
    "unpaid_invoice",
    #: A CFDI is paid before any delivery was accepted; not an advance (A13).
    "payment_without_delivery",
    #: Payments exceed the contract total: a CFDI paid twice or paid above its total (A14).
    "overpayment",
    #: A late delivery's penalty is applied at 20–70 % of its calculation (A07, A09).
    "penalty_underapplied",
    #: Amendments raise the amount by 21–35 % in total, in one or two steps (A19).
    "amendment_over_20",
    #: A term amendment is signed 3–20 days after the contract expired (A19).
    "late_amendment",
    #: The agreed advance is paid with no advance guarantee (A06).
    "advance_without_guarantee",
    #: The contract ended more than ``closure_days`` ago and was never closed (A20).
    "no_closure",
    #: A deliverable is never delivered; notice, answer, resolution; half enforce the
    #: guarantee and close, half neither enforce nor (half of them) close (A07; A21 if not).
    "rescission",
    #: Early termination with no justification document (A22).
    "early_termination_no_justification",
    #: The contract is suspended; 70 % resume (term amendment and re-planned deliverables),
    #: the rest are still suspended today.
    "suspension",
    #: The registration is recorded 8–30 natural days after signing, past the
    #: ``registration_business_days`` deadline (``registration_day``; A01).
    "late_registration",
    #: The award date is 20–40 days before signing, past ``formalisation_days`` (A03).
    "late_formalisation",
    #: Late deliveries whose penalties, correctly applied and withheld, reach the performance
    #: guarantee's amount, and no rescission follows (A07, A10).
    "penalty_cap",
    #: One of the supplier's SAT 32-D, IMSS or INFONAVIT opinions is negative or expired at
    #: signing (A17).
    "negative_opinion",
    #: A direct award or invitation registered with no exception report (dictamen) (A24).
    "no_exception_basis",
    #: A LAASSP-2025 contract whose amount is 15–30 % above the market research's median
    #: (``market_median_amount``; A25).
    "anomalous_price",
    #: The supplier is on the SAT 69-B list (presunto or definitivo), published before signing:
    #: not in the history but a ``Listing`` row that ``besa.demo.seed`` writes (A16).
    "listed_69b",
    #: The supplier is debarred (sanctions list) from before the award until after signing:
    #: a ``Listing`` row that ``besa.demo.seed`` writes (A18).
    "sanctioned_supplier",
)

#: The alerts of domain.md §4 that each defect is meant to raise (other alerts may follow
#: from the same facts, e.g. A15's CFDI dated before its deliverable for
#: ``payment_without_delivery``). ``suspension`` is a fact to track, not an alert by itself.
ALERTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "late_budget": ("A02",),
        "late_guarantee": ("A04",),
        "missing_guarantee": ("A04",),
        "short_guarantee": ("A05",),
        "expired_guarantee": ("A05",),
        "late_delivery": ("A07",),
        "late_delivery_no_penalty": ("A07", "A09"),
        "rejected_delivery": ("A08",),
        "missing_delivery": ("A07",),
        "late_payment": ("A12",),
        "unpaid_invoice": ("A12",),
        "payment_without_delivery": ("A13",),
        "overpayment": ("A14",),
        "penalty_underapplied": ("A07", "A09"),
        "amendment_over_20": ("A19",),
        "late_amendment": ("A19",),
        "advance_without_guarantee": ("A06",),
        "no_closure": ("A20",),
        "rescission": ("A07",),
        "early_termination_no_justification": ("A22",),
        "suspension": (),
        "late_registration": ("A01",),
        "late_formalisation": ("A03",),
        "penalty_cap": ("A07", "A10"),
        "negative_opinion": ("A17",),
        "no_exception_basis": ("A24",),
        "anomalous_price": ("A25",),
        "listed_69b": ("A16",),
        "sanctioned_supplier": ("A18",),
    }
)

#: Defects that bend no planned entry: the registration's recording time
#: (``registration_day``) or the supplier's list entries (``besa.demo.seed``).
OUTSIDE_HISTORY = frozenset({"late_registration", "listed_69b", "sanctioned_supplier"})
#: Defects that put the contract's supplier on a list: every contract of that supplier must
#: carry it (``besa.demo.seed`` only gives them to a supplier's only contract).
LISTED = frozenset({"listed_69b", "sanctioned_supplier"})
_SHARES: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        **dict.fromkeys(
            (
                "late_registration",
                "late_formalisation",
                "penalty_cap",
                "negative_opinion",
                "no_exception_basis",
                "anomalous_price",
            ),
            RARE_SHARE,
        ),
        **dict.fromkeys(LISTED, LISTED_SHARE),
    }
)


def share(defect: str) -> tuple[float, float]:
    """The range of the share of the contracts that get ``defect``."""
    return _SHARES.get(defect, DEFECT_SHARE)


# Defects that shape the same part of a history: a contract gets at most one of each group.
_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"late_guarantee", "missing_guarantee", "short_guarantee", "expired_guarantee"}),
    frozenset(
        {
            "late_delivery",
            "late_delivery_no_penalty",
            "penalty_underapplied",
            "rejected_delivery",
            "missing_delivery",
            "penalty_cap",
        }
    ),
    frozenset({"late_payment", "unpaid_invoice", "payment_without_delivery", "overpayment"}),
    frozenset(
        {
            "no_closure",
            "late_amendment",
            "rescission",
            "early_termination_no_justification",
            "suspension",
        }
    ),
)
# Defects that end or freeze the contract: they only combine with defects on paper.
_ENDINGS = frozenset({"rescission", "early_termination_no_justification", "suspension"})
_ON_PAPER = frozenset(
    {
        "late_budget",
        "late_guarantee",
        "missing_guarantee",
        "short_guarantee",
        "expired_guarantee",
        "advance_without_guarantee",
        "amendment_over_20",
        "late_registration",
        "late_formalisation",
        "negative_opinion",
        "no_exception_basis",
        "anomalous_price",
        "listed_69b",
        "sanctioned_supplier",
    }
)
_PAIRS_REFUSED = frozenset(
    {
        frozenset({"advance_without_guarantee", "payment_without_delivery"}),
        frozenset({"missing_guarantee", "rescission"}),
        frozenset({"amendment_over_20", "suspension"}),
        frozenset({"amendment_over_20", "rescission"}),
        frozenset({"amendment_over_20", "early_termination_no_justification"}),
        frozenset({"overpayment", "missing_delivery"}),
        frozenset({"no_closure", "missing_delivery"}),
        frozenset({"no_closure", "unpaid_invoice"}),
        frozenset({"payment_without_delivery", "missing_delivery"}),
        frozenset({"payment_without_delivery", "rejected_delivery"}),
        # An amendment raises the guarantee, and with it the penalty cap.
        frozenset({"amendment_over_20", "penalty_cap"}),
    }
)


# --- Choosing defects ---------------------------------------------------------------------


def compatible(defects: frozenset[str] | set[str], defect: str) -> bool:
    """Tell whether ``defect`` can join ``defects`` on one contract."""
    if defect in defects or len(defects) >= MAX_DEFECTS:
        return False
    for other in defects:
        if frozenset({defect, other}) in _PAIRS_REFUSED:
            return False
        if any(defect in group and other in group for group in _GROUPS):
            return False
        if (defect in _ENDINGS and other not in _ON_PAPER) or (
            other in _ENDINGS and defect not in _ON_PAPER
        ):
            return False
    return True


def assign_defects(
    rng: random.Random,
    n_contracts: int,
    *,
    eligible: Callable[[int, frozenset[str]], bool] | None = None,
) -> list[frozenset[str]]:
    """Choose the defects of each of ``n_contracts`` contracts (by index).

    About ``1 − CLEAN_SHARE`` of the contracts are drawn as defective; each defect then goes to
    2.0–2.4 % of all contracts (``share``: fewer for the rarer ones; at least one), preferring
    drawn contracts that have no defect yet, then drawn ones with one, and only then
    contracts outside the drawn share; at most ``MAX_DEFECTS`` per contract and never two
    that shape the same part of a history (``compatible``). ``eligible(index, defects)``
    tells whether contract ``index`` can carry that set of defects (its dates leave room for
    them: see ``fits``); the most constrained
    defects are placed first. Deterministic for the same generator state and arguments.
    """
    assigned: list[set[str]] = [set() for _ in range(n_contracts)]
    pool = sorted(rng.sample(range(n_contracts), round(n_contracts * (1 - CLEAN_SHARE))))
    wanted = {d: max(1, round(n_contracts * rng.uniform(*share(d)))) for d in DEFECTS}

    def allowed(index: int, defect: str) -> bool:
        return eligible is None or eligible(index, frozenset(assigned[index] | {defect}))

    # The most constrained defects first: fewest defects it can share a contract with, then
    # fewest contracts whose dates allow it.
    partners = {d: sum(compatible(frozenset({o}), d) for o in DEFECTS) for d in DEFECTS}
    scarcity = {d: sum(1 for i in pool if allowed(i, d)) for d in DEFECTS}
    outside = sorted(set(range(n_contracts)) - set(pool))
    rng.shuffle(outside)
    for defect in sorted(DEFECTS, key=lambda d: (partners[d], scarcity[d], DEFECTS.index(d))):
        candidates = [i for i in pool if compatible(assigned[i], defect) and allowed(i, defect)]
        rng.shuffle(candidates)
        candidates.sort(key=lambda i: len(assigned[i]))  # stable: contracts with none first
        # A defect whose dates are rare in the pool tops up from the other contracts.
        candidates += [i for i in outside if not assigned[i] and allowed(i, defect)]
        for index in candidates[: wanted[defect]]:
            assigned[index].add(defect)
    return [frozenset(d) for d in assigned]


#: Defects that each bend a past-due deliverable of their own.
_TARGETING = frozenset(
    {
        "late_delivery",
        "late_delivery_no_penalty",
        "penalty_underapplied",
        "penalty_cap",
        "rejected_delivery",
        "missing_delivery",
        "late_payment",
        "unpaid_invoice",
        "payment_without_delivery",
    }
)


def fits(
    defects: frozenset[str], registration: Mapping[str, Any], today: dt.date, *, regime: Regime
) -> bool:
    """Tell whether the contract's dates leave room for all of ``defects`` to show by
    ``today``: each is ``applicable``, and when two of them need a past-due deliverable of
    their own, each must fit even if its deliverable is the last one (due on the end date)."""
    crowded = len(defects & _TARGETING) > 1
    return all(
        applicable(d, registration, today, regime=regime, last_deliverable=crowded) for d in defects
    )


def applicable(
    defect: str,
    registration: Mapping[str, Any],
    today: dt.date,
    *,
    regime: Regime,
    last_deliverable: bool = False,
) -> bool:
    """Tell whether the contract's dates leave room for ``defect`` to show by ``today``.

    Conservative: the first deliverable falls due at the latest half-way through the term, so
    the delivery and payment defects ask for that point to be far enough in the past (for the
    end date instead with ``last_deliverable``).
    """
    terms = registration["contract"]
    signed = _day(terms["signing_date"])
    start, end = _day(terms["start_date"]), _day(terms["end_date"])
    middle = end if last_deliverable else start + dt.timedelta(days=(end - start).days // 2)
    closure_limit = end + dt.timedelta(days=regime.closure_days)
    penalties = Decimal(terms.get("penalty_rate_percent") or 0) > 0
    guaranteed = Decimal(terms.get("guarantee_percent") or 0) > 0
    advance = 0 < Decimal(terms.get("advance_percent") or 0) < 100
    domestic = [s for s in registration["suppliers"] if not s["rfc"].startswith("XEXX")]

    def passed(day: dt.date, margin: int = 0) -> bool:
        return day + dt.timedelta(days=margin) < today

    def window(first: dt.date, last: dt.date) -> bool:
        return first < min(last, today - dt.timedelta(days=1))

    rules: dict[str, Callable[[], bool]] = {
        "late_budget": lambda: passed(signed, 2),
        "late_guarantee": lambda: (
            passed(signed, regime.performance_guarantee_days + 2) and guaranteed
        ),
        "missing_guarantee": lambda: passed(signed, regime.performance_guarantee_days + 2),
        "short_guarantee": lambda: passed(signed, regime.performance_guarantee_days) and guaranteed,
        "expired_guarantee": lambda: (
            passed(signed, regime.performance_guarantee_days)
            and (end - start).days > 60
            and guaranteed
        ),
        "late_delivery": lambda: passed(middle, 30) and penalties,
        "late_delivery_no_penalty": lambda: passed(middle, 30),
        "penalty_underapplied": lambda: passed(middle, 30) and penalties,
        "rejected_delivery": lambda: passed(middle, 15),
        "missing_delivery": lambda: passed(middle, 10) and not passed(closure_limit),
        "late_payment": lambda: passed(middle, 90),
        "unpaid_invoice": lambda: passed(middle, 45) and not passed(closure_limit),
        "payment_without_delivery": lambda: passed(signed, 20),
        "overpayment": lambda: passed(end, 45),
        "amendment_over_20": lambda: window(
            start + dt.timedelta(days=20), end - dt.timedelta(days=10)
        ),
        "late_amendment": lambda: passed(end, 10),
        # The advance's guarantee, CFDI and payment come up to 32 days after signing.
        "advance_without_guarantee": lambda: advance and passed(signed, 35),
        "no_closure": lambda: passed(closure_limit, 10),
        "rescission": lambda: passed(middle, 50),
        "early_termination_no_justification": lambda: window(
            start + dt.timedelta(days=30), end - dt.timedelta(days=10)
        ),
        "suspension": lambda: window(start + dt.timedelta(days=15), end - dt.timedelta(days=75)),
        "late_registration": lambda: passed(signed, 32),
        "late_formalisation": lambda: True,
        # The penalties of one deliverable reach the guarantee (10 % of the amount) in at most
        # ~90 days at 1 %/day; no advance, so that the CFDI's net stays above the penalty.
        "penalty_cap": lambda: (
            Decimal(terms.get("penalty_rate_percent") or 0) >= 1
            and not advance
            and (end - start).days >= 180
            and passed(middle, 130)
        ),
        "negative_opinion": lambda: bool(domestic),
        "no_exception_basis": lambda: terms["procedure_type"] in _EXCEPTIONS,
        "anomalous_price": lambda: terms["regime"] == "LAASSP-2025",
        "listed_69b": lambda: len(registration["suppliers"]) == 1 and bool(domestic),
        "sanctioned_supplier": lambda: len(registration["suppliers"]) == 1 and bool(domestic),
    }
    return rules[defect]()

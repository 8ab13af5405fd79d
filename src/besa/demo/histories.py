"""Execution histories for the demo contracts: what happened to each contract after signing.

Pure: no Django, no clock, no database. ``plan_history`` turns a contract's registration
payload into the logbook entries of its life up to (not including) ``today``, each payload
valid for ``besa.logbook.kinds`` against the state of its moment; ``besa.demo.seed`` appends
them through ``append()``. The same generator state, registration and ``today`` always give
the same plan.

**A clean history** (domain.md §3.3, §3.4): the budget sufficiency, dated 10–60 days before
the award, and positive SAT 32-D, IMSS and INFONAVIT opinions go in the registration payload
(``complete_registration``); the performance guarantee is received 1–10 natural days after
signing, for the contract's ``guarantee_percent`` of the amount (of the maximum for open
contracts), valid until 3–12 months after the end date, in favour of the jurisdiction's
``guarantee_beneficiary`` (TESOFE, for entidades too: the registration does not say which
institutions are entidades); contracts with an advance get an advance guarantee, the advance's
CFDI and its payment (``is_advance``), the advance being amortised as a ``discount`` on every
later CFDI; a schedule of 2–6 deliverables spread over the term, amounts adding up to the
contract amount; deliveries accepted on or before their due date; one PUE CFDI per deliverable
from the (lead) supplier to the buying institution, received 0–6 days after acceptance,
subtotal + 16 % VAT; payment of the CFDI total within ``payment_days`` natural days of its
receipt (5 % of CFDIs get a deficiency letter within the review days and a corrected CFDI, and
are paid after day 20 but within 20 days plus the pause); the finiquito (``closure``) 5–25
days after the end date and always before ``closure_days`` are over, then the release of the
guarantees. About 8 % of clean contracts also get an amendment of +3–15 % (amount and
quantity, sometimes term) with the guarantee's endorsement and an extra deliverable.
Foreign-currency contracts invoice and pay in their currency at the contract's exchange rate.

**Defects** (``DEFECTS``) each bend the history in one way; ``ALERTS`` names the §4 alerts
each is meant to raise. Where ``besa.logbook.kinds.checks`` refuses the literal bad practice,
the nearest allowed form is used:

- ``payment_without_delivery``: a payment may not precede the receipt of a CFDI it names, so
  the supplier's CFDI is received, and paid, before the delivery (the CFDI is therefore also
  dated before its deliverable, A15's [INF] clause).
- ``early_termination_no_justification``, ``rescission`` and a suspension that never resumes:
  deliverables cannot be unscheduled (a re-plan needs an amount > 0), so the cancelled ones
  stay scheduled and undelivered; alert rules must read the ``terminated_early``,
  ``rescinded`` and ``suspended`` statuses as ending or pausing those obligations.
- ``late_amendment``: nothing but guarantees, payments and documents may follow a closure, so
  the late amendment is signed 3–20 days after expiry and the finiquito comes after it.
- ``rescission``: a guarantee can only be enforced if it exists and is still active, so the
  defect is never combined with ``missing_guarantee`` or with ``amendment_over_20`` (whose
  endorsement could follow the enforcement).
- ``late_delivery`` and ``penalty_underapplied``: a penalty needs a daily rate > 0, so only
  contracts with a ``penalty_rate_percent`` qualify (``applicable``).
- ``overpayment``: there is no refund (reintegro) kind; the closure records the excess as
  ``balance_owed_to_buyer``.

Amounts: contract amounts, deliverables, penalties, deductions and amendments are without VAT;
CFDIs and payments carry VAT (payments pay CFDI totals), so alert rules comparing payments
with contract or accepted amounts must add VAT (or compare CFDI subtotals).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from types import MappingProxyType
from typing import Any

from besa.jurisdiction.calendar import BusinessCalendar
from besa.jurisdiction.model import Regime
from besa.logbook.kinds.payloads import SCHEDULED_KEYS

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

__all__ = [
    "ALERTS",
    "CLEAN_SHARE",
    "DEFECTS",
    "PlannedEntry",
    "applicable",
    "assign_defects",
    "compatible",
    "complete_registration",
    "fits",
    "plan_history",
    "registration_day",
    "share",
]

#: Value added tax (IVA) on every CFDI.
VAT_RATE = Decimal("0.16")
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

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
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


@dataclass(frozen=True)
class PlannedEntry:
    """One entry to append: ``append(contract, kind, payload, occurred_at=…, documents=…)``."""

    kind: str
    payload: dict[str, Any]
    occurred_at: dt.datetime
    documents: tuple[dict[str, str], ...] = ()

    def earliest_recording(self, delay: dt.timedelta) -> dt.datetime:
        """When the entry can be recorded: ``delay`` after it happened, and not before noon of
        the last fact its payload states (an invoice telling of a deficiency letter is
        recorded once the letter exists; the logbook refuses facts dated after recording)."""
        moment = self.occurred_at + delay
        last = _last_fact(self.payload)
        if last is not None:
            moment = max(moment, dt.datetime.combine(last, dt.time(12), self.occurred_at.tzinfo))
        return moment


def _last_fact(payload: Any, key: str = "") -> dt.date | None:
    """The latest day of a fact in ``payload``: any date but a scheduled one (a due date…)."""
    if isinstance(payload, Mapping):
        found = [_last_fact(item, str(name)) for name, item in payload.items()]
    elif isinstance(payload, list):
        found = [_last_fact(item, key) for item in payload]
    elif isinstance(payload, str) and key not in SCHEDULED_KEYS and _ISO_DAY.fullmatch(payload):
        return dt.date.fromisoformat(payload)
    else:
        return None
    return max((day for day in found if day is not None), default=None)


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
_SURETIES = (
    "Afianzadora Sofimex, S.A.",
    "Fianzas Dorama, S.A.",
    "Afianzadora Aserta, S.A. de C.V.",
    "Chubb Fianzas Monterrey, S.A.",
    "Liberty Fianzas, S.A. de C.V.",
)
_UNITS = {"adquisicion": ("pieza", "caja", "lote", "paquete"), "servicio": ("servicio",)}
_REJECTION_REASONS = (
    "Los bienes no cumplen con las especificaciones técnicas del anexo técnico",
    "Caducidad menor a la pactada en el contrato",
    "Empaque dañado y sin registro sanitario visible",
    "El servicio no se prestó conforme a los niveles de servicio pactados",
)
_RESCISSION_CAUSES = (
    "Incumplimiento en la entrega de los bienes en la fecha pactada",
    "Incumplimiento reiterado de las obligaciones del contrato",
)
_TERMINATION_CAUSES = (
    "Razones de interés general",
    "Extinción de la necesidad de los bienes o servicios",
)
_SUSPENSION_CAUSES = (
    "Caso fortuito: cierre temporal del inmueble",
    "Suspensión por causa de fuerza mayor",
    "Reprogramación presupuestal",
)


# --- The plan -----------------------------------------------------------------------------


def plan_history(
    rng: random.Random,
    registration: Mapping[str, Any],
    today: dt.date,
    *,
    regime: Regime,
    calendar: BusinessCalendar,
    beneficiary: str,
    zone: dt.tzinfo,
    defects: frozenset[str] = frozenset(),
) -> list[PlannedEntry]:
    """The entries of a contract's life after its registration, dated before ``today``.

    ``registration`` is the (normalised or raw) registration payload, ideally completed by
    ``complete_registration``; without a ``budget_sufficiency`` in it, the sufficiency is
    planned as an entry (dated after signing for ``late_budget``, before otherwise).
    ``regime`` gives the deadlines (``performance_guarantee_days``, ``payment_days``,
    ``closure_days``, ``rescission_*``), ``calendar`` the business days, ``beneficiary`` the
    jurisdiction's guarantee beneficiary and ``zone`` the time zone of ``occurred_at``.
    A defect that the contract's dates leave no room for (``applicable`` is false) is planned
    as best it can be and may not show. Raises ``ValueError`` for an unknown defect.
    """
    unknown = sorted(defects - set(DEFECTS))
    if unknown:
        raise ValueError(f"unknown defects: {unknown}")
    return _Planner(rng, registration, today, regime, calendar, beneficiary, zone, defects).plan()


@dataclass
class _Event:
    day: dt.date
    order: int
    kind: str
    payload: dict[str, Any]
    documents: tuple[dict[str, str], ...] = ()


@dataclass
class _Deliverable:
    id: str
    description: str
    quantity: Decimal
    unit: str
    amount: Decimal
    due: dt.date
    floor: dt.date  # the earliest day it can be received (after it was scheduled)
    place: str
    added_by: str | None = None
    discount: Decimal = Decimal(0)  # the advance amortised on its CFDI
    penalty: Decimal = Decimal(0)
    deduction: Decimal = Decimal(0)
    mode: str = "clean"
    pay_mode: str = "clean"

    def payload(self) -> dict[str, Any]:
        return {
            "deliverable_id": self.id,
            "description": self.description,
            "quantity": _plain(self.quantity),
            "unit": self.unit,
            "amount": _plain(self.amount),
            "due_date": self.due.isoformat(),
            "place": self.place,
        }


@dataclass
class _Invoice:
    uuid: str
    total: Decimal
    received: dt.date
    paid: list[dt.date] = field(default_factory=list)


class _Planner:
    def __init__(
        self,
        rng: random.Random,
        registration: Mapping[str, Any],
        today: dt.date,
        regime: Regime,
        calendar: BusinessCalendar,
        beneficiary: str,
        zone: dt.tzinfo,
        defects: frozenset[str],
    ) -> None:
        self.rng = rng
        self.registration = registration
        self.today = today
        self.regime = regime
        self.calendar = calendar
        self.beneficiary = beneficiary
        self.zone = zone
        self.defects = defects
        terms = registration["contract"]
        self.terms = terms
        self.signed = _day(terms["signing_date"])
        self.start = _day(terms["start_date"])
        self.end = self.current_end = _day(terms["end_date"])
        self.amount = self.current_amount = Decimal(terms["amount"])
        self.base = Decimal(terms.get("max_amount") or terms["amount"])
        self.currency = terms["currency"]
        self.home = registration["home_currency"]
        self.rate = Decimal(terms["exchange_rate"]) if terms.get("exchange_rate") else None
        self.guarantee_percent = Decimal(terms["guarantee_percent"])
        self.advance_percent = Decimal(terms.get("advance_percent") or 0)
        self.penalty_rate = Decimal(terms["penalty_rate_percent"])
        self.kind = terms.get("contracting_type", "adquisicion")
        self.title = terms["title"]
        self.supplier_rfc = registration["suppliers"][0]["rfc"]
        self.buyer_rfc = registration["buyer"]["institution_rfc"]
        self.buyer_code = registration["buyer"]["institution_code"]
        self.events: list[_Event] = []
        self.deliverables: list[_Deliverable] = []
        self.invoices: list[_Invoice] = []
        self.guarantees: dict[str, dict[str, Any]] = {}
        self.amendments = 0
        self.schedule_day = self.signed
        self.folio = 0
        # What ends the contract's obligations early, and when.
        self.cutoff: dt.date | None = None  # deliverables due on or after it are not delivered
        self.ended_on: dt.date | None = None  # termination or rescission resolution
        self.closable = True
        self.advance_subtotal = Decimal(0)
        self.termination: dict[str, Any] | None = None
        self.rescission: tuple[dt.date, dt.date, dt.date] | None = None

    # --- helpers

    def add(
        self,
        kind: str,
        day: dt.date,
        payload: dict[str, Any],
        documents: tuple[dict[str, str], ...] = (),
    ) -> None:
        self.events.append(_Event(day, len(self.events), kind, payload, documents))

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, max(low, high)))

    def between(self, first: dt.date, last: dt.date) -> dt.date:
        """A day in [first, last] (``first`` if the range is empty)."""
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def yesterday(self) -> dt.date:
        return self.today - dt.timedelta(days=1)

    def document(self, title: str) -> tuple[dict[str, str], ...]:
        digest = f"{self.rng.getrandbits(256):064x}"
        return ({"title": title, "sha256": digest, "media_type": "application/pdf"},)

    def rate_fields(self) -> dict[str, str]:
        if self.currency != self.home and self.rate is not None:
            return {"exchange_rate": _plain(self.rate)}
        return {}

    def business_days(self, start: dt.date, count: int) -> dt.date:
        return self.calendar.add_business_days(start, count)

    # --- the story

    def plan(self) -> list[PlannedEntry]:
        self.budget()
        self.performance_guarantee()
        self.advance()
        self.schedule()
        self.clean_amendment()
        self.amendment_over_20()
        self.endings()
        self.execute()
        self.late_amendment()
        self.close()
        return self.entries()

    def budget(self) -> None:
        if "budget_sufficiency" in self.registration:
            return
        if "late_budget" in self.defects:
            day = self.signed + self.days(1, min(30, (self.today - self.signed).days - 1))
        else:
            day = self.signed - self.days(10, 60)
        self.add("budget_sufficiency", day, _budget(self.rng, self.registration, day))

    def performance_guarantee(self) -> None:
        if "missing_guarantee" in self.defects:
            return
        limit = self.regime.performance_guarantee_days
        if "late_guarantee" in self.defects:
            room = (self.today - self.signed).days - 1
            received = self.signed + self.days(limit + 1, min(limit + 15, room))
        else:
            received = self.signed + self.days(1, limit)
        if not self.guarantee_percent:  # the contract waives it: the exemption is recorded
            self.add(
                "guarantee",
                received,
                {
                    "guarantee_id": "G-1",
                    "type": "performance",
                    "action": "exemption",
                    "date_received": received.isoformat(),
                    "legal_basis": "Excepción a la garantía de cumplimiento, art. 48 LAASSP",
                },
            )
            return
        percent = self.guarantee_percent
        if "short_guarantee" in self.defects:
            percent = (percent * Decimal(self.rng.randint(30, 80)) / _HUNDRED).quantize(_CENT)
        amount = (self.base * percent / _HUNDRED).quantize(_CENT, ROUND_UP)
        if "expired_guarantee" in self.defects:
            valid_until = self.end - self.days(15, min(120, (self.end - self.start).days // 2))
        else:
            valid_until = self.end + self.days(90, 365)
        policy = f"FZ-{self.rng.randrange(10**6, 10**7)}"
        self.guarantees["G-1"] = {
            "amount": amount,
            "percent": percent,
            "valid_until": valid_until,
            "policy": policy,
        }
        self.add(
            "guarantee",
            received,
            {
                "guarantee_id": "G-1",
                "type": "performance",
                "instrument": "surety_bond",
                "issuer": self.rng.choice(_SURETIES),
                "policy_number": policy,
                "amount": _plain(amount),
                "percent": _plain(percent),
                "beneficiary": self.beneficiary,
                "date_received": received.isoformat(),
                "valid_from": self.signed.isoformat(),
                "valid_until": valid_until.isoformat(),
            },
            self.document(f"Póliza de fianza de cumplimiento {policy}"),
        )

    def advance(self) -> None:
        if not 0 < self.advance_percent < 100:
            return
        subtotal = self.advance_subtotal = _money(self.amount * self.advance_percent / _HUNDRED)
        taxes = _money(subtotal * VAT_RATE)
        total = subtotal + taxes
        ready = self.signed + self.days(2, 10)
        if "advance_without_guarantee" not in self.defects:
            policy = f"FZA-{self.rng.randrange(10**6, 10**7)}"
            self.guarantees["G-A"] = {"amount": total, "policy": policy}
            self.add(
                "guarantee",
                ready,
                {
                    "guarantee_id": "G-A",
                    "type": "advance",
                    "instrument": "surety_bond",
                    "issuer": self.rng.choice(_SURETIES),
                    "policy_number": policy,
                    "amount": _plain(total),
                    "percent": "100",
                    "beneficiary": self.beneficiary,
                    "date_received": ready.isoformat(),
                    "valid_from": self.signed.isoformat(),
                    "valid_until": (self.end + self.days(30, 90)).isoformat(),
                },
                self.document(f"Póliza de fianza de anticipo {policy}"),
            )
        issued = ready + self.days(0, 5)
        invoice = self.invoice(issued, issued + self.days(0, 2), subtotal, Decimal(0), [])
        paid = invoice.received + self.days(3, 15)
        self.pay(invoice, paid, total, is_advance=True)

    def schedule(self) -> None:
        term = (self.end - self.start).days
        n = min(6, max(2, term // 90 + self.rng.randint(0, 2)))
        self.schedule_day = self.signed + self.days(0, 3)
        weights = [Decimal(self.rng.randint(80, 120)) for _ in range(n)]
        amounts = [_money(self.amount * w / sum(weights)) for w in weights]
        amounts[-1] = self.amount - sum(amounts[:-1])
        units = _UNITS.get(self.kind, ("periodo",))
        for k in range(1, n + 1):
            if k == n:
                due = self.end
            else:
                due = self.start + dt.timedelta(days=round(term * k / n) - self.rng.randint(0, 5))
            due = max(due, self.start + dt.timedelta(days=15))
            if self.kind == "adquisicion":
                quantity = Decimal(self.rng.randrange(10, 2000) * 10)
                description = f"Entrega {k} de {n}: {self.title}"
            else:
                quantity = Decimal(1)
                description = f"Periodo {k} de {n}: {self.title}"
            self.deliverables.append(
                _Deliverable(
                    id=f"E{k}",
                    description=description,
                    quantity=quantity,
                    unit=self.rng.choice(units),
                    amount=amounts[k - 1],
                    due=due,
                    floor=self.schedule_day + dt.timedelta(days=1),
                    place=f"Almacén central de {self.buyer_code}",
                )
            )
        self.add(
            "deliverable_schedule",
            self.schedule_day,
            {"deliverables": [d.payload() for d in self.deliverables]},
        )
        self.amortise()

    def amortise(self) -> None:
        """Spread the advance over the deliverables' CFDIs, as a discount."""
        if not self.advance_subtotal:
            return
        left = self.advance_subtotal
        for deliverable in self.deliverables[:-1]:
            deliverable.discount = _money(deliverable.amount * self.advance_percent / _HUNDRED)
            left -= deliverable.discount
        self.deliverables[-1].discount = left

    # --- amendments

    def amend(
        self, day: dt.date, percent: Decimal, *, term: dt.date | None = None, late: bool = False
    ) -> None:
        """Sign an amendment raising the amount by ``percent`` of the original (0: term only),
        endorse the guarantee and schedule the extra deliverable."""
        self.amendments += 1
        amendment_id = f"CM-{self.amendments}"
        payload: dict[str, Any] = {
            "amendment_id": amendment_id,
            "number": str(self.amendments),
            "signing_date": day.isoformat(),
        }
        change = _money(self.amount * percent / _HUNDRED)
        types = []
        if change:
            types += ["amount", "quantity"]
            payload["amount_change"] = _plain(change)
            payload["quantity_change_percent"] = _plain(percent)
        if term is not None:
            types.append("term")
            payload["new_end_date"] = term.isoformat()
        payload["types"] = types
        payload["justification"] = (
            "Regularización de la vigencia del contrato"
            if late
            else "Ampliación por necesidades adicionales del área requirente"
        )
        guarantee = self.guarantees.get("G-1")
        if guarantee is not None and change:
            payload["guarantee_adjustment"] = f"Endoso {guarantee['policy']}-{self.amendments}"
        self.add("amendment", day, payload, self.document(f"Convenio modificatorio {amendment_id}"))
        self.current_amount += change
        if term is not None:
            self.current_end = term
        if guarantee is not None and change:
            endorsed = day + self.days(1, 7)
            needed = self.current_end + dt.timedelta(days=60)
            valid_until = max(guarantee["valid_until"], needed)
            if "expired_guarantee" in self.defects:
                valid_until = guarantee["valid_until"]
            covered = self.base + self.current_amount - self.amount
            amount = (covered * guarantee["percent"] / _HUNDRED).quantize(_CENT, ROUND_UP)
            guarantee.update(amount=amount, valid_until=valid_until)
            self.add(
                "guarantee",
                endorsed,
                {
                    "guarantee_id": "G-1",
                    "type": "performance",
                    "action": "extension",
                    "amount": _plain(amount),
                    "date_received": endorsed.isoformat(),
                    "valid_until": valid_until.isoformat(),
                    "policy_number": f"{guarantee['policy']}-{self.amendments}",
                    "amendment_id": amendment_id,
                },
            )
        if change:
            due = min(self.current_end, day + self.days(20, 60))
            extra = _Deliverable(
                id=f"E{len(self.deliverables) + 1}",
                description=f"Entrega adicional ({amendment_id}): {self.title}",
                quantity=Decimal(1) if self.kind != "adquisicion" else Decimal(10),
                unit=self.deliverables[0].unit,
                amount=change,
                due=max(due, day + dt.timedelta(days=10)),
                floor=day + dt.timedelta(days=1),
                place=self.deliverables[0].place,
                added_by=amendment_id,
            )
            self.deliverables.append(extra)
            self.add("deliverable_schedule", day, {"deliverables": [extra.payload()]})

    def clean_amendment(self) -> None:
        if self.defects or self.rng.random() >= 0.08:
            return
        first, last = self.start + dt.timedelta(days=30), self.end - dt.timedelta(days=45)
        if first >= min(last, self.yesterday()):
            return
        day = self.between(first, min(last, self.yesterday()))
        term = None
        if self.rng.random() < 0.3:
            term = self.end + self.days(30, 60)
        self.amend(day, Decimal(self.rng.randint(3, 15)), term=term)

    def amendment_over_20(self) -> None:
        if "amendment_over_20" not in self.defects:
            return
        first = self.start + dt.timedelta(days=20)
        last = min(self.end - dt.timedelta(days=10), self.yesterday())
        total = Decimal(self.rng.randint(21, 35))
        if (last - first).days > 60 and self.rng.random() < 0.4:
            step = Decimal(self.rng.randint(8, int(total) - 8))
            day = self.between(first, last - dt.timedelta(days=30))
            self.amend(day, step)
            self.amend(self.between(day + dt.timedelta(days=20), last), total - step)
        else:
            self.amend(self.between(first, last), total)

    def late_amendment(self) -> None:
        if "late_amendment" not in self.defects:
            return
        room = (self.today - self.end).days - 1
        day = self.end + self.days(3, min(20, room))
        self.amend(day, Decimal(0), term=self.end + self.days(30, 60), late=True)

    # --- how the contract ends early (rescission, termination, suspension)

    def endings(self) -> None:
        if "suspension" in self.defects:
            self.suspension()
        elif "early_termination_no_justification" in self.defects:
            first = self.start + dt.timedelta(days=30)
            day = self.between(first, min(self.end - dt.timedelta(days=10), self.yesterday()))
            self.cutoff = self.ended_on = day
            cause = self.rng.choice(_TERMINATION_CAUSES)
            payload: dict[str, Any] = {"date": day.isoformat(), "cause": cause}
            if self.rng.random() < 0.5:
                payload["reimbursed_expenses"] = _plain(
                    _money(self.amount * Decimal(self.rng.randint(1, 5)) / _HUNDRED)
                )
            self.termination = payload
        elif "rescission" in self.defects:
            passed = [d for d in self.deliverables if d.due + dt.timedelta(days=50) < self.today]
            target = self.rng.choice(passed) if passed else self.deliverables[0]
            self.cutoff = target.due
            notice = target.due + self.days(5, 20)
            answer = self.business_days(
                notice, self.rng.randint(1, self.regime.rescission_answer_business_days)
            )
            resolution = answer + self.days(3, self.regime.rescission_resolution_days)
            self.ended_on = resolution
            self.rescission = (notice, answer, resolution)

    def suspension(self) -> None:
        first = self.start + dt.timedelta(days=15)
        last = min(self.end - dt.timedelta(days=75), self.yesterday())
        day = self.between(first, last)
        pause = self.days(15, 60)
        self.add(
            "suspension",
            day,
            {
                "action": "suspend",
                "date": day.isoformat(),
                "cause": self.rng.choice(_SUSPENSION_CAUSES),
                "expected_resume_date": (day + pause).isoformat(),
            },
            self.document("Acuerdo de suspensión"),
        )
        resumed = day + pause
        if self.rng.random() >= 0.7 or resumed >= self.today:
            self.cutoff = day
            self.closable = False
            return
        self.add("suspension", resumed, {"action": "resume", "date": resumed.isoformat()})
        self.amend(resumed, Decimal(0), term=self.end + pause)
        moved = []
        for deliverable in self.deliverables:
            if deliverable.due >= day:
                deliverable.due = max(deliverable.due + pause, resumed + dt.timedelta(days=10))
                deliverable.floor = max(deliverable.floor, resumed + dt.timedelta(days=1))
                moved.append(deliverable)
        if moved:
            self.add(
                "deliverable_schedule", resumed, {"deliverables": [d.payload() for d in moved]}
            )

    # --- execution: deliveries, penalties, deductions, CFDIs, payments

    def execute(self) -> None:
        live = [d for d in self.deliverables if self.cutoff is None or d.due < self.cutoff]
        live.sort(key=lambda d: (d.due, d.id))
        originals = [d for d in live if d.added_by is None]
        self.choose_targets(originals)
        for deliverable in live:
            if deliverable.pay_mode == "before_delivery":
                self.pay_before_delivery(deliverable)
                continue
            accepted = self.deliver(deliverable)
            if accepted is not None:
                self.bill(deliverable, accepted)
        self.rescind()
        self.terminate()

    def choose_targets(self, deliverables: list[_Deliverable]) -> None:
        """Mark the deliverables that the delivery and payment defects bend (never twice)."""
        if not deliverables:
            return
        taken: set[str] = set()

        def pick(condition: Callable[[_Deliverable], bool], *, last: bool = False) -> _Deliverable:
            free = [d for d in deliverables if d.id not in taken] or deliverables
            fitting = [d for d in free if condition(d)] or free[:1]
            chosen = fitting[-1] if last else self.rng.choice(fitting)
            taken.add(chosen.id)
            return chosen

        def passed(days: int) -> Callable[[_Deliverable], bool]:
            return lambda d: d.due + dt.timedelta(days=days) < self.today

        if "payment_without_delivery" in self.defects:
            taken.add(deliverables[0].id)
            deliverables[0].pay_mode = "before_delivery"
        late = {"late_delivery", "late_delivery_no_penalty", "penalty_underapplied"} & self.defects
        if late:
            pick(passed(25)).mode = late.pop()
        if "penalty_cap" in self.defects:
            self.cap_target(deliverables, taken)
        if "rejected_delivery" in self.defects:
            pick(passed(12)).mode = "rejected"
        if "missing_delivery" in self.defects:
            pick(passed(5), last=True).mode = "missing"
        if "late_payment" in self.defects:
            pick(passed(80)).pay_mode = "late"
        if "unpaid_invoice" in self.defects:
            pick(passed(35), last=True).pay_mode = "unpaid"
        if "overpayment" in self.defects:
            pick(lambda d: True, last=True).pay_mode = "overpaid"

    def cap(self) -> Decimal:
        """The penalty cap: the performance guarantee's amount (or the one required)."""
        guarantee = self.guarantees.get("G-1")
        if guarantee is not None:
            return Decimal(guarantee["amount"])
        return (self.base * self.guarantee_percent / _HUNDRED).quantize(_CENT, ROUND_UP)

    def days_to_cap(self, deliverable: _Deliverable) -> int:
        """Days late after which the deliverable's penalty reaches the cap (one spare day)."""
        daily = deliverable.amount * self.penalty_rate / _HUNDRED
        if not daily:
            return 10**6
        return int((self.cap() / daily).to_integral_value(ROUND_UP)) + 1

    def cap_target(self, deliverables: list[_Deliverable], taken: set[str]) -> None:
        """``penalty_cap``: the largest deliverable (not the last) whose penalty can reach the
        cap, be withheld and be left undecided for a month, all before the end date."""
        limit = min(self.today, self.current_end)
        free = (
            [d for d in deliverables[:-1] if d.id not in taken]
            or [d for d in deliverables if d.id not in taken]
            or deliverables
        )
        fitting = [d for d in free if d.due + dt.timedelta(days=self.days_to_cap(d) + 35) < limit]
        chosen = max(fitting or free[:1], key=lambda d: d.amount)
        taken.add(chosen.id)
        chosen.mode = "penalty_cap"

    def receive(
        self,
        deliverable: _Deliverable,
        day: dt.date,
        received: Decimal,
        accepted: Decimal,
        result: str,
        reason: str | None = None,
    ) -> None:
        payload: dict[str, Any] = {
            "deliverable_id": deliverable.id,
            "date": day.isoformat(),
            "quantity_received": _plain(received),
            "quantity_accepted": _plain(accepted),
            "result": result,
            "receipt_document": f"ER-{deliverable.id}-{day:%Y%m%d}",
        }
        if reason:
            payload["reason"] = reason
        self.add(
            "delivery", day, payload, self.document(f"Acta de entrega-recepción {deliverable.id}")
        )

    def on_time(self, deliverable: _Deliverable) -> dt.date:
        return max(deliverable.floor, deliverable.due - self.days(0, 10))

    def deliver(self, deliverable: _Deliverable) -> dt.date | None:
        """Record the receptions of ``deliverable``; return the day it was fully accepted."""
        mode = deliverable.mode
        quantity = deliverable.quantity
        if mode == "missing":
            return None
        if mode in ("late_delivery", "late_delivery_no_penalty", "penalty_underapplied",
                    "penalty_cap"):  # fmt: skip
            return self.deliver_late(deliverable)
        if mode == "rejected":
            return self.deliver_badly(deliverable)
        day = self.on_time(deliverable)
        self.receive(deliverable, day, quantity, quantity, "accepted")
        return day

    def deliver_late(self, deliverable: _Deliverable) -> dt.date:
        # Keep the penalty below the guarantee (the cap, A10): days × rate × base ≤ 8 % amount.
        share = deliverable.amount * self.penalty_rate / _HUNDRED
        most = int(self.amount * Decimal("0.08") / share) if share else 20
        room = (self.today - deliverable.due).days - 6
        days_late = self.rng.randint(2, max(2, min(20, most, room)))
        if deliverable.mode == "penalty_cap":  # at the cap: the guarantee's amount or more
            days_late = self.days_to_cap(deliverable) + self.rng.randint(0, 3)
        day = deliverable.due + dt.timedelta(days=days_late)
        self.receive(deliverable, day, deliverable.quantity, deliverable.quantity, "accepted")
        if deliverable.mode == "late_delivery_no_penalty" or not self.penalty_rate:
            return day
        calculated = _money(share * days_late)
        applied = calculated
        if deliverable.mode == "penalty_underapplied":
            applied = _money(calculated * Decimal(self.rng.randint(20, 70)) / _HUNDRED)
        deliverable.penalty = applied
        on = min(day + self.days(1, 5), max(day, self.yesterday()))
        self.add(
            "penalty",
            on,
            {
                "deliverable_id": deliverable.id,
                "days_late": days_late,
                "daily_rate_percent": _plain(self.penalty_rate),
                "base_amount": _plain(deliverable.amount),
                "calculated_amount": _plain(calculated),
                "applied_amount": _plain(applied),
                "application": "withheld",
                "date": on.isoformat(),
            },
        )
        return on

    def deliver_badly(self, deliverable: _Deliverable) -> dt.date:
        quantity = deliverable.quantity
        first = max(deliverable.floor, deliverable.due - self.days(8, 15))
        reason = self.rng.choice(_REJECTION_REASONS)
        # A partial reception of one service makes no sense: only goods can be partial.
        variants = (
            ("rejected", "partial", "deficient") if quantity >= 10 else ("rejected", "deficient")
        )
        variant = self.rng.choice(variants)
        if variant == "deficient":
            self.receive(deliverable, first, quantity, quantity, "deficient", reason)
            accepted = first
        else:
            kept = Decimal(0)
            if variant == "partial":
                kept = (quantity * Decimal(self.rng.randint(70, 95)) / _HUNDRED).to_integral_value()
            self.receive(deliverable, first, quantity, kept, variant, reason)
            accepted = self.between(first + dt.timedelta(days=1), deliverable.due)
            rest = quantity - kept
            self.receive(deliverable, accepted, rest, rest, "accepted")
        if variant != "rejected" and self.rng.random() < 0.5:
            percent = Decimal(self.rng.randint(2, 10))
            deliverable.deduction = _money(deliverable.amount * percent / _HUNDRED)
            on = accepted + self.days(0, 3)
            self.add(
                "deduction",
                on,
                {
                    "deliverable_id": deliverable.id,
                    "description": f"Deductiva por entrega {variant}: {reason}",
                    "percent": _plain(percent),
                    "amount": _plain(deliverable.deduction),
                    "date": on.isoformat(),
                },
            )
            accepted = on
        return accepted

    def invoice(
        self,
        issued: dt.date,
        received: dt.date,
        subtotal: Decimal,
        discount: Decimal,
        deliverable_ids: list[str],
        *,
        letter: tuple[dt.date, dt.date] | None = None,
    ) -> _Invoice:
        taxes = _money((subtotal - discount) * VAT_RATE)
        total = subtotal - discount + taxes
        self.folio += 1
        # Mixed with the contract number: one seed planned for two contracts (as tests do) must
        # not repeat CFDI UUIDs, which the logbook refuses across contracts. The draw from
        # ``rng`` is unchanged, so every other planned value stays the same.
        drawn = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        cfdi = str(uuid.uuid5(drawn, str(self.registration["contract"]["number"]))).upper()
        payload: dict[str, Any] = {
            "uuid": cfdi,
            "series": "A",
            "folio": str(self.folio),
            "issue_date": issued.isoformat(),
            "date_received": received.isoformat(),
            "issuer_rfc": self.supplier_rfc,
            "receiver_rfc": self.buyer_rfc,
            "subtotal": _plain(subtotal),
            "taxes": _plain(taxes),
            "total": _plain(total),
            "currency": self.currency,
            **self.rate_fields(),
            "payment_method": "PUE",
            "deliverable_ids": deliverable_ids,
        }
        if discount:
            payload["discount"] = _plain(discount)
        if letter is not None:
            payload["deficiency_letter_date"] = letter[0].isoformat()
            payload["corrected_invoice_date"] = letter[1].isoformat()
        self.add("invoice", received, payload)
        invoice = _Invoice(cfdi, total, received)
        self.invoices.append(invoice)
        return invoice

    def pay(
        self,
        invoice: _Invoice,
        day: dt.date,
        amount: Decimal,
        *,
        is_advance: bool = False,
        penalties: Decimal = Decimal(0),
        deductions: Decimal = Decimal(0),
        charges: Decimal = Decimal(0),
    ) -> None:
        payload: dict[str, Any] = {
            "date": day.isoformat(),
            "amount": _plain(amount),
            "currency": self.currency,
            **self.rate_fields(),
            "invoice_uuids": [invoice.uuid],
            "clc_folio": f"CLC-{day.year}-{self.rng.randrange(10**5):05d}",
            "channel": "SIAFF" if self.currency == self.home else "SPEI",
        }
        if penalties:
            payload["penalties_withheld"] = _plain(penalties)
        if deductions:
            payload["deductions_withheld"] = _plain(deductions)
        if charges:
            payload["financial_charges"] = _plain(charges)
        if is_advance:
            payload["is_advance"] = True
        self.add("payment", day, payload)
        invoice.paid.append(day)

    def letter(self, received: dt.date) -> tuple[dt.date, dt.date]:
        """A deficiency letter within the review days, and the corrected CFDI's arrival."""
        sent = self.business_days(
            received, self.rng.randint(1, self.regime.invoice_review_business_days)
        )
        return sent, sent + self.days(3, 12)

    def bill(self, deliverable: _Deliverable, accepted: dt.date) -> None:
        issued = accepted + self.days(0, 3)
        received = issued + self.days(0, 3)
        limit = self.regime.payment_days
        mode = deliverable.pay_mode
        letter = None
        if (mode == "late" and self.rng.random() < 0.4) or (
            mode == "clean" and (self.rng.random() < 0.05)
        ):
            letter = self.letter(received)
        invoice = self.invoice(
            issued, received, deliverable.amount, deliverable.discount, [deliverable.id],
            letter=letter,
        )  # fmt: skip
        paused = (letter[1] - letter[0]).days if letter else 0
        due = received + dt.timedelta(days=limit + paused)
        net = invoice.total - deliverable.penalty - deliverable.deduction

        def pay(day: dt.date, amount: Decimal, charges: Decimal = Decimal(0)) -> None:
            self.pay(
                invoice, day, amount, penalties=deliverable.penalty,
                deductions=deliverable.deduction, charges=charges,
            )  # fmt: skip

        if mode == "unpaid":
            return
        if mode == "late":
            day = due + self.days(5, min(40, (self.today - due).days - 1))
            charges = Decimal(0)
            if self.rng.random() < 0.3:  # gastos financieros, as the law wants
                charges = _money(net * Decimal("0.0015") * (day - due).days)
            pay(day, net, charges)
            return
        if letter:
            day = received + self.days(limit + 1, limit + paused)
        else:
            day = received + self.days(3, limit - 2)
        if mode == "overpaid" and self.rng.random() < 0.6:
            pay(day, net)
            pay(min(day + self.days(3, 15), max(day, self.yesterday())), net)  # paid twice
        elif mode == "overpaid":
            pay(day, net + _money(self.amount * Decimal(self.rng.randint(3, 10)) / _HUNDRED))
        else:
            pay(day, net)

    def pay_before_delivery(self, deliverable: _Deliverable) -> None:
        """The CFDI of ``deliverable`` arrives and is paid before anything is delivered."""
        # Before every possible reception: on-time deliveries come at most 10 days early.
        first_due = min(d.due for d in self.deliverables)
        upper = min(
            self.signed + dt.timedelta(days=30),
            self.today - dt.timedelta(days=2),
            first_due - dt.timedelta(days=11),
        )
        paid = self.signed + self.days(3, (upper - self.signed).days)
        received = max(self.schedule_day, paid - self.days(1, 10))
        issued = max(self.schedule_day, received - self.days(0, 2))
        invoice = self.invoice(
            issued, received, deliverable.amount, deliverable.discount, [deliverable.id]
        )
        self.pay(invoice, paid, invoice.total)
        day = max(self.on_time(deliverable), paid + dt.timedelta(days=1))
        self.receive(deliverable, day, deliverable.quantity, deliverable.quantity, "accepted")

    def rescind(self) -> None:
        if self.rescission is None:
            return
        notice, answer, resolution = self.rescission
        self.add(
            "rescission",
            notice,
            {
                "stage": "notice",
                "date": notice.isoformat(),
                "cause": self.rng.choice(_RESCISSION_CAUSES),
            },
            self.document("Oficio de inicio del procedimiento de rescisión"),
        )
        self.add("rescission", answer, {"stage": "answer", "date": answer.isoformat()})
        payload: dict[str, Any] = {
            "stage": "resolution",
            "date": resolution.isoformat(),
            "supplier_answer_date": answer.isoformat(),
            "decision": "rescinded",
        }
        guarantee = self.guarantees.get("G-1")
        enforce = guarantee is not None and self.rng.random() < 0.5
        if enforce and guarantee is not None:
            payload["guarantee_enforced_amount"] = _plain(guarantee["amount"])
        self.add("rescission", resolution, payload, self.document("Resolución de rescisión"))
        if enforce and guarantee is not None:
            on = resolution + self.days(1, 10)
            self.add(
                "guarantee",
                on,
                {
                    "guarantee_id": "G-1",
                    "type": "performance",
                    "action": "enforcement",
                    "amount": _plain(guarantee["amount"]),
                    "date_received": on.isoformat(),
                },
            )
            guarantee["enforced"] = True
        else:
            self.closable = self.rng.random() < 0.5

    def terminate(self) -> None:
        if self.termination is not None:
            self.add("early_termination", _day(self.termination["date"]), self.termination)

    # --- closure

    def close(self) -> None:
        if not self.closable or "no_closure" in self.defects:
            return
        if any(d.mode == "missing" or d.pay_mode == "unpaid" for d in self.deliverables):
            return
        if any(not invoice.paid for invoice in self.invoices):
            return
        if self.ended_on is None and any(not self.delivered(d) for d in self.deliverables):
            return
        ended = self.ended_on or self.current_end
        last = max(e.day for e in self.events)
        limit = ended + dt.timedelta(days=self.regime.closure_days - 2)
        day = max(last + dt.timedelta(days=1), min(max(ended, last) + self.days(5, 25), limit))
        if day >= self.today:
            return
        released = min(day + self.days(0, 5), self.yesterday())
        # The guarantees still held are released with the finiquito.
        active = [g for g, facts in self.guarantees.items() if not facts.get("enforced")]
        settlement = self.settlement(day, released if "G-1" in active else None)
        self.add("closure", day, settlement, self.document("Acta de finiquito"))
        for guarantee_id in active:
            self.add(
                "guarantee",
                released,
                {
                    "guarantee_id": guarantee_id,
                    "type": "performance" if guarantee_id == "G-1" else "advance",
                    "action": "release",
                    "date_received": released.isoformat(),
                },
                self.document(f"Carta de liberación de la garantía {guarantee_id}"),
            )

    def delivered(self, deliverable: _Deliverable) -> bool:
        return any(
            e.kind == "delivery" and e.payload["deliverable_id"] == deliverable.id
            for e in self.events
        )

    def settlement(self, day: dt.date, released: dt.date | None) -> dict[str, Any]:
        accepted: dict[str, Decimal] = {}
        invoiced = paid = penalties = deductions = withheld = Decimal(0)
        for event in self.events:
            p = event.payload
            if event.kind == "delivery":
                accepted[p["deliverable_id"]] = accepted.get(p["deliverable_id"], Decimal(0)) + (
                    Decimal(p["quantity_accepted"])
                )
            elif event.kind == "invoice":
                invoiced += Decimal(p["total"])
            elif event.kind == "payment":
                paid += Decimal(p["amount"])
                withheld += Decimal(p.get("penalties_withheld", 0))
                withheld += Decimal(p.get("deductions_withheld", 0))
            elif event.kind == "penalty":
                penalties += Decimal(p["applied_amount"])
            elif event.kind == "deduction":
                deductions += Decimal(p["amount"])
        delivered = Decimal(0)
        for deliverable in self.deliverables:
            share = min(Decimal(1), accepted.get(deliverable.id, Decimal(0)) / deliverable.quantity)
            delivered += _money(deliverable.amount * share)
        balance = invoiced - paid - withheld
        payload: dict[str, Any] = {
            "date": day.isoformat(),
            "delivered_amount": _plain(delivered),
            "invoiced_amount": _plain(invoiced),
            "paid_amount": _plain(paid),
            "penalties_total": _plain(penalties),
            "deductions_total": _plain(deductions),
            "balance_owed_to_supplier": _plain(max(balance, Decimal(0))),
            "balance_owed_to_buyer": _plain(max(-balance, Decimal(0))),
        }
        if released is not None:
            payload["guarantee_release_date"] = released.isoformat()
        return payload

    # --- output

    def entries(self) -> list[PlannedEntry]:
        events = sorted(
            (e for e in self.events if e.day < self.today), key=lambda e: (e.day, e.order)
        )
        planned = []
        previous: dt.date | None = None
        minute = 0
        for event in events:
            # Office hours: the day's first fact by 10:30, the next ones 7–40 minutes apart.
            if event.day == previous:
                minute += self.rng.randint(7, 40)
            else:
                minute = self.rng.randint(0, 90)
            previous = event.day
            at = dt.time(9 + min(minute, 539) // 60, min(minute, 539) % 60)
            planned.append(
                PlannedEntry(
                    event.kind,
                    event.payload,
                    dt.datetime.combine(event.day, at, tzinfo=self.zone),
                    event.documents,
                )
            )
        return planned


# --- small helpers ------------------------------------------------------------------------


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    return format(value, "f")

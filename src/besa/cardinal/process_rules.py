"""Per-process rules: R003, R018, R028, R030, R035 and R036.

Each function looks at one contracting process and says whether it is flagged; none needs the
rest of the population, so these rules can also run on a single new release. Quirks of
Cardinal 0.0.8 are kept on purpose and marked "quirk".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from besa.cardinal.decode import Award, Bid, Tender, Value
from besa.cardinal.plan import Plan

#: chrono's ``parse_from_rfc3339``: a date, ``T`` (or ``t`` or a space), a time with seconds and
#: an offset that is ``Z`` or ``±hh:mm``.
_RFC3339 = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})\Z", re.ASCII
)
_NUMBER = (int, float)


def parse_rfc3339(text: object) -> datetime | None:
    """A strict RFC 3339 timestamp, or ``None`` (Cardinal then raises no flag)."""
    if type(text) is not str:
        return None
    size = len(text)
    # Fast path for the two usual shapes, "2020-01-01T00:00:00Z" and "…T00:00:00-05:00":
    # the separators are checked here and fromisoformat rejects anything but digits between.
    if (
        ((size == 20 and text[19] == "Z") or (size == 25 and text[22] == ":" and text[19] in "+-"))
        and text[10] == "T"
        and text[4] == "-"
        and text[7] == "-"
        and text[13] == ":"
        and text[16] == ":"
    ):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
    return _parse_rfc3339(text)


def _parse_rfc3339(text: str) -> datetime | None:
    match = _RFC3339.match(text)
    if match is None:
        return None
    day, clock, fraction, offset = match.groups()
    micro = ("." + (fraction + "00000")[:6]) if fraction else ""
    offset = "+00:00" if offset in ("Z", "z") else offset
    try:
        return datetime.fromisoformat(f"{day}T{clock}{micro}{offset}")
    except ValueError:
        return None


def whole_days(start: datetime, end: datetime) -> int:
    """``(end - start)`` in whole days, truncated toward zero (chrono ``num_days``)."""
    delta = end - start
    seconds = delta.days * 86400 + delta.seconds
    if seconds < 0 and delta.microseconds:
        seconds += 1  # chrono truncates the fractional second toward zero
    days = abs(seconds) // 86400
    return days if seconds >= 0 else -days


def r003(tender: Tender, plan: Plan) -> bool:
    """Short submission period: fewer whole days than the threshold for this procedure."""
    method = tender.procurementMethod
    if plan.r003_methods and not (type(method) is str and method in plan.r003_methods):
        return False
    period = tender.tenderPeriod
    if period is None:
        return False
    start = parse_rfc3339(period.startDate)
    end = parse_rfc3339(period.endDate)
    if start is None or end is None:
        return False
    threshold = plan.r003_threshold
    details = tender.procurementMethodDetails
    if plan.r003_details and type(details) is str:
        for key, value in plan.r003_details:
            if key == details:
                threshold = value
                break
    return whole_days(start, end) < threshold


def r018(tender: Tender, plan: Plan) -> bool:
    """Single bid received: ``numberOfTenderers`` is the integer 1 (not 1.0) in a listed method."""
    number = tender.numberOfTenderers
    method = tender.procurementMethod
    return (
        type(number) is int and number == 1 and type(method) is str and method in plan.r018_methods
    )


#: A bid whose status is a string other than invited or withdrawn, read once per process:
#: (status, tenderer ids that are strings, number of entries in ``tenderers``, value, date).
#: A plain tuple, not a NamedTuple: it is built for every bid and unpacked in every rule.
SubmittedBid = tuple[str, list[str], int, Value | None, object]


def submitted_bids(details: Sequence[Bid] | None) -> list[SubmittedBid]:
    """The submitted bids of a process, in array order (a bid without string status is ignored)."""
    if not details:
        return []
    rows = []
    for bid in details:
        status = bid.status
        if type(status) is str and status != "invited" and status != "withdrawn":
            tenderers = bid.tenderers
            if tenderers:
                if len(tenderers) == 1:  # the usual case, without a comprehension's frame
                    only = tenderers[0].id
                    ids = [only] if type(only) is str else []
                else:
                    ids = [t.id for t in tenderers if type(t.id) is str]
                rows.append((status, ids, len(tenderers), bid.value, bid.date))
            else:
                rows.append((status, [], 0, bid.value, bid.date))
    return rows


def r028(submitted: Sequence[SubmittedBid]) -> set[str]:
    """Identical bid prices: the tenderers involved (empty if the process is not flagged).

    Quirk: a price is compared only with the tenderer set stored **last** under it.
    """
    last: dict[tuple[float, object], frozenset[str]] = {}
    involved: set[str] = set()
    for _, ids, _, value, _ in submitted:
        if value is None or not ids or type(value.amount) not in _NUMBER:
            continue
        key = (float(value.amount), value.currency)
        current = frozenset(ids)
        previous = last.get(key)
        if previous is not None and previous != current:
            involved |= previous | current
        last[key] = current
    return involved


def active_supplier_ids(awards: Sequence[Award]) -> set[str]:
    """Supplier ids of the active awards."""
    ids: set[str] = set()
    for award in awards:
        if award.status == "active" and award.suppliers:
            ids.update(s.id for s in award.suppliers if type(s.id) is str)
    return ids


def r030(tender: Tender | None, submitted: Sequence[SubmittedBid], suppliers: set[str]) -> set[str]:
    """Late bid won: the active suppliers with a valid bid dated after the tender period end.

    Quirk: dates are compared as **strings**, as Cardinal does.
    """
    if not suppliers or tender is None or tender.tenderPeriod is None:
        return set()
    end = tender.tenderPeriod.endDate
    if type(end) is not str:
        return set()
    late: set[str] = set()
    for status, ids, _, _, date in submitted:
        if status == "valid" and type(date) is str and date > end:
            late.update(i for i in ids if i in suppliers)
    return late


def r035(
    submitted: Sequence[SubmittedBid], suppliers: set[str], threshold: int
) -> tuple[str, int] | None:
    """All except the winning bid disqualified: (winner, disqualified tenderers) if flagged.

    ``suppliers`` are the active awards' supplier ids; the caller has applied the
    all-awards-final gate.
    """
    valid: set[str] = set()
    disqualified: set[str] = set()
    for status, ids, _, _, _ in submitted:
        if status == "valid":
            valid.update(ids)
        elif status == "disqualified":
            disqualified.update(ids)
    if len(valid) != 1 or valid != suppliers:
        return None
    (winner,) = valid
    count = len(disqualified - valid)
    return (winner, count) if count >= threshold else None


def r036(submitted: Sequence[SubmittedBid], currency: str | None) -> bool:
    """Lowest bid disqualified. Quirk: on a tie the **first** bid in array order is the lowest."""
    lowest: str | None = None  # the status of the lowest bid so far
    lowest_amount = 0.0
    any_valid = False
    for status, _, _, value, _ in submitted:
        if value is None or type(value.amount) not in _NUMBER or value.currency != currency:
            continue
        amount = float(value.amount)
        if lowest is None or amount < lowest_amount:
            lowest, lowest_amount = status, amount
        if status == "valid":
            any_valid = True
    return lowest == "disqualified" and any_valid

"""The Corruption Risk Index (Fazekas et al.) and its Mexico components (peers.md §2.2).

The CRI of a subject is the **mean of its available 0–1 components**; a component that is
``None`` (not computable) is left out of the mean, never counted as 0. A CRI with no available
component is itself ``None``. Multi-level components are divided by their maximum level
(0/1/2 → 0/0.5/1). GTI's Mexico CRI is
``mean(singleb, corr_proc, corr_submp, corr_decp, corr_ben, nocft, proa_ycsh4)``; BESA adds the
execution-phase flags (``besa.risk.execution``), the supplier due-diligence flags and whether the
contract carries a high-severity BESA alert, as ProACT adds delivery delay and cost overrun.
Pure; ``docs/risk.md`` lists every component with its source and missing-value rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from besa.risk.flag import Flag, binary, missing

_CENT = Decimal("0.01")
#: Procedure type → risk level 0–2 (GTI Mexico: open = 0, invitation to three = 1, direct = 2).
PROCEDURE_LEVELS: Mapping[str, int] = {
    "licitacion_publica": 0,
    "subasta_inversa": 0,
    "dialogo_competitivo": 0,
    "invitacion_tres": 1,
    "adjudicacion_directa": 2,
    "adjudicacion_negociacion": 2,
}
#: OCDS ``tender.procurementMethod`` → the same levels, for imported processes.
METHOD_LEVELS: Mapping[str, int] = {"open": 0, "selective": 1, "limited": 2, "direct": 2}
#: Submission-period bands in days (GTI Mexico: ≥ 19 → 0, 7–18 → 1, ≤ 5 → 2). GTI's script
#: leaves 6 days unassigned; BESA puts it in the short band (documented in docs/risk.md).
SUBMISSION_LONG_DAYS = 19
SUBMISSION_SHORT_DAYS = 6
#: Decision-period bands in days: BESA defaults (GTI's regression bands for Mexico are not
#: public): ≤ 5 days → 2 (too fast to evaluate), 6–15 → 0, > 15 → 1 (long, room to negotiate).
DECISION_FAST_DAYS = 5
DECISION_SLOW_DAYS = 15
#: Periods outside (0, 365] days are data errors: the component is missing.
MAX_PERIOD_DAYS = 365
#: proa_ycsh4 is defined only for buyers with at least this many contracts in the year.
SHARE_MIN_CONTRACTS = 5
#: Benford's law needs more than this many amounts for one buyer.
BENFORD_MIN_AMOUNTS = 100
#: Nigrini's first-digit MAD bounds: ≤ 0.012 acceptable (0), ≤ 0.015 marginal (1), else 2.
BENFORD_ACCEPTABLE = 0.012
BENFORD_MARGINAL = 0.015


def _level(code: str, level: int, maximum: int, evidence: Mapping[str, object]) -> Flag:
    return Flag(code, level / maximum, {**evidence, "level": level})


def procedure(procedure_type: str) -> Flag:
    """corr_proc: the procedure type's risk level (registry codes or OCDS methods)."""
    level = PROCEDURE_LEVELS.get(procedure_type, METHOD_LEVELS.get(procedure_type))
    if level is None:
        return missing("PROC", f"unknown procedure type {procedure_type!r}")
    return _level("PROC", level, 2, {"procedure_type": procedure_type})


def no_call_for_tenders(procedure_type: str, published: bool | None = None) -> Flag:
    """nocft: no call for tenders was published. ``published`` when the data says so (OCDS
    tender notice or tender period); otherwise derived from the procedure: only the open
    procedures (licitación pública, subasta inversa, diálogo competitivo) publish one."""
    if published is None:
        level = PROCEDURE_LEVELS.get(procedure_type, METHOD_LEVELS.get(procedure_type))
        if level is None:
            return missing("NOCFT", f"unknown procedure type {procedure_type!r}")
        published = level == 0
        basis = "procedure type"
    else:
        basis = "published tender notice or period"
    return binary("NOCFT", not published, {"procedure_type": procedure_type, "basis": basis})


def single_bid(bids: int | None) -> Flag:
    """singleb: exactly one bid (or tenderer) was received. None when unknown."""
    if bids is None:
        return missing("SINGLEB", "number of bids unknown")
    if bids < 1:
        return missing("SINGLEB", "no bid recorded")
    return binary("SINGLEB", bids == 1, {"bids": bids})


def _period(code: str, days: int | None) -> Flag | None:
    if days is None:
        return missing(code, "dates missing")
    if days <= 0 or days > MAX_PERIOD_DAYS:
        return missing(code, f"{days} days is outside (0, {MAX_PERIOD_DAYS}]: a data error")
    return None


def submission_period(days: int | None) -> Flag:
    """corr_submp: days from the call for tenders to the bid deadline, banded."""
    if (gone := _period("SUBMP", days)) is not None:
        return gone
    assert days is not None
    level = 0 if days >= SUBMISSION_LONG_DAYS else 1 if days > SUBMISSION_SHORT_DAYS else 2
    return _level("SUBMP", level, 2, {"days": days})


def decision_period(days: int | None) -> Flag:
    """corr_decp: days from the bid deadline to the award, banded (too fast or too slow)."""
    if (gone := _period("DECP", days)) is not None:
        return gone
    assert days is not None
    level = 2 if days <= DECISION_FAST_DAYS else 1 if days > DECISION_SLOW_DAYS else 0
    return _level("DECP", level, 2, {"days": days})


def buyer_share(
    supplier_amount: Decimal, buyer_amount: Decimal, buyer_contracts: int, year: int
) -> Flag:
    """proa_ycsh4: the supplier's share of the buyer's spend in the year (0–1), for buyers
    with at least ``SHARE_MIN_CONTRACTS`` contracts that year."""
    if buyer_contracts < SHARE_MIN_CONTRACTS or buyer_amount <= 0:
        return missing(
            "SHARE", f"buyer has {buyer_contracts} contracts in {year} (< {SHARE_MIN_CONTRACTS})"
        )
    share = supplier_amount / buyer_amount
    return Flag(
        "SHARE",
        float(round(share, 4)),
        {
            "year": year,
            "supplier_amount": format(supplier_amount.quantize(_CENT), "f"),
            "buyer_amount": format(buyer_amount.quantize(_CENT), "f"),
            "buyer_contracts": buyer_contracts,
        },
    )


def benford(amounts: Sequence[Decimal]) -> Flag:
    """corr_ben: how far a buyer's contract amounts stray from Benford's first-digit law,
    as Nigrini's mean absolute deviation (MAD), banded 0/1/2."""
    digits = [int(str(a.normalize()).lstrip("0.")[0]) for a in amounts if a > 0]
    if len(digits) <= BENFORD_MIN_AMOUNTS:
        return missing("BENFORD", f"{len(digits)} amounts (needs > {BENFORD_MIN_AMOUNTS})")
    n = len(digits)
    mad = sum(abs(digits.count(d) / n - math.log10(1 + 1 / d)) for d in range(1, 10)) / 9
    level = 0 if mad <= BENFORD_ACCEPTABLE else 1 if mad <= BENFORD_MARGINAL else 2
    return _level("BENFORD", level, 2, {"amounts": n, "mad": round(mad, 5)})


def index(components: Iterable[Flag], code: str = "CRI") -> Flag:
    """The CRI: the mean of the available components' values; None when none is available.

    The evidence lists the components used (code → value) and the missing ones (code →
    reason), so that the score can always be retraced.
    """
    used: dict[str, float] = {}
    absent: dict[str, object] = {}
    for flag in components:
        if flag.value is None:
            absent[flag.code] = flag.evidence.get("missing", "not computable")
        else:
            used[flag.code] = flag.value
    if not used:
        return Flag(code, None, {"components": used, "missing": absent})
    value = sum(used.values()) / len(used)
    return Flag(code, round(value, 4), {"components": used, "missing": absent})


def mean_of(code: str, values: Iterable[float | None]) -> Flag:
    """An aggregate CRI (buyer, supplier): the mean of its contracts' CRIs, missing excluded."""
    known = [v for v in values if v is not None]
    if not known:
        return missing(code, "no contract with a computable CRI")
    return Flag(code, round(sum(known) / len(known), 4), {"contracts": len(known)})

"""Audit selection: contracts, buyers and suppliers ranked by risk, each score explained.

Pure. Inputs are plain rows (one per contract: its components and CRI; supplier-level flags
by RFC), outputs ``Ranked`` items carrying the score and its explanation: which flags were
raised, with which figures and against which fence, and which components were missing.

- **Contract**: its CRI.
- **Buyer** (institution): the mean CRI of its contracts in the selection; the explanation
  counts, per flag, how many contracts raised it, and names the riskiest contracts.
- **Supplier**: the CRI of its supplier-level components: the mean CRI of its contracts
  (``CONTRACTS``), newly created (``NEW_COMPANY``), on a SAT/sanctions list (``LISTED``),
  linked to other suppliers (``NETWORK``); missing components are left out.

Ties are broken by amount (larger first) and then by key, so a ranking is deterministic.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from besa.risk import cri
from besa.risk.flag import Flag


@dataclass(frozen=True)
class ContractRow:
    """What the ranking knows about one contract (from a run or computed live)."""

    ocid: str
    label: str
    institution: str
    institution_name: str
    suppliers: Sequence[tuple[str, str]]  #: (RFC, name)
    amount: Decimal
    signed_on: str | None
    components: Sequence[Flag]
    score: Flag


@dataclass
class Ranked:
    kind: str
    key: str
    label: str
    score: float | None
    amount: Decimal
    institution: str = ""
    #: raised components: code, value, evidence, fence (or counts, for aggregates)
    explanation: list[dict[str, Any]] = field(default_factory=list)
    missing: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def explain(components: Iterable[Flag]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The raised components (highest first) and the missing ones with their reason."""
    raised = sorted((f for f in components if f.raised), key=lambda f: (-(f.value or 0), f.code))
    absent = {f.code: f.evidence.get("missing", "") for f in components if f.value is None}
    return [f.as_json() for f in raised], absent


def _order(items: list[Ranked]) -> list[Ranked]:
    return sorted(
        items,
        key=lambda r: (r.score is None, -(r.score or 0.0), -r.amount, r.key),
    )


def contracts(rows: Iterable[ContractRow]) -> list[Ranked]:
    """Contracts by CRI, riskiest first; contracts with no computable CRI last."""
    items = []
    for row in rows:
        explanation, absent = explain(row.components)
        items.append(
            Ranked(
                "contract",
                row.ocid,
                row.label,
                row.score.value,
                row.amount,
                row.institution,
                explanation,
                absent,
                {"signed_on": row.signed_on, "suppliers": [list(s) for s in row.suppliers]},
            )
        )
    return _order(items)


def buyers(rows: Iterable[ContractRow], top: int = 3) -> list[Ranked]:
    """Institutions by the mean CRI of their contracts (missing CRIs excluded)."""
    groups: dict[str, list[ContractRow]] = defaultdict(list)
    for row in rows:
        groups[row.institution].append(row)
    items = []
    for code, members in groups.items():
        score = cri.mean_of("CRI", (m.score.value for m in members))
        raised: Counter[str] = Counter(f.code for m in members for f in m.components if f.raised)
        riskiest = sorted(
            (m for m in members if m.score.value is not None),
            key=lambda m: (-(m.score.value or 0.0), m.ocid),
        )[:top]
        items.append(
            Ranked(
                "buyer",
                code,
                members[0].institution_name,
                score.value,
                sum((m.amount for m in members), Decimal(0)),
                code,
                [
                    {"code": flag, "contracts": n, "of": len(members)}
                    for flag, n in sorted(raised.items(), key=lambda kv: (-kv[1], kv[0]))
                ],
                {},
                {
                    "contracts": len(members),
                    "riskiest": [{"ocid": m.ocid, "cri": m.score.value} for m in riskiest],
                },
            )
        )
    return _order(items)


def suppliers(
    rows: Iterable[ContractRow], supplier_flags: Mapping[str, Sequence[Flag]]
) -> list[Ranked]:
    """Suppliers by the CRI of their supplier-level components (see the module docstring).

    Only suppliers with a contract among ``rows`` are ranked; ``supplier_flags`` maps an RFC
    to its NEW_COMPANY, LISTED and NETWORK flags.
    """
    groups: dict[str, list[ContractRow]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in rows:
        for rfc, name in row.suppliers:
            groups[rfc].append(row)
            names.setdefault(rfc, name)
    items = []
    for rfc, members in groups.items():
        contracts_cri = cri.mean_of("CONTRACTS", (m.score.value for m in members))
        components = [contracts_cri, *supplier_flags.get(rfc, ())]
        score = cri.index(components)
        explanation, absent = explain(components)
        items.append(
            Ranked(
                "supplier",
                rfc,
                names[rfc],
                score.value,
                sum((m.amount for m in members), Decimal(0)),
                "",
                explanation,
                absent,
                {
                    "contracts": len(members),
                    "institutions": sorted({m.institution for m in members}),
                },
            )
        )
    return _order(items)

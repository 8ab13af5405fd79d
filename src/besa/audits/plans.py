"""Audit plans: choose what to audit from the risk ranking, within a capacity, keeping the
reasons (the method: the ranking and its minimum score; for each contract, the flags that
raised its score), and say what the plan covers and what it leaves.

``propose`` reads; ``create_plan`` writes the plan and opens one case per selected contract
(``besa.audits.cases.open_case`` with source ``plan``), in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from besa.audits import cases
from besa.audits.models import AuditPlan, PlanItem
from besa.exceptions import InvalidInput, PermissionDenied
from besa.registry.models import Contract
from besa.risk import queries
from besa.risk.access import audience_of


@dataclass
class Candidate:
    ocid: str
    label: str
    institution: str
    score: float | None
    amount: Decimal
    reasons: list[str]
    selected: bool = False


@dataclass
class Proposal:
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def selected(self) -> list[Candidate]:
        return [c for c in self.candidates if c.selected]

    @property
    def left(self) -> list[Candidate]:
        return [c for c in self.candidates if not c.selected]

    def risk(self, chosen: bool) -> float:
        return round(sum(c.score or 0.0 for c in self.candidates if c.selected == chosen), 3)

    def amount(self, chosen: bool) -> Decimal:
        return sum((c.amount for c in self.candidates if c.selected == chosen), Decimal(0))


def _check(user: Any) -> None:
    if not user.is_overseer:
        raise PermissionDenied("solo el área fiscalizadora / oversight only")


def propose(user: Any, *, capacity: int, min_score: float, institution: str = "") -> Proposal:
    """The contracts of the latest risk ranking ``user`` may see with a score at or above
    ``min_score`` (riskiest first), the first ``capacity`` of them selected."""
    _check(user)
    if capacity < 1 or capacity > 500:
        raise InvalidInput("capacity", "de 1 a 500 / 1 to 500")
    if not 0 <= min_score <= 1:
        raise InvalidInput("min_score", "de 0 a 1 / 0 to 1")
    ranking = queries.ranking_for(
        audience_of(user), queries.Filters(kind="contratos", institution=institution)
    )
    proposal = Proposal()
    for item in ranking.items:
        if item.score is None or item.score < min_score:
            continue
        reasons = [str(e.get("code", "")) for e in item.explanation if e.get("code")]
        proposal.candidates.append(
            Candidate(item.key, item.label, item.institution, item.score, item.amount, reasons)
        )
    for candidate in proposal.candidates[:capacity]:
        candidate.selected = True
    return proposal


def create_plan(
    user: Any,
    *,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    capacity: int,
    min_score: float,
    institution: str = "",
) -> AuditPlan:
    """Write the plan with every candidate (selected or left) and open a case (draft) for
    each selected contract. Raises ``InvalidInput`` naming the field; writes nothing then."""
    title = (title or "").strip()
    if not title:
        raise InvalidInput("title", "obligatorio / required")
    if period_end < period_start:
        raise InvalidInput("period_end", "antes del inicio / before the start")
    proposal = propose(user, capacity=capacity, min_score=min_score, institution=institution)
    if not proposal.selected:
        raise InvalidInput(
            "min_score", "ningún contrato alcanza ese riesgo / no contract that risky"
        )
    now = timezone.now()
    by_ocid = {
        c.ocid: c
        for c in Contract.objects.filter(
            ocid__in=[c.ocid for c in proposal.candidates]
        ).select_related("buying_unit__institution", "state")
    }
    with transaction.atomic():
        plan = AuditPlan.objects.create(
            title=title,
            period_start=period_start,
            period_end=period_end,
            capacity=capacity,
            method={"ranking": "contratos", "min_score": min_score, "institution": institution},
            created_by=user,
            created_at=now,
        )
        for candidate in proposal.candidates:
            contract = by_ocid.get(candidate.ocid)
            if contract is None:
                continue
            case = None
            if candidate.selected:
                case = cases.open_case(
                    opened_by=user,
                    institution=contract.buying_unit.institution,
                    contracts=[contract],
                    source="plan",
                    source_reference=f"{plan.title} ({plan.id})",
                    title=f"{contract.number}: {contract.title}"[:300],
                    reason=_reason(candidate),
                    plan=plan,
                    now=now,
                )
            PlanItem.objects.create(
                plan=plan,
                contract=contract,
                institution=contract.buying_unit.institution,
                score=candidate.score,
                amount=candidate.amount,
                reasons=candidate.reasons,
                selected=candidate.selected,
                case=case,
            )
    return plan


def _reason(candidate: Candidate) -> str:
    flags = ", ".join(candidate.reasons) or "—"
    return f"Riesgo {candidate.score:.2f} (indicadores: {flags}) / risk {candidate.score:.2f}"

"""Audit plans: choose what to audit from the risk ranking, within a capacity, keeping the
reasons, and say what the plan covers and what it leaves. The method: the ranking, its
minimum score and the indicators that must be raised (for each contract, the flags that raised
its score are kept); the subject: an institution, a buying unit, a supplier; the object: the
contracts selected and the stages each case examines (``Scope``).

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
from besa.registry.models import BuyingUnit, Contract, Supplier
from besa.risk import queries
from besa.risk.access import audience_of
from besa.risk.words import INDICATORS


@dataclass(frozen=True)
class Scope:
    """Whom and what a plan audits, beyond the score. The subject: ``institution`` and
    ``buying_unit`` (codes) and ``supplier`` (RFC), each empty for any; the method:
    ``indicators``, codes of which a contract must raise at least one (empty: any); the
    object: ``stages`` each case examines (``besa.audits.models.Stage``; empty: all)."""

    institution: str = ""
    buying_unit: str = ""
    supplier: str = ""
    indicators: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()

    def checked(self) -> Scope:
        """The same scope, normalised; ``InvalidInput`` naming the field for an unknown
        buying unit, supplier, indicator or stage."""
        unit = self.buying_unit.strip().upper()
        if unit and not BuyingUnit.objects.filter(code=unit).exists():
            raise InvalidInput("buying_unit", f"no existe / unknown: {unit}")
        rfc = self.supplier.strip().upper()
        if rfc and not Supplier.objects.filter(rfc=rfc).exists():
            raise InvalidInput("supplier", f"ningún proveedor con ese RFC / no such RFC: {rfc}")
        unknown = sorted(set(self.indicators) - set(INDICATORS))
        if unknown:
            raise InvalidInput("indicators", f"desconocido / unknown: {', '.join(unknown)}")
        return Scope(
            institution=self.institution.strip().upper(),
            buying_unit=unit,
            supplier=rfc,
            indicators=tuple(sorted(set(self.indicators))),
            stages=tuple(cases.checked_stages(self.stages)),
        )

    def as_method(self) -> dict[str, Any]:
        """What the plan keeps of it (``AuditPlan.method``): only what narrows the choice."""
        found = {
            "institution": self.institution,
            "buying_unit": self.buying_unit,
            "supplier": self.supplier,
            "indicators": list(self.indicators),
            "stages": list(self.stages),
        }
        return {k: v for k, v in found.items() if v}


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
    scope: Scope = field(default_factory=Scope)
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


def propose(user: Any, *, capacity: int, min_score: float, scope: Scope | None = None) -> Proposal:
    """The contracts of the latest risk ranking ``user`` may see with a score at or above
    ``min_score`` that fall within ``scope`` (riskiest first), the first ``capacity`` of them
    selected."""
    _check(user)
    if capacity < 1 or capacity > 500:
        raise InvalidInput("capacity", "de 1 a 500 / 1 to 500")
    if not 0 <= min_score <= 1:
        raise InvalidInput("min_score", "de 0 a 1 / 0 to 1")
    scope = (scope or Scope()).checked()
    ranking = queries.ranking_for(
        audience_of(user), queries.Filters(kind="contratos", institution=scope.institution)
    )
    items = [i for i in ranking.items if i.score is not None and i.score >= min_score]
    if scope.buying_unit or scope.supplier:
        # One query for the subject: which of the ranked contracts are the unit's or the
        # supplier's (the ranking's items carry neither).
        of_subject = Contract.objects.filter(ocid__in=[i.key for i in items])
        if scope.buying_unit:
            of_subject = of_subject.filter(buying_unit__code=scope.buying_unit)
        if scope.supplier:
            of_subject = of_subject.filter(suppliers__rfc=scope.supplier)
        keep = set(of_subject.values_list("ocid", flat=True))
        items = [i for i in items if i.key in keep]
    proposal = Proposal(scope=scope)
    for item in items:
        reasons = [str(e.get("code", "")) for e in item.explanation if e.get("code")]
        if scope.indicators and not set(reasons) & set(scope.indicators):
            continue
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
    scope: Scope | None = None,
) -> AuditPlan:
    """Write the plan with every candidate (selected or left) and open a case (draft) for
    each selected contract. Raises ``InvalidInput`` naming the field; writes nothing then."""
    title = (title or "").strip()
    if not title:
        raise InvalidInput("title", "obligatorio / required")
    if period_end < period_start:
        raise InvalidInput("period_end", "antes del inicio / before the start")
    proposal = propose(user, capacity=capacity, min_score=min_score, scope=scope)
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
            method={"ranking": "contratos", "min_score": min_score, **proposal.scope.as_method()},
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
                    stages=proposal.scope.stages,
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

"""Reading data gaps under the registry's role scoping: per contract, and the completeness
rate per institution.

A contract is *complete* when it has no open data gap (``DataGap`` with no ``closed_at``);
an institution's completeness rate is its complete contracts over all its contracts the
reader may see (registered by hand or imported), so a unit that completes what its imports
lacked raises its rate to 100 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from besa.alerts import gaps
from besa.alerts.models import DataGap
from besa.registry.models import Contract, Institution


def open_gaps(contract: Contract) -> list[gaps.Gap]:
    """The contract's open data gaps, as ``besa.alerts.gaps.Gap`` (for the import report)."""
    return [as_gap(row) for row in DataGap.objects.filter(contract=contract, closed_at=None)]


def as_gap(row: DataGap) -> gaps.Gap:
    return gaps.Gap(
        row.item, row.subject, row.kind, tuple(row.rules.split(",")), row.due_on, row.overdue
    )


def visible_gaps(
    user: Any, *, institution: str | None = None, overdue: bool | None = None
) -> QuerySet[DataGap]:
    """Open data gaps on contracts ``user`` may read, grouped by institution and contract
    (by number), each contract's soonest deadline first."""
    rows = DataGap.objects.filter(
        closed_at=None, contract__in=Contract.objects.visible_to(user)
    ).select_related("contract__buying_unit__institution")
    if institution:
        rows = rows.filter(contract__buying_unit__institution__code=institution)
    if overdue is not None:
        rows = rows.filter(overdue=overdue)
    return rows.order_by(
        "contract__buying_unit__institution__code",
        "contract__number",
        "contract_id",
        "due_on",
        "item",
        "subject",
    )


@dataclass(frozen=True)
class Completeness:
    """One institution's figures: contracts, those with an open gap, open and overdue gaps."""

    institution: Institution
    contracts: int
    incomplete: int
    open_gaps: int
    overdue_gaps: int

    @property
    def rate(self) -> Decimal:
        """Complete contracts over all, in percent with one decimal (100 with none)."""
        if not self.contracts:
            return Decimal(100)
        share = Decimal(self.contracts - self.incomplete) * 100 / self.contracts
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def completeness(user: Any, *, institution: str | None = None) -> list[Completeness]:
    """Each institution in ``user``'s scope with its completeness figures (two queries)."""
    open_rows = DataGap.objects.filter(contract=OuterRef("pk"), closed_at=None)
    contracts = Contract.objects.visible_to(user).annotate(incomplete=Exists(open_rows))
    if institution:
        contracts = contracts.filter(buying_unit__institution__code=institution)
    per = {
        row["buying_unit__institution"]: row
        for row in contracts.values("buying_unit__institution").annotate(
            total=Count("pk"), incomplete_count=Count("pk", filter=Q(incomplete=True))
        )
    }
    gap_counts = {
        row["contract__buying_unit__institution"]: row
        for row in DataGap.objects.filter(closed_at=None, contract__in=contracts.values("pk"))
        .values("contract__buying_unit__institution")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(overdue=True)))
    }
    result = []
    for inst in Institution.objects.filter(pk__in=per).order_by("code"):
        counts = gap_counts.get(inst.pk, {})
        result.append(
            Completeness(
                inst,
                per[inst.pk]["total"],
                per[inst.pk]["incomplete_count"],
                counts.get("open", 0),
                counts.get("overdue", 0),
            )
        )
    return result

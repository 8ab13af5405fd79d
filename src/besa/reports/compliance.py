"""Report (c): registration compliance — contracts registered and registered late, by
institution, and how late (business days past the deadline, from rule A01's evidence).

Public: aggregates only. Contracts published in CompraNet but never registered are not
counted here yet: the reconciliation with CompraNet (issue 12 item 5, A01 "not registered")
is another branch's; this report reads only A01's late-registration alerts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from besa.alerts.models import Alert
from besa.registry.models import ContractQuerySet
from besa.reports.tables import Column, Report, Table

SLUG = "registro"
RULE = "A01"
#: Lateness buckets in business days past the deadline.
LATENESS = ((5, _("1 a 5 días hábiles")), (20, _("6 a 20 días hábiles")))
LATEST = _("Más de 20 días hábiles")


def build(contracts: ContractQuerySet, as_of: dt.datetime) -> Report:
    per: dict[str, dict[str, Any]] = defaultdict(lambda: {"registered": 0, "late": 0, "days": []})
    for name in contracts.values_list("buying_unit__institution__name", flat=True).iterator(2000):
        per[name]["registered"] += 1
    late = (
        Alert.objects.filter(contract__in=contracts.values("pk"), rule=RULE, subject="contract")
        .values_list("contract_id", "institution__name", "evidence")
        .order_by("contract_id", "-opened_at")
    )
    seen: set[Any] = set()
    buckets: dict[int, int] = defaultdict(int)
    for contract_id, name, evidence in late.iterator(2000):
        if contract_id in seen:  # a contract registered late counts once
            continue
        seen.add(contract_id)
        days = int((evidence or {}).get("business_days_late") or 0)
        per[name]["late"] += 1
        per[name]["days"].append(days)
        buckets[next((i for i, (d, _w) in enumerate(LATENESS) if days <= d), len(LATENESS))] += 1

    def share(row: dict[str, Any]) -> Decimal | None:
        if not row["registered"]:
            return None
        return (Decimal(row["late"] * 100) / row["registered"]).quantize(Decimal("0.1"))

    def mean(days: list[int]) -> Decimal | None:
        return (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None

    names = sorted(per, key=lambda n: (-per[n]["late"], n))
    return Report(
        slug=SLUG,
        title=_("Cumplimiento del registro"),
        public=True,
        as_of=as_of,
        tables=[
            Table(
                "institution",
                _("Registro a tiempo y extemporáneo por institución"),
                [
                    Column("label", _("Institución")),
                    Column("registered", _("Contratos registrados"), "int", summed=True),
                    Column("late", _("Registrados tarde"), "int", summed=True),
                    Column("share", _("Registrados tarde (%)"), "percent"),
                    Column("days", _("Días hábiles de retraso (media)"), "days"),
                ],
                [
                    {
                        "key": n,
                        "label": n,
                        "registered": per[n]["registered"],
                        "late": per[n]["late"],
                        "share": share(per[n]),
                        "days": mean(per[n]["days"]),
                    }
                    for n in names
                ],
                chart=("label", "late"),
                note=_(
                    "Los contratos publicados en CompraNet y nunca registrados no se cuentan "
                    "todavía aquí."
                ),
            ),
            Table(
                "lateness",
                _("Retraso de los registros extemporáneos"),
                [
                    Column("label", _("Retraso")),
                    Column("late", _("Registrados tarde"), "int", summed=True),
                ],
                [
                    {"key": str(i), "label": label, "late": buckets.get(i, 0)}
                    for i, label in enumerate([*(w for _d, w in LATENESS), LATEST])
                ],
                chart=("label", "late"),
            ),
        ],
    )

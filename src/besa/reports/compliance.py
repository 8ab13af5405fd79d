"""Report (c): registration compliance by institution — contracts published in
CompraNet/ComprasMX against those registered or confirmed in BESA (the reconciliation of
``besa.alerts.reconciliation``: registered here, published and confirmed, published and
pending, published and past the deadline unregistered — A01 "not registered"), and the
contracts registered late with how late (business days past the deadline, from A01's
evidence). Public: aggregates only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from besa.alerts import reconciliation
from besa.alerts.models import Alert
from besa.registry.models import Contract
from besa.reports.filters import ReportFilters
from besa.reports.tables import Column, Report, Table, bucket, bucket_rows

SLUG = "registro"
RULE = "A01"
#: Lateness buckets in business days past the deadline.
LATENESS = ((5, _("1 a 5 días hábiles")), (20, _("6 a 20 días hábiles")))
LATEST = _("Más de 20 días hábiles")


COUNTED = ("total", "registered", "published", "confirmed", "pending", "not_registered", "late")


def build(user: Any, filters: ReportFilters, as_of: dt.datetime) -> Report:
    """The report over the contracts ``user`` may read, narrowed by ``filters``."""
    per: dict[str, dict[str, Any]] = defaultdict(lambda: dict.fromkeys(COUNTED, 0) | {"days": []})
    reconciled = filters.contracts(reconciliation.contracts(user))
    for counts in reconciliation.counts(reconciled):
        per[counts.institution.name].update(
            total=counts.total,
            registered=counts.registered,
            published=counts.published,
            confirmed=counts.confirmed,
            pending=counts.pending,
            not_registered=counts.not_registered,
        )
    contracts = filters.contracts(Contract.objects.visible_to(user))
    late = (
        Alert.objects.filter(contract__in=contracts.values("pk"), rule=RULE, subject="contract")
        .values_list("contract_id", "institution__name", "evidence")
        .order_by("contract_id", "-opened_at")
    )
    seen: set[Any] = set()
    buckets: dict[int, int] = defaultdict(int)
    for contract_id, name, evidence in late.iterator(2000):
        if (evidence or {}).get("problem") == "not_registered":
            continue  # counted as published and not registered, above
        if contract_id in seen:  # a contract registered late counts once
            continue
        seen.add(contract_id)
        days = int((evidence or {}).get("business_days_late") or 0)
        per[name]["late"] += 1
        per[name]["days"].append(days)
        buckets[bucket(days, LATENESS)] += 1

    def share(row: dict[str, Any]) -> Decimal | None:
        in_besa = row["registered"] + row["confirmed"]
        if not in_besa:
            return None
        return (Decimal(row["late"] * 100) / in_besa).quantize(Decimal("0.1"))

    def mean(days: list[int]) -> Decimal | None:
        return (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None

    names = sorted(per, key=lambda n: (-per[n]["not_registered"], -per[n]["late"], n))
    return Report(
        slug=SLUG,
        title=_("Cumplimiento del registro"),
        public=True,
        as_of=as_of,
        tables=[
            Table(
                "institution",
                _("Publicados y registrados por institución"),
                [
                    Column("label", _("Institución")),
                    Column("total", _("Contratos"), "int", summed=True),
                    Column("registered", _("Registrados en BESA"), "int", summed=True),
                    Column("published", _("Publicados en CompraNet"), "int", summed=True),
                    Column("confirmed", _("Publicados y confirmados"), "int", summed=True),
                    Column("pending", _("Publicados, en plazo"), "int", summed=True),
                    Column("not_registered", _("Publicados sin registrar"), "int", summed=True),
                    Column("late", _("Registrados tarde"), "int", summed=True),
                    Column("share", _("Registrados tarde (%)"), "percent"),
                    Column("days", _("Días hábiles de retraso (media)"), "days"),
                ],
                [
                    {
                        "key": n,
                        "label": n,
                        **{k: v for k, v in per[n].items() if k != "days"},
                        "share": share(per[n]),
                        "days": mean(per[n]["days"]),
                    }
                    for n in names
                ],
                chart=("label", "not_registered"),
                note=_(
                    "Publicados sin registrar: publicados en CompraNet o ComprasMX, sin "
                    "confirmar por su unidad compradora y vencido el plazo de registro."
                ),
            ),
            Table(
                "lateness",
                _("Retraso de los registros extemporáneos"),
                [
                    Column("label", _("Retraso")),
                    Column("late", _("Registrados tarde"), "int", summed=True),
                ],
                bucket_rows(LATENESS, LATEST, buckets, "late"),
                chart=("label", "late"),
            ),
        ],
    )

"""Report (e): the suppliers with most alerts on the reader's contracts. Not public: it names
suppliers, some of them natural persons."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from besa.alerts.models import ACTIVE_STATES
from besa.registry.models import ContractQuerySet, Supplier
from besa.reports.tables import Column, Report, Table

SLUG = "proveedores"
SHOWN = 50


def build(contracts: ContractQuerySet, as_of: dt.datetime) -> Report:
    scope = Q(contracts__in=contracts.values("pk"))
    alerts_in_scope = Q(contracts__alerts__contract__in=contracts.values("pk"))
    found = (
        Supplier.objects.filter(scope)
        .annotate(
            alerts=Count("contracts__alerts", filter=alerts_in_scope, distinct=True),
            high=Count(
                "contracts__alerts",
                filter=alerts_in_scope & Q(contracts__alerts__severity="H"),
                distinct=True,
            ),
            active=Count(
                "contracts__alerts",
                filter=alerts_in_scope & Q(contracts__alerts__state__in=ACTIVE_STATES),
                distinct=True,
            ),
            contract_count=Count("contracts", distinct=True),
        )
        .filter(alerts__gt=0)
        .order_by("-alerts", "-high", "name")[:SHOWN]
    )
    rows = [
        {
            "key": s.rfc,
            "label": s.name,
            "rfc": s.rfc,
            "contracts": s.contract_count,
            "alerts": s.alerts,
            "high": s.high,
            "active": s.active,
        }
        for s in found
    ]
    return Report(
        slug=SLUG,
        title=_("Proveedores con más alertas"),
        as_of=as_of,
        tables=[
            Table(
                "suppliers",
                _("Proveedores con más alertas"),
                [
                    Column("label", _("Proveedor")),
                    Column("rfc", _("RFC")),
                    Column("contracts", _("Contratos"), "int"),
                    Column("alerts", _("Alertas"), "int", summed=True),
                    Column("high", _("De severidad alta"), "int", summed=True),
                    Column("active", _("Por atender"), "int", summed=True),
                ],
                rows,
                chart=("label", "alerts"),
            )
        ],
    )

"""Report (b): alerts by rule, severity, institution, state and age, with the mean time to
attend (opened → first move out of ``open``) and to resolve (opened → closed), in days.

Only alerts of the contracts the reader may see. Not public: an alert names a contract
before oversight has judged it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from besa.alerts.models import ACTIVE_STATES, Alert, AlertEvent, AlertState
from besa.alerts.words import rule_name
from besa.registry.models import ContractQuerySet
from besa.reports.tables import Column, Report, Table, bucket, bucket_rows

SLUG = "alertas"
SEVERITIES = {"H": _("Alta"), "M": _("Media"), "L": _("Baja")}
#: Age buckets of alerts still asking someone to act, in days since they opened.
AGES = ((7, _("Hasta 7 días")), (30, _("8 a 30 días")), (90, _("31 a 90 días")))
OLDER = _("Más de 90 días")


def _days(delta: dt.timedelta) -> Decimal:
    return Decimal(delta.total_seconds() / 86400).quantize(Decimal("0.1"))


def _mean(values: list[Decimal]) -> Decimal | None:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1")) if values else None


def build(contracts: ContractQuerySet, as_of: dt.datetime, language: str = "es") -> Report:
    alerts = Alert.objects.filter(contract__in=contracts.values("pk"))
    attended = dict(
        AlertEvent.objects.filter(alert__in=alerts.values("pk"))
        .exclude(to_state="")
        .exclude(to_state=AlertState.OPEN)
        .values("alert_id")
        .annotate(first=Min("at"))
        .values_list("alert_id", "first")
    )
    states = dict(AlertState.choices)
    groups: dict[str, dict[Any, dict[str, Any]]] = defaultdict(dict)
    ages: dict[int, int] = defaultdict(int)
    institutions: dict[Any, str] = {}
    rows = alerts.values_list(
        "id",
        "rule",
        "severity",
        "state",
        "institution_id",
        "institution__name",
        "opened_at",
        "closed_at",
    )
    for pk, rule, severity, state, inst, inst_name, opened, closed in rows.iterator(2000):
        institutions[inst] = inst_name
        for dimension, key in (
            ("rule", rule),
            ("severity", severity),
            ("institution", inst),
            ("state", state),
        ):
            group = groups[dimension].setdefault(
                key, {"alerts": 0, "active": 0, "attend": [], "resolve": []}
            )
            group["alerts"] += 1
            group["active"] += state in ACTIVE_STATES
            if pk in attended:
                group["attend"].append(_days(attended[pk] - opened))
            if closed is not None:
                group["resolve"].append(_days(closed - opened))
        if state in ACTIVE_STATES:
            ages[bucket((as_of - opened).days, AGES)] += 1

    words = {
        "rule": lambda k: f"{rule_name(k, language)} ({k})",
        "severity": lambda k: SEVERITIES.get(k, k),
        "institution": lambda k: institutions.get(k, str(k)),
        "state": lambda k: states.get(k, k),
    }
    columns_for = [
        Column("alerts", _("Alertas"), "int", summed=True),
        Column("active", _("Por atender"), "int", summed=True),
        Column("attend", _("Días para atender (media)"), "days"),
        Column("resolve", _("Días para cerrar (media)"), "days"),
    ]

    def table(dimension: str, title: Any, label: Any) -> Table:
        found = groups[dimension]
        keys = sorted(found, key=lambda k: (-found[k]["alerts"], str(k)))
        rows = [
            {
                "key": str(k),
                "label": words[dimension](k),
                "alerts": found[k]["alerts"],
                "active": found[k]["active"],
                "attend": _mean(found[k]["attend"]),
                "resolve": _mean(found[k]["resolve"]),
            }
            for k in keys
        ]
        return Table(
            dimension,
            title,
            [Column("label", label), *columns_for],
            rows,
            chart=("label", "alerts"),
        )

    return Report(
        slug=SLUG,
        title=_("Alertas"),
        as_of=as_of,
        tables=[
            table("rule", _("Por regla"), _("Regla")),
            table("severity", _("Por severidad"), _("Severidad")),
            table("institution", _("Por institución"), _("Institución")),
            table("state", _("Por estado"), _("Estado")),
            Table(
                "age",
                _("Antigüedad de las alertas por atender"),
                [
                    Column("label", _("Antigüedad")),
                    Column("alerts", _("Alertas"), "int", summed=True),
                ],
                bucket_rows(AGES, OLDER, ages, "alerts"),
                chart=("label", "alerts"),
            ),
        ],
    )

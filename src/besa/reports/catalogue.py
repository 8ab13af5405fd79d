"""The standard reports by URL slug: title, whether it is public, and how to build it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from besa.registry.models import ContractQuerySet
from besa.reports import alerts, compliance, contracts, execution, suppliers
from besa.reports.tables import Report


@dataclass(frozen=True)
class Entry:
    slug: str
    title: Any
    description: Any
    #: Aggregates only, no personal data: anonymous citizens may read it.
    public: bool
    build: Callable[[ContractQuerySet, dt.datetime, str], Report]


REPORTS: dict[str, Entry] = {
    e.slug: e
    for e in (
        Entry(
            contracts.SLUG,
            _("Contratos e importes"),
            _("Por institución, tipo de procedimiento, tipo de contratación, moneda y mes."),
            True,
            lambda qs, now, lang: contracts.build(qs, now),
        ),
        Entry(
            alerts.SLUG,
            _("Alertas"),
            _("Por regla, severidad, institución, estado y antigüedad; tiempos de atención."),
            False,
            alerts.build,
        ),
        Entry(
            compliance.SLUG,
            _("Cumplimiento del registro"),
            _("Contratos registrados a tiempo y tarde, por institución; días de retraso."),
            True,
            lambda qs, now, lang: compliance.build(qs, now),
        ),
        Entry(
            execution.SLUG,
            _("Ejecución de los contratos"),
            _("Días de pago, penas calculadas y aplicadas, garantías, convenios, rescisiones."),
            True,
            lambda qs, now, lang: execution.build(qs, now),
        ),
        Entry(
            suppliers.SLUG,
            _("Proveedores con más alertas"),
            _("Los proveedores cuyos contratos tienen más alertas."),
            False,
            lambda qs, now, lang: suppliers.build(qs, now),
        ),
    )
}


def build(
    slug: str, contracts_in_scope: ContractQuerySet, now: dt.datetime, language: str
) -> Report:
    """Build report ``slug`` over ``contracts_in_scope`` (scoped and filtered by the caller)."""
    return REPORTS[slug].build(contracts_in_scope, now, language)

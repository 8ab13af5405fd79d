"""The standard reports by URL slug: title, whether it is public, and how to build it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from besa.audits import report as audit_report
from besa.registry.models import ContractQuerySet
from besa.reports import alerts, compliance, contracts, execution, risk_summary, suppliers
from besa.reports.filters import ReportFilters
from besa.reports.tables import Report
from besa.risk.access import NoRiskAccess, audience_of


@dataclass(frozen=True)
class Entry:
    slug: str
    title: Any
    description: Any
    #: Aggregates only, no personal data: anonymous citizens may read it.
    public: bool
    #: (scoped and filtered contracts, now, language, user, filters) → the report
    build: Callable[[ContractQuerySet, dt.datetime, str, Any, ReportFilters], Report]


REPORTS: dict[str, Entry] = {
    e.slug: e
    for e in (
        Entry(
            contracts.SLUG,
            _("Contratos e importes"),
            _("Por institución, tipo de procedimiento, tipo de contratación, moneda y mes."),
            True,
            lambda qs, now, lang, user, filters: contracts.build(qs, now),
        ),
        Entry(
            alerts.SLUG,
            _("Alertas"),
            _("Por regla, severidad, institución, estado y antigüedad; tiempos de atención."),
            False,
            lambda qs, now, lang, user, filters: alerts.build(qs, now, lang),
        ),
        Entry(
            compliance.SLUG,
            _("Cumplimiento del registro"),
            _("Publicados frente a registrados por institución; registros tardíos y su retraso."),
            True,
            lambda qs, now, lang, user, filters: compliance.build(user, filters, now),
        ),
        Entry(
            execution.SLUG,
            _("Ejecución de los contratos"),
            _("Días de pago, penas calculadas y aplicadas, garantías, convenios, rescisiones."),
            True,
            lambda qs, now, lang, user, filters: execution.build(qs, now),
        ),
        Entry(
            risk_summary.SLUG,
            _("Ranking de riesgo de las instituciones"),
            _("Índice de riesgo medio de cada institución y sus indicadores más frecuentes."),
            True,
            lambda qs, now, lang, user, filters: risk_summary.build(
                _risk_audience(user), filters, now
            ),
        ),
        Entry(
            suppliers.SLUG,
            _("Proveedores con más alertas"),
            _("Los proveedores cuyos contratos tienen más alertas."),
            False,
            lambda qs, now, lang, user, filters: suppliers.build(qs, now),
        ),
        Entry(
            audit_report.SLUG,
            _("Auditorías"),
            _("Casos por estado, observaciones, montos recuperados y tiempo por etapa."),
            False,
            lambda qs, now, lang, user, filters: audit_report.build(user, now, qs),
        ),
    )
}


def _risk_audience(user: Any) -> Any:
    """Who may read the risk ranking (``besa.risk.access``): operators may not."""
    try:
        return audience_of(user)
    except NoRiskAccess as exc:
        raise PermissionDenied from exc


def build(
    slug: str,
    contracts_in_scope: ContractQuerySet,
    now: dt.datetime,
    language: str,
    user: Any = None,
    filters: ReportFilters | None = None,
) -> Report:
    """Build report ``slug`` over ``contracts_in_scope`` (scoped and filtered by the caller);
    ``user`` and ``filters`` serve the reports that read stored results (the risk ranking)."""
    return REPORTS[slug].build(contracts_in_scope, now, language, user, filters or ReportFilters())

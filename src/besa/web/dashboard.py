"""The coordinator's dashboard: its institution's contracts, alerts and escalations.

One page answers "what needs me today": contracts by status, active alerts by rule, severity
and age, late registrations (A01), and the alerts escalated to the coordinator for neglect.
Every count links to the inbox filtered to exactly those alerts.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from besa.alerts import words
from besa.alerts.models import ACTIVE_STATES
from besa.alerts.queries import visible_alerts
from besa.logbook.models import ContractState
from besa.registry.models import Contract, Role
from besa.web.alerts import AGES, AlertFilters, institutions_of
from besa.web.errors import forbidden
from besa.web.labels import STATUS_LABELS


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The institution's dashboard (coordinator; oversight and the administrator may choose
    an institution in their scope with ``?institution=``)."""
    user: Any = request.user
    if user.role == Role.OPERATOR and not user.is_central_admin:
        return forbidden(
            request,
            why=_(
                "El tablero es de la coordinación de la institución. Sus entregas y alertas "
                "por atender están en «Mi trabajo»."
            ),
        )
    institutions = institutions_of(user)
    chosen = request.GET.get("institution", "")
    institution = institutions.filter(code=chosen).first() if chosen else None
    if institution is None and user.role == Role.COORDINATOR:
        institution = user.institution
    code = institution.code if institution else ""
    contracts = Contract.objects.visible_to(user)
    alerts = visible_alerts(user)
    if institution is not None:
        contracts = contracts.filter(buying_unit__institution=institution)
        alerts = alerts.filter(institution=institution)
    active = alerts.filter(state__in=ACTIVE_STATES)
    lang = words.language(request.LANGUAGE_CODE)
    now = timezone.now()
    context: dict[str, Any] = {
        "institution": institution,
        "institutions": institutions,
        "contracts_total": contracts.count(),
        "by_status": _by_status(contracts),
        "active_total": active.count(),
        "by_rule": [
            {
                "code": row["rule"],
                "name": words.rule_name(row["rule"], lang),
                "count": row["n"],
                "query": AlertFilters(institution=code, rule=row["rule"], state="active").query(),
            }
            for row in active.values("rule").annotate(n=Count("id")).order_by("-n", "rule")
        ],
        "by_severity": [
            {
                "name": words.severity_name(sev, lang),
                "severity": sev,
                "count": active.filter(severity=sev).count(),
                "query": AlertFilters(institution=code, severity=sev, state="active").query(),
            }
            for sev in ("H", "M", "L")
        ],
        "by_age": [
            {
                "label": label,
                "count": AlertFilters(institution=code, state="active", age=key)
                .apply(user, now)
                .count(),
                "query": AlertFilters(institution=code, state="active", age=key).query(),
            }
            for key, (label, _a, _b) in AGES.items()
        ],
        "late_registrations": alerts.filter(rule="A01")
        .select_related("contract")
        .order_by("-opened_at")[:20],
        "late_registrations_query": AlertFilters(institution=code, rule="A01").query(),
        "escalated": active.filter(escalation_level__gte=1)
        .select_related("contract")
        .order_by("-escalation_level", "opened_at")[:20],
        "escalated_count": active.filter(escalation_level__gte=1).count(),
        "escalated_query": AlertFilters(institution=code, state="active", escalated="1").query(),
        "recent": active.select_related("contract").order_by("-opened_at")[:10],
        "most_alerted": contracts.filter(alerts__in=active)
        .annotate(active_alerts=Count("alerts", distinct=True))
        .order_by("-active_alerts", "number")[:10],
        "today": now,
    }
    return render(request, "besa/dashboard/dashboard.html", context)


def _by_status(contracts: Any) -> list[dict[str, Any]]:
    rows = (
        ContractState.objects.filter(contract__in=contracts)
        .values("status")
        .annotate(n=Count("contract"))
        .order_by("-n")
    )
    return [
        {"label": str(STATUS_LABELS.get(r["status"], r["status"])), "count": r["n"]} for r in rows
    ]

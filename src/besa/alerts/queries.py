"""Listing alerts under the registry's role scoping, with the filters the CLI and API share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from besa.alerts.models import Alert
from besa.registry.models import Contract


def visible_alerts(
    user: Any,
    *,
    institution: str | None = None,
    rule: str | None = None,
    state: str | None = None,
    ocid: str | None = None,
) -> QuerySet[Alert]:
    """Alerts on contracts ``user`` may read (``None`` means a system caller: all)."""
    alerts = Alert.objects.select_related("contract", "institution")
    if user is not None:
        alerts = alerts.filter(contract__in=Contract.objects.visible_to(user))
    if institution:
        alerts = alerts.filter(institution__code=institution)
    if rule:
        alerts = alerts.filter(rule=rule.upper())
    if state:
        alerts = alerts.filter(state=state)
    if ocid:
        alerts = alerts.filter(ocid=ocid)
    return alerts.order_by("-opened_at", "rule")


def as_item(alert: Alert) -> dict[str, Any]:
    """The public JSON form of an alert (CLI ``--format json`` and the API)."""
    return {
        "id": str(alert.id),
        "ocid": alert.ocid,
        "contract_number": alert.contract.number,
        "institution": alert.institution.code,
        "rule": alert.rule,
        "severity": alert.severity,
        "state": alert.state,
        "subject": alert.subject,
        "summary": alert.summary,
        "evidence": alert.evidence,
        "opened_at": alert.opened_at.isoformat(),
        "closed_at": alert.closed_at.isoformat() if alert.closed_at else None,
        "escalation_level": alert.escalation_level,
    }

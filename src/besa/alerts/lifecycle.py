"""Alert transitions: who may move an alert from which state to which, and the record of it.

Every function writes the alert and one ``AlertEvent`` (who, when, why, documents) in the
caller's transaction and queues the notifications the change calls for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from besa.alerts import notifications
from besa.alerts.models import Alert, AlertEvent, AlertState
from besa.exceptions import InvalidInput, NotFound, PermissionDenied
from besa.jurisdiction import from_env
from besa.logbook.kinds import validate_documents
from besa.logbook.models import ContractState
from besa.registry.models import Contract, Role
from besa.rules import Finding

SYSTEM = "system:rules"

#: (from state, action) -> (to state, roles allowed). Oversight never justifies; operators
#: and coordinators never resolve: the one who explains is not the one who judges.
TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (AlertState.OPEN, "attend"): (
        AlertState.IN_ATTENTION,
        frozenset({Role.OPERATOR, Role.COORDINATOR, Role.ADMIN}),
    ),
    (AlertState.OPEN, "justify"): (
        AlertState.JUSTIFIED,
        frozenset({Role.OPERATOR, Role.COORDINATOR, Role.ADMIN}),
    ),
    (AlertState.IN_ATTENTION, "justify"): (
        AlertState.JUSTIFIED,
        frozenset({Role.OPERATOR, Role.COORDINATOR, Role.ADMIN}),
    ),
    (AlertState.JUSTIFIED, "resolve"): (
        AlertState.RESOLVED,
        frozenset({Role.OVERSIGHT, Role.ADMIN}),
    ),
    (AlertState.JUSTIFIED, "reject"): (
        AlertState.NOT_RESOLVED,
        frozenset({Role.OVERSIGHT, Role.ADMIN}),
    ),
    (AlertState.OPEN, "reject"): (AlertState.NOT_RESOLVED, frozenset({Role.OVERSIGHT, Role.ADMIN})),
    (AlertState.IN_ATTENTION, "reject"): (
        AlertState.NOT_RESOLVED,
        frozenset({Role.OVERSIGHT, Role.ADMIN}),
    ),
    (AlertState.NOT_RESOLVED, "refer"): (
        AlertState.REFERRED,
        frozenset({Role.OVERSIGHT, Role.ADMIN}),
    ),
}


def open_alert(
    head: ContractState, finding: Finding, now: dt.datetime, *, found_at_import: bool = False
) -> Alert:
    """Raise a new alert for ``finding`` on the contract of ``head``; ``found_at_import``:
    found when past history was imported (the breach itself began on ``finding.since``)."""
    contract = Contract.objects.select_related("buying_unit").get(pk=head.contract_id)
    alert = Alert.objects.create(
        contract=contract,
        ocid=head.ocid,
        institution_id=contract.buying_unit.institution_id,
        rule=finding.rule,
        subject=finding.subject,
        severity=finding.severity,
        evidence=dict(finding.evidence),
        summary=finding.summary[:500],
        opened_at=now,
        updated_at=now,
        breach_since=finding.since,
        found_at_import=found_at_import,
        escalate_at=escalation_deadline(now, head.snapshot["contract"]["regime"]),
    )
    _event(alert, now, "opened", "", AlertState.OPEN, SYSTEM, finding.summary)
    notifications.enqueue(alert, "opened", now)
    return alert


def update_evidence(alert: Alert, finding: Finding, now: dt.datetime) -> None:
    """The finding still holds with other figures (e.g. more days late): keep it current."""
    alert.evidence = dict(finding.evidence)
    alert.severity = finding.severity
    alert.summary = finding.summary[:500]
    alert.updated_at = now
    alert.save(update_fields=["evidence", "severity", "summary", "updated_at"])
    _event(alert, now, "evidence", alert.state, alert.state, SYSTEM, "")


def correct(alert: Alert, now: dt.datetime) -> None:
    """The data that caused the alert was fixed: close it as corrected, keeping its history."""
    previous = alert.state
    alert.state = AlertState.CORRECTED
    alert.closed_at = alert.updated_at = now
    alert.escalate_at = None
    alert.save(update_fields=["state", "closed_at", "updated_at", "escalate_at"])
    _event(
        alert,
        now,
        "corrected",
        previous,
        AlertState.CORRECTED,
        SYSTEM,
        "los datos que la causaron fueron corregidos / the data that caused it was fixed",
    )
    notifications.enqueue(alert, "corrected", now)


def act(
    user: Any,
    alert_id: Any,
    action: str,
    *,
    reason: str = "",
    documents: Sequence[Mapping[str, Any]] = (),
    now: dt.datetime | None = None,
) -> Alert:
    """A person moves an alert (``attend``, ``justify``, ``resolve``, ``reject``, ``refer``).

    The alert must be visible to ``user`` (404 otherwise), the transition must exist from its
    current state and the user's role must be allowed to take it (``PermissionDenied``).
    Justifying, rejecting and referring need a reason. Nothing is written on refusal.
    """
    now = now or timezone.now()
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update()
            .filter(contract__in=Contract.objects.visible_to(user), pk=alert_id)
            .first()
        )
        if alert is None or not user.is_authenticated:
            raise NotFound("alerta no encontrada / alert not found")
        transition = TRANSITIONS.get((alert.state, action))
        if transition is None:
            raise InvalidInput(
                "action", f"'{action}' no es posible en estado '{alert.state}' / not allowed"
            )
        to_state, roles = transition
        role = Role.ADMIN if user.is_central_admin else user.role
        if role not in roles:
            raise PermissionDenied("su rol no permite esta acción / your role cannot do this")
        if (
            role in (Role.OPERATOR, Role.COORDINATOR)
            and not Contract.objects.writable_by(user).filter(pk=alert.contract_id).exists()
        ):
            raise PermissionDenied("el contrato está fuera de su ámbito / out of scope")
        if action in ("justify", "reject", "refer") and not reason.strip():
            raise InvalidInput("reason", "obligatorio / required")
        clean_documents = validate_documents(list(documents))
        previous = alert.state
        alert.state = to_state
        alert.updated_at = now
        if to_state in (AlertState.RESOLVED, AlertState.REFERRED):
            alert.closed_at = now
        if previous == AlertState.OPEN:
            alert.escalate_at = None  # someone is acting: no escalation for neglect
        alert.save(update_fields=["state", "updated_at", "closed_at", "escalate_at"])
        _event(alert, now, action, previous, to_state, user.get_username(), reason, clean_documents)
        notifications.enqueue(alert, action, now)
        return alert


def escalation_deadline(since: dt.datetime, regime: str) -> dt.datetime:
    """The moment an alert left open since ``since`` escalates: the regime's
    ``escalation_business_days`` business days later, at the same time of day."""
    jurisdiction = from_env()
    local = since.astimezone(jurisdiction.zone)
    days = jurisdiction.regime(regime).escalation_business_days
    day = jurisdiction.calendar.add_business_days(local.date(), days)
    return dt.datetime.combine(day, local.timetz())


def _event(
    alert: Alert,
    at: dt.datetime,
    action: str,
    from_state: str,
    to_state: str,
    actor: str,
    reason: str,
    documents: list[dict[str, Any]] | None = None,
) -> None:
    AlertEvent.objects.create(
        alert=alert,
        at=at,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason=reason,
        documents=documents or [],
    )

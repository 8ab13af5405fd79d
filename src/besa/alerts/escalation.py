"""Escalating alerts nobody attends: to the coordinator, then to the oversight body.

An open alert carries ``escalate_at`` (N business days after it opened or last escalated,
N = the regime's ``escalation_business_days``). The job moves each due alert one level up with
a conditional UPDATE, so two workers never escalate the same alert twice, records the event
and notifies the new level.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from besa.alerts import notifications
from besa.alerts.lifecycle import escalation_deadline
from besa.alerts.models import Alert, AlertEvent, AlertState

TOP_LEVEL = 2  #: 1: coordinator (UAF); 2: oversight body (OIC)


def escalate(now: dt.datetime | None = None) -> int:
    """Escalate every open alert whose deadline passed; returns how many moved up."""
    now = now or timezone.now()
    moved = 0
    due = Alert.objects.filter(
        state=AlertState.OPEN, escalate_at__lte=now, escalation_level__lt=TOP_LEVEL
    ).select_related("contract__state")
    for alert in due.iterator(chunk_size=200):
        level = alert.escalation_level + 1
        regime = alert.contract.state.snapshot["contract"]["regime"]
        following = escalation_deadline(now, regime) if level < TOP_LEVEL else None
        with transaction.atomic():
            won = Alert.objects.filter(
                pk=alert.pk, state=AlertState.OPEN, escalation_level=alert.escalation_level
            ).update(escalation_level=level, escalate_at=following, updated_at=now)
            if not won:
                continue  # another worker escalated it first
            alert.escalation_level, alert.updated_at = level, now
            AlertEvent.objects.create(
                alert=alert,
                at=now,
                action=f"escalated:{level}",
                from_state=alert.state,
                to_state=alert.state,
                actor="system:escalation",
                reason="sin atención en el plazo / unattended within the deadline",
            )
            notifications.enqueue(alert, f"escalated:{level}", now)
        moved += 1
    return moved


def escalate_job(now: dt.datetime) -> int:
    return escalate(now)

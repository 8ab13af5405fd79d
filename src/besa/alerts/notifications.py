"""Queuing and delivering notifications: rows first, sending later, never lost.

``enqueue`` writes one row per recipient and channel in the caller's transaction (so a
notification exists exactly when its alert change committed). ``deliver`` claims due rows with
a conditional UPDATE and a lease, sends them, and records success, or the failure and the
next attempt with exponential back-off. A worker that dies mid-delivery leaves its claim to
expire; another worker then sends the row again (at-least-once; receivers deduplicate on the
notification id).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from besa.alerts.models import Alert, Notification, NotificationStatus, WebhookSubscription
from besa.alerts.transports import TRANSPORTS, TransportError
from besa.logbook.models import iso
from besa.registry.models import Role, User
from besa.rules import CATALOGUE

MAX_ATTEMPTS = 8
#: The default of ``lease()``.
LEASE = dt.timedelta(seconds=120)
FIRST_RETRY = dt.timedelta(seconds=30)
MAX_RETRY = dt.timedelta(hours=2)


def recipients(alert: Alert) -> list[User]:
    """Who hears of an alert: the operators of its buying unit always; the coordinators of
    its institution for high severity or from the first escalation; oversight for high
    severity or from the second escalation (domain.md §4, default routing)."""
    unit_id = alert.contract.buying_unit_id
    high = alert.severity == "H"
    scope = Q(role=Role.OPERATOR, buying_units=unit_id)
    if high or alert.escalation_level >= 1:
        scope |= Q(role=Role.COORDINATOR, institution_id=alert.institution_id)
    if high or alert.escalation_level >= 2:
        scope |= Q(role=Role.OVERSIGHT, oversees=alert.institution_id)
    return list(User.objects.filter(scope, is_active=True).exclude(email="").distinct())


def payload(alert: Alert, event: str) -> dict[str, Any]:
    rule = CATALOGUE.get(alert.rule)
    return {
        "event": event,
        "alert": {
            "id": str(alert.id),
            "ocid": alert.ocid,
            "contract_number": alert.contract.number,
            "rule": alert.rule,
            "name": rule.name_es if rule else alert.rule,
            "name_en": rule.name_en if rule else alert.rule,
            "severity": alert.severity,
            "state": alert.state,
            "subject": alert.subject,
            "evidence": alert.evidence,
            "opened_at": alert.opened_at.isoformat(),
            "escalation_level": alert.escalation_level,
        },
    }


def enqueue(alert: Alert, event: str, now: dt.datetime) -> int:
    """Queue the notifications of one alert event; idempotent for the same event and moment."""
    body = payload(alert, event)
    stamp = iso(alert.updated_at)  # one spelling per instant, fresh or read back
    rows = [
        Notification(
            alert=alert,
            key=f"{alert.id}:{event}:{stamp}:email:{user.email}",
            event=event,
            channel="email",
            recipient=user,
            address=user.email,
            payload=body,
            next_attempt_at=now,
            created_at=now,
        )
        for user in recipients(alert)
    ]
    hooks = [
        hook
        for hook in WebhookSubscription.objects.filter(active=True).filter(
            Q(institution__isnull=True) | Q(institution_id=alert.institution_id)
        )
        if hook.wants(f"alert.{event}")  # a handful of rows: matched here, on any database
    ]
    rows += [
        Notification(
            alert=alert,
            key=f"{alert.id}:{event}:{stamp}:webhook:{hook.pk}",
            event=event,
            channel="webhook",
            address=hook.url,
            subscription=hook,
            payload=body,
            next_attempt_at=now,
            created_at=now,
        )
        for hook in hooks
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def lease() -> dt.timedelta:
    """How long a claim holds (``BESA_NOTIFICATION_LEASE_SECONDS``, default ``LEASE``)."""
    return dt.timedelta(seconds=getattr(settings, "BESA_NOTIFICATION_LEASE_SECONDS", 120))


def claim(now: dt.datetime, limit: int = 50) -> tuple[uuid.UUID, list[Notification]]:
    """Claim up to ``limit`` due notifications for this worker (conditional UPDATE)."""
    token = uuid.uuid4()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    due = Notification.objects.filter(
        free, status=NotificationStatus.PENDING, next_attempt_at__lte=now
    )
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    if not ids:
        return token, []
    # The repeated conditions make the UPDATE a no-op for rows another worker claimed
    # between the SELECT and here.
    due.filter(pk__in=ids).update(claim=token, claimed_until=now + lease())
    mine = list(Notification.objects.filter(claim=token).select_related("subscription"))
    return token, mine


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, … capped at 2 h."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY)


def deliver(now: dt.datetime | None = None, limit: int = 50) -> int:
    """Send the due notifications this worker can claim; returns how many were sent."""
    now = now or timezone.now()
    token, batch = claim(now, limit)
    sent = 0
    for notification in batch:
        transport = TRANSPORTS.get(notification.channel)
        error: TransportError | None = None
        try:
            if transport is None:
                raise TransportError(f"unknown channel {notification.channel}", permanent=True)
            transport.send(notification)
        except TransportError as exc:
            error = exc
        attempts = notification.attempts + 1
        mine = Notification.objects.filter(pk=notification.pk, claim=token)
        with transaction.atomic():
            if error is None:
                sent += mine.update(
                    status=NotificationStatus.SENT,
                    attempts=attempts,
                    sent_at=timezone.now(),
                    claim=None,
                    claimed_until=None,
                    last_error="",
                )
            elif error.permanent or attempts >= MAX_ATTEMPTS:
                mine.update(
                    status=NotificationStatus.FAILED,
                    attempts=attempts,
                    last_error=str(error)[:2000],
                    claim=None,
                    claimed_until=None,
                )
            else:
                mine.update(
                    attempts=attempts,
                    last_error=str(error)[:2000],
                    next_attempt_at=now + backoff(attempts),
                    claim=None,
                    claimed_until=None,
                )
    return sent


def deliver_job(now: dt.datetime) -> int:
    return deliver(now)

"""The deadline sweep: re-evaluate the contracts whose next check is due, and only those.

Each contract's state row stores ``next_check_at``, the earliest moment any rule could change
its verdict by time alone. A sweep claims due rows with a conditional UPDATE (a lease, so
several workers never take the same contract and a dead worker's claims expire), evaluates
each claimed contract with its state row locked, and stores its next check. The cost is
O(due contracts), whatever the size of the portfolio: the claim reads the ``next_check_at``
index only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from besa.alerts.evaluation import sync
from besa.logbook.models import ContractState

#: The default of ``lease()``.
LEASE = dt.timedelta(minutes=5)
BATCH = 500


@dataclass
class SweepReport:
    contracts: int = 0
    opened: int = 0
    corrected: int = 0


def lease() -> dt.timedelta:
    """How long a sweep's claim holds (``BESA_SWEEP_LEASE_SECONDS``, default ``LEASE``)."""
    return dt.timedelta(seconds=getattr(settings, "BESA_SWEEP_LEASE_SECONDS", 300))


def claim_due(now: dt.datetime, limit: int = BATCH) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """Claim up to ``limit`` contracts whose next check is due; returns the claim and ids."""
    token = uuid.uuid4()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    due = ContractState.objects.filter(free, next_check_at__lte=now)
    ids = list(due.order_by("next_check_at").values_list("pk", flat=True)[:limit])
    if not ids:
        return token, []
    due.filter(pk__in=ids).update(claim=token, claimed_until=now + lease())
    return token, list(ContractState.objects.filter(claim=token).values_list("pk", flat=True))


def sweep(now: dt.datetime | None = None) -> SweepReport:
    """One pass: evaluate every contract due at ``now``. Safe with concurrent workers."""
    now = now or timezone.now()
    report = SweepReport()
    while True:
        token, ids = claim_due(now)
        if not ids:
            return report
        for pk in ids:
            with transaction.atomic():
                head = ContractState.objects.select_for_update().filter(pk=pk, claim=token).first()
                if head is None:  # our lease expired and another worker took it
                    continue
                result = sync(head, now)
                if head.next_check_at is not None and head.next_check_at <= now:
                    # A rule answering "check again today" must not spin the sweep.
                    head.next_check_at = now + dt.timedelta(days=1)
                head.claim = None
                head.claimed_until = None
                head.save(update_fields=["next_check_at", "claim", "claimed_until"])
            report.contracts += 1
            report.opened += result.opened
            report.corrected += result.corrected


def sweep_job(now: dt.datetime) -> int:
    return sweep(now).contracts

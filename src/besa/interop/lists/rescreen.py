"""Re-screening: re-evaluating the running contracts of suppliers whose list status changed.

Goes through ``besa.alerts.evaluation.sync``, the same code the append hook and the deadline
sweep run, so A16/A18 alerts (and their notifications) are raised exactly as elsewhere.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from besa.alerts.evaluation import sync
from besa.logbook.models import ContractState
from besa.registry.models import ContractSupplier

#: Contract statuses during which a supplier's new listing matters: signed and not ended.
RUNNING = ("registered", "in_execution", "suspended")
#: RFCs per query (SQLite limits bound parameters).
CHUNK = 500


@dataclass
class RescreenReport:
    contracts: int = 0
    opened: int = 0
    updated: int = 0
    corrected: int = 0
    opened_by_rule: dict[str, int] = field(default_factory=dict)


def rescreen(rfcs: Iterable[str], now: dt.datetime) -> RescreenReport:
    """Re-evaluate every running contract that has a supplier with one of ``rfcs``, each in
    its own transaction with the contract's state row locked (as the sweep does). Safe to
    call repeatedly: ``sync`` is idempotent, so a contract already evaluated against the
    same lists changes nothing and raises nothing twice."""
    wanted = sorted(set(rfcs))
    report = RescreenReport()
    if not wanted:
        return report
    ids: set[uuid.UUID] = set()
    for chunk in range(0, len(wanted), CHUNK):  # a whole list's RFCs on a first import
        contracts = ContractSupplier.objects.filter(
            supplier__rfc__in=wanted[chunk : chunk + CHUNK]
        ).values("contract_id")
        ids.update(
            ContractState.objects.filter(contract_id__in=contracts, status__in=RUNNING).values_list(
                "pk", flat=True
            )
        )
    return reevaluate(ids, now)


def reevaluate(pks: Iterable[uuid.UUID], now: dt.datetime) -> RescreenReport:
    """Re-evaluate the contracts with these state keys, each in its own transaction with
    its state row locked. Also used when a rule input that no contract holds changes (an
    institution's budget, the PEF annex, a rescission from before BESA:
    ``besa.registry.ruleinputs``)."""
    from besa.alerts.models import Alert

    report = RescreenReport()
    for pk in sorted(set(pks), key=str):
        with transaction.atomic():
            head = ContractState.objects.select_for_update().get(pk=pk)
            before = set(Alert.objects.filter(contract_id=pk).values_list("pk", flat=True))
            result = sync(head, now)
            head.save(update_fields=["next_check_at"])
            for rule in (
                Alert.objects.filter(contract_id=pk)
                .exclude(pk__in=before)
                .values_list("rule", flat=True)
            ):
                report.opened_by_rule[rule] = report.opened_by_rule.get(rule, 0) + 1
        report.contracts += 1
        report.opened += result.opened
        report.updated += result.updated
        report.corrected += result.corrected
    return report

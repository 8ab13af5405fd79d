"""Two workers sweeping at once never create duplicate alerts or notifications."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from tests.alerts.conftest import at, schedule
from tests.world import build_world, make_contract

from besa.alerts.models import Alert, Notification
from besa.alerts.sweep import sweep
from besa.logbook.actor import Actor
from besa.logbook.append import append

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks across connections need PostgreSQL; runs in CI's PostgreSQL pass",
)


@pytest.mark.usefixtures("transactional_logbook")
def test_two_workers_sweeping_the_same_due_contracts_raise_each_alert_once() -> None:
    world = build_world()
    world.operator.email = "op@insta.gob.mx"
    world.operator.save()
    contracts = [make_contract(world.admin, world.units["A1"], world.supplier) for _ in range(30)]
    for contract in contracts:
        append(
            contract,
            "deliverable_schedule",
            schedule("2025-08-15"),
            actor=Actor.system("test"),
            occurred_at=at("2025-06-12"),
            now=at("2025-06-12"),
        )
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            sweep(at("2025-08-18", 9))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    late = Alert.objects.filter(rule="A07", contract__in=contracts)
    assert late.count() == len(contracts)
    keys = list(Notification.objects.values_list("alert_id", "event", "address"))
    assert len(keys) == len(set(keys))
    assert Notification.objects.filter(alert__in=late, event="opened").count() == len(contracts)

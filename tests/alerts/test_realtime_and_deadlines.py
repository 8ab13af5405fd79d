"""End to end: alerts exist before the append returns, and deadlines raise them at the first
sweep after they pass, not before."""

from __future__ import annotations

from tests.alerts.conftest import INVOICE, Append, at, invoice, payment, schedule
from tests.world import World

from besa.alerts.models import Alert, AlertState
from besa.alerts.sweep import sweep


def test_a_late_payment_raises_its_alert_before_the_append_returns(
    world: World, record: Append
) -> None:
    record("deliverable_schedule", schedule("2025-06-30"), "2025-06-12")
    record(
        "delivery",
        {
            "deliverable_id": "D1",
            "date": "2025-06-28",
            "quantity_received": "1000",
            "quantity_accepted": "1000",
            "result": "accepted",
        },
        "2025-06-28",
    )
    record("invoice", invoice("2025-07-01"), "2025-07-01")
    assert not Alert.objects.filter(rule="A12").exists()  # not yet due
    record("payment", payment("2025-07-25"), "2025-07-25")  # day 24 after receipt

    alert = Alert.objects.get(rule="A12", contract=world.contracts["A1"])
    assert alert.subject == f"invoice:{INVOICE}"
    assert alert.state == AlertState.OPEN
    assert alert.evidence["date_received"] == "2025-07-01"
    assert alert.evidence["payment_date"] == "2025-07-25"
    assert int(alert.evidence["days_late"]) == 4


def test_a_payment_on_day_20_raises_nothing(world: World, record: Append) -> None:
    record("deliverable_schedule", schedule("2025-06-30"), "2025-06-12")
    record(
        "delivery",
        {
            "deliverable_id": "D1",
            "date": "2025-06-28",
            "quantity_received": "1000",
            "quantity_accepted": "1000",
            "result": "accepted",
        },
        "2025-06-28",
    )
    record("invoice", invoice("2025-07-01"), "2025-07-01")
    record("payment", payment("2025-07-21"), "2025-07-21")
    assert not Alert.objects.filter(rule="A12").exists()


def test_a_delivery_due_date_passing_raises_its_alert_at_the_first_sweep_after_it(
    world: World, record: Append
) -> None:
    record("deliverable_schedule", schedule("2025-08-15"), "2025-06-12")
    sweep(at("2025-08-15", 23))
    assert not Alert.objects.filter(rule="A07").exists()
    sweep(at("2025-08-16", 0))
    alert = Alert.objects.get(rule="A07")
    assert (alert.subject, alert.evidence["due_date"]) == ("deliverable:D1", "2025-08-15")


def test_an_alert_closes_itself_as_corrected_when_the_data_is_fixed(
    world: World, record: Append
) -> None:
    record("deliverable_schedule", schedule("2025-08-15"), "2025-06-12")
    sweep(at("2025-08-20"))
    assert Alert.objects.get(rule="A07").state == AlertState.OPEN
    entry = record(
        "delivery",
        {
            "deliverable_id": "D1",
            "date": "2025-08-15",
            "quantity_received": "1000",
            "quantity_accepted": "1000",
            "result": "accepted",
        },
        "2025-08-21",
    )
    # The reception was recorded late but happened on the due date: nothing is late.
    alert = Alert.objects.get(rule="A07")
    assert alert.state == AlertState.CORRECTED and alert.closed_at == entry.recorded_at
    assert [e.action for e in alert.events.all()] == ["opened", "corrected"]


def test_the_sweep_only_reads_contracts_that_are_due(world: World, record: Append) -> None:
    record("deliverable_schedule", schedule("2025-08-15"), "2025-06-12")
    first = sweep(at("2025-08-16", 1))
    assert first.contracts >= 1
    again = sweep(at("2025-08-16", 2))
    assert again.contracts == 0  # nothing new is due an hour later

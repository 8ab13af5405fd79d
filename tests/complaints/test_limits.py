"""Abuse protection: database counters per client address and per contract, in fixed
windows, configurable; a refused submission writes nothing and says when to retry."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.db import OperationalError, connections, transaction
from tests.world import World

from besa.complaints import intake, limits
from besa.complaints.models import Complaint, SubmissionCounter
from besa.exceptions import ConfigurationError, RateLimited

TEXT = "El proveedor entregó medicinas caducadas en el almacén central el 3 de marzo."
NOON = dt.datetime(2026, 11, 20, 12, 10, tzinfo=dt.UTC)


def _file(world: World, address: str = "203.0.113.7", unit: str = "A1") -> intake.Filed:
    return intake.file(world.contracts[unit], text=TEXT, anonymous=True, address=address, now=NOON)


def test_one_address_may_file_the_configured_number_an_hour(world: World, settings: object) -> None:
    settings.BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR = 3  # type: ignore[attr-defined]
    for _ in range(3):
        _file(world)
    with pytest.raises(RateLimited) as refused:
        _file(world, unit="A2")
    assert refused.value.scope == "address"
    assert refused.value.retry_at == dt.datetime(2026, 11, 20, 13, 0, tzinfo=dt.UTC)
    assert Complaint.objects.count() == 3
    _file(world, address="198.51.100.9")  # another address is not held back
    assert Complaint.objects.count() == 4


def test_one_contract_takes_the_configured_number_a_day_from_any_address(
    world: World, settings: object
) -> None:
    settings.BESA_COMPLAINTS_PER_CONTRACT_PER_DAY = 2  # type: ignore[attr-defined]
    _file(world, address="203.0.113.1")
    _file(world, address="203.0.113.2")
    with pytest.raises(RateLimited) as refused:
        _file(world, address="203.0.113.3")
    assert refused.value.scope == "contract"
    assert refused.value.retry_at == dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    _file(world, address="203.0.113.3", unit="A2")
    assert Complaint.objects.count() == 3


def test_a_refused_submission_gives_its_place_back(world: World, settings: object) -> None:
    settings.BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR = 1  # type: ignore[attr-defined]
    settings.BESA_COMPLAINTS_PER_CONTRACT_PER_DAY = 1  # type: ignore[attr-defined]
    _file(world, address="203.0.113.1")
    with pytest.raises(RateLimited):
        _file(world, address="203.0.113.2")  # the contract is full; the address was free
    assert (
        SubmissionCounter.objects.filter(key=f"a:{limits.address_key('203.0.113.2')}").count() == 0
    )


def test_the_next_window_takes_submissions_again_and_old_windows_are_forgotten(
    world: World, settings: object
) -> None:
    settings.BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR = 1  # type: ignore[attr-defined]
    _file(world)
    later = NOON + dt.timedelta(days=3)
    intake.file(world.contracts["A1"], text=TEXT, anonymous=True, address="203.0.113.7", now=later)
    assert all(c.window_start >= later - 2 * limits.DAY for c in SubmissionCounter.objects.all())


def test_the_address_is_counted_by_a_keyed_digest_never_in_clear(world: World) -> None:
    _file(world, address="203.0.113.77")
    keys = list(SubmissionCounter.objects.values_list("key", flat=True))
    assert all("203.0.113.77" not in key for key in keys)
    assert f"a:{limits.address_key('203.0.113.77')}" in keys


def test_status_look_ups_are_limited_per_address(world: World, settings: object) -> None:
    settings.BESA_COMPLAINT_LOOKUPS_PER_ADDRESS_PER_HOUR = 2  # type: ignore[attr-defined]
    filed = _file(world)
    with time_machine.travel(NOON, tick=False):
        intake.look_up(filed.code, address="198.51.100.1")
        intake.look_up(filed.code, address="198.51.100.1")
        with pytest.raises(RateLimited) as refused:
            intake.look_up(filed.code, address="198.51.100.1")
    assert refused.value.scope == "lookup"


@pytest.mark.parametrize("value", ["0", "-1", "muchas"])
def test_a_limit_that_is_not_a_whole_number_is_a_configuration_error(
    settings: object, value: str
) -> None:
    settings.BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR = value  # type: ignore[attr-defined]
    with pytest.raises(ConfigurationError, match="BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR"):
        limits.per_address()


def test_concurrent_submissions_cannot_both_take_the_last_place(transactional_db: None) -> None:
    """Eight threads, each with its own database connection and transaction (as eight web
    processes would be), race for a limit of three: exactly three are counted."""
    limit = limits.Limit("address", 3, limits.HOUR)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def submit() -> None:
        barrier.wait()
        try:
            for _attempt in range(200):
                try:
                    with transaction.atomic():
                        limits.take("a:race", limit, NOON)
                    outcomes.append("taken")
                    return
                except RateLimited:
                    outcomes.append("refused")
                    return
                except OperationalError as exc:
                    # The tests' in-memory SQLite (shared cache) fails a second writer at once
                    # where production's file database waits (busy timeout): wait here too.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
            outcomes.append("still locked")
        except Exception as exc:  # any other error is a failure of the design: show it
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 5 + ["taken"] * 3
    assert SubmissionCounter.objects.get(key="a:race").count == 3

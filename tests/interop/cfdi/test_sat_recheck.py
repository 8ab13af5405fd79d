"""A CFDI's SAT status is asked again before its payment and before the closure, and the
answer is in the logbook (and in A15) before the payment or closure entry.

An operator records a CFDI while it is valid; the supplier cancels it at the SAT; the
operator then records its payment. The SAT is a local server (``sat_server``) or the fake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from tests.interop.cfdi.cfdi_files import VALID_UUID, cfdi
from tests.interop.cfdi.sat_server import SatServer, sat_server
from tests.world import World

from besa.alerts.models import Alert
from besa.exceptions import InvalidPayload
from besa.interop.cfdi.checking import recheck
from besa.interop.cfdi.status import FakeStatusService
from besa.interop.cfdi.upload import upload_cfdi
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import Entry
from besa.registry.models import Contract

RECEIVED = dt.date(2025, 7, 3)


def payment(**changes: Any) -> dict[str, Any]:
    return {
        "date": "2025-07-10",
        "amount": "11600.00",
        "currency": "MXN",
        "invoice_uuids": [VALID_UUID],
        **changes,
    }


def closure() -> dict[str, Any]:
    amounts = ("delivered_amount", "invoiced_amount", "paid_amount")
    zeros = ("penalties_total", "deductions_total", "balance_owed_to_buyer")
    return {
        "date": timezone.localdate().isoformat(),
        **dict.fromkeys(amounts, "11600.00"),
        **dict.fromkeys(zeros, "0"),
        "balance_owed_to_supplier": "0",
    }


def kinds(contract: Contract) -> list[str]:
    return list(
        Entry.objects.filter(contract=contract).order_by("sequence").values_list("kind", flat=True)
    )


@pytest.fixture
def invoiced(world: World) -> Contract:
    """Contract A1 with the CFDI recorded while the SAT said it was valid."""
    contract = world.contracts["A1"]
    upload_cfdi(
        contract, cfdi(), actor=Actor.of(world.operator), date_received=RECEIVED,
        service=FakeStatusService(),
    )  # fmt: skip
    assert not Alert.objects.filter(contract=contract, rule="A15").exists()
    return contract


@pytest.fixture
def sat(settings: pytest.FixtureRequest) -> Iterator[SatServer]:
    """The SAT check turned on and pointed at a local server."""
    with sat_server(sleep_seconds=3.0) as server:
        settings.BESA_SAT_CFDI_CHECK = "on"  # type: ignore[attr-defined]
        settings.BESA_SAT_CFDI_URL = server.url  # type: ignore[attr-defined]
        settings.BESA_SAT_CFDI_TIMEOUT = "0.5"  # type: ignore[attr-defined]
        yield server


def test_a_cancelled_cfdi_raises_a15_before_its_payment_is_recorded(
    world: World, invoiced: Contract, sat: SatServer
) -> None:
    sat.answers[VALID_UUID] = "cancelado"

    paid = append(invoiced, "payment", payment(), actor=Actor.of(world.operator))

    assert kinds(invoiced)[-3:] == ["invoice", "invoice_status", "payment"]
    check = Entry.objects.get(contract=invoiced, kind="invoice_status")
    assert check.payload["status"] == "cancelado" and check.payload["occasion"] == "payment"
    assert check.payload["cancellation_status"] == "Cancelado sin aceptación"
    alert = Alert.objects.get(contract=invoiced, rule="A15", subject=f"invoice:{VALID_UUID}")
    assert alert.evidence["breaches"] == ["sat_cancelled"]
    # Opened by the re-check's entry, before the payment entry existed.
    assert alert.opened_at == check.recorded_at < paid.recorded_at
    assert check.sequence < paid.sequence


def test_the_alert_of_a_cancelled_cfdi_stands_even_when_its_payment_is_then_refused(
    world: World, invoiced: Contract, sat: SatServer
) -> None:
    sat.answers[VALID_UUID] = "cancelado"

    with pytest.raises(InvalidPayload):
        append(invoiced, "payment", payment(date="2025-07-01"), actor=Actor.of(world.operator))

    assert kinds(invoiced)[-2:] == ["invoice", "invoice_status"]
    assert Alert.objects.filter(contract=invoiced, rule="A15", state="open").exists()


def test_a_sat_that_times_out_never_blocks_the_payment_and_a15_says_the_status_is_unknown(
    world: World, invoiced: Contract, sat: SatServer
) -> None:
    sat.answers[VALID_UUID] = "sleep"

    paid = append(invoiced, "payment", payment(), actor=Actor.of(world.operator))

    assert paid.kind == "payment"
    check = Entry.objects.get(contract=invoiced, kind="invoice_status")
    assert check.payload["status"] == "desconocido"
    assert check.payload["detail"] == "SAT did not answer within 0.5 s"
    alert = Alert.objects.get(contract=invoiced, rule="A15")
    assert alert.evidence["breaches"] == ["sat_unknown"]
    assert alert.evidence["sat_status"] == "desconocido"


def test_a_payment_of_a_cfdi_still_valid_records_the_check_and_raises_nothing(
    world: World, invoiced: Contract, sat: SatServer
) -> None:
    append(invoiced, "payment", payment(), actor=Actor.of(world.operator))

    check = Entry.objects.get(contract=invoiced, kind="invoice_status")
    assert check.payload["status"] == "vigente"
    assert check.actor["user"] == "sat:cfdi-status"
    assert len(sat.requests) == 1
    assert not Alert.objects.filter(contract=invoiced, rule="A15").exists()


def test_a_later_valid_answer_closes_the_alert_of_an_unknown_status(
    world: World, invoiced: Contract, sat: SatServer
) -> None:
    sat.answers[VALID_UUID] = "sleep"
    append(invoiced, "payment", payment(amount="5800.00"), actor=Actor.of(world.operator))
    assert Alert.objects.get(contract=invoiced, rule="A15").state == "open"

    sat.answers[VALID_UUID] = "vigente"
    append(invoiced, "payment", payment(amount="5800.00"), actor=Actor.of(world.operator))

    assert Alert.objects.get(contract=invoiced, rule="A15").state != "open"


def test_the_closure_rechecks_every_cfdi_of_the_contract_first(
    world: World, invoiced: Contract, settings: pytest.FixtureRequest
) -> None:
    settings.BESA_SAT_CFDI_CHECK = "fake"  # type: ignore[attr-defined]
    settings.BESA_SAT_CFDI_FAKE = f"{VALID_UUID}=no_encontrado"  # type: ignore[attr-defined]

    append(invoiced, "closure", closure(), actor=Actor.of(world.admin))

    assert kinds(invoiced)[-2:] == ["invoice_status", "closure"]
    check = Entry.objects.get(contract=invoiced, kind="invoice_status")
    assert check.payload["status"] == "no_encontrado" and check.payload["occasion"] == "closure"
    assert Alert.objects.get(contract=invoiced, rule="A15").evidence["breaches"] == [
        "sat_not_found"
    ]


def test_with_the_check_off_a_payment_asks_nothing_and_records_no_check(
    world: World, invoiced: Contract
) -> None:
    # The tests' default (conftest), as in the demo.
    append(invoiced, "payment", payment(), actor=Actor.of(world.operator))

    assert kinds(invoiced)[-2:] == ["invoice", "payment"]


def test_a_retried_payment_is_not_checked_twice(
    world: World, invoiced: Contract, sat: SatServer
) -> None:
    for _ in range(2):
        append(invoiced, "payment", payment(), actor=Actor.of(world.operator), idempotency_key="p1")

    assert kinds(invoiced)[-2:] == ["invoice_status", "payment"]
    assert len(sat.requests) == 1


def test_a_cancelled_cfdi_is_not_asked_again_because_a_cancellation_is_final(
    invoiced: Contract,
) -> None:
    cancelled = FakeStatusService({VALID_UUID: "cancelado"})
    assert len(recheck(invoiced, [VALID_UUID], service=cancelled)) == 1

    assert recheck(invoiced, [VALID_UUID], service=cancelled) == []
    assert len(cancelled.calls) == 1


def test_once_the_sat_fails_the_other_cfdis_of_the_same_check_are_unknown_without_waiting(
    world: World, invoiced: Contract
) -> None:
    from tests.interop.cfdi.cfdi_files import VALID_2_UUID

    upload_cfdi(
        invoiced, cfdi("valid-2.xml"), actor=Actor.of(world.operator), date_received=RECEIVED,
        service=FakeStatusService(),
    )  # fmt: skip
    down = FakeStatusService(default="desconocido")

    entries = recheck(invoiced, [VALID_UUID, VALID_2_UUID], occasion="closure", service=down)

    assert [e.payload["status"] for e in entries] == ["desconocido", "desconocido"]
    assert len(down.calls) == 1
    assert entries[1].payload["detail"].startswith("no preguntado / not asked")

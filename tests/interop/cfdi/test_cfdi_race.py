"""Racing appends of one CFDI UUID to different contracts: exactly one wins."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from tests.interop.cfdi.cfdi_files import VALID_UUID
from tests.world import build_world, make_contract

from besa.exceptions import InvalidPayload
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import Entry, InvoiceUUID

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL; runs in CI's PostgreSQL pass",
)

INVOICE = {
    "uuid": VALID_UUID,
    "issue_date": "2025-07-01",
    "date_received": "2025-07-03",
    "issuer_rfc": "GODE561231GR8",
    "receiver_rfc": "EKU9003173C9",
    "subtotal": "10000.00",
    "taxes": "1600.00",
    "total": "11600.00",
    "currency": "MXN",
    "payment_method": "PPD",
}


@pytest.mark.usefixtures("transactional_logbook")
def test_one_uuid_raced_onto_six_contracts_is_recorded_exactly_once() -> None:
    world = build_world()
    extra = [make_contract(world.admin, world.units["A1"], world.supplier) for _ in range(4)]
    targets = [world.contracts["A1"], world.contracts["A2"], *extra]
    refused: list[InvalidPayload] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(targets))

    def work(index: int) -> None:
        try:
            start.wait()
            append(targets[index], "invoice", INVOICE, actor=Actor.system("test"))
        except InvalidPayload as exc:
            refused.append(exc)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(refused) == len(targets) - 1
    assert {exc.field for exc in refused} == {"payload.uuid"}
    assert Entry.objects.filter(kind="invoice").count() == 1
    winner = Entry.objects.get(kind="invoice").contract
    assert InvoiceUUID.objects.get(uuid=VALID_UUID).contract == winner

"""The contract page's top tells the story: status in words, the next deadline as a date,
progress amounts formatted for the locale, guarantee coverage, and its links."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from tests.world import World

from besa.logbook.actor import Actor
from besa.logbook.append import append

MEXICO = dt.timezone(dt.timedelta(hours=-6))


def _history(world: World) -> None:
    contract = world.contracts["A1"]
    actor = Actor.of(world.operator)

    def add(kind: str, payload: dict, day: str) -> None:
        at = dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=MEXICO)
        append(contract, kind, payload, actor=actor, occurred_at=at)

    add(
        "deliverable_schedule",
        {
            "deliverables": [
                {"deliverable_id": "E1", "description": "Primera entrega de medicamentos",
                 "quantity": "100", "unit": "caja", "amount": "5000000.00",
                 "due_date": "2025-07-31"},
                {"deliverable_id": "E2", "description": "Segunda entrega de medicamentos",
                 "quantity": "100", "unit": "caja", "amount": "15000000.00",
                 "due_date": "2025-10-31"},
            ]
        },
        "2025-06-12",
    )  # fmt: skip
    add(
        "delivery",
        {"deliverable_id": "E1", "date": "2025-07-30", "quantity_received": "100",
         "quantity_accepted": "100", "result": "accepted"},
        "2025-07-30",
    )  # fmt: skip
    add(
        "guarantee",
        {"guarantee_id": "G-1", "type": "performance", "action": "new",
         "date_received": "2025-06-15", "instrument": "surety_bond",
         "issuer": "Afianzadora del Centro, S.A.", "policy_number": "FZ-1",
         "amount": "1000000.00", "valid_from": "2025-06-10", "valid_until": "2026-06-30",
         "beneficiary": "Tesorería de la Federación"},
        "2025-06-15",
    )  # fmt: skip


def test_the_facts_in_spanish_and_in_english(client: Client, world: World) -> None:
    _history(world)
    client.force_login(world.operator)
    url = f"/contratos/{world.contracts['A1'].pk}/"
    page = client.get(url).content.decode()
    assert "Adquisición de medicamentos" in page and "Institución A" in page
    assert 'data-testid="contract-status">En ejecución<' in page
    # E2 is not accepted: due on 31 October 2025 (overdue by now), written as a date.
    assert "Próximo vencimiento:" in page and "31 de octubre de 2025" in page
    assert "(vencido)" in page
    assert "entrega de «Segunda entrega de medicamentos»" in page
    assert "$20,000,000.00" in page  # contracted
    assert "$5,000,000.00" in page and "25 %" in page  # accepted: E1 of 20 M
    assert "1 de 2 entregables aceptados" in page
    # Guarantee: 1,000,000.00 held of the 2,000,000.00 (10 %) required.
    assert "50 % de lo requerido ($2,000,000.00)" in page
    assert f"/riesgo/contratos/{world.contracts['A1'].ocid}/" not in page  # operators: no risk
    assert f"/api/contracts/{world.contracts['A1'].ocid}/ocds" in page

    client.force_login(world.coordinator)
    assert f"/riesgo/contratos/{world.contracts['A1'].ocid}/" in client.get(url).content.decode()

    client.force_login(world.operator)
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert 'data-testid="contract-status">In execution<' in page
    assert "Next deadline:" in page and "Oct. 31, 2025" in page and "(overdue)" in page
    assert "delivery of «Segunda entrega de medicamentos»" in page
    assert "1 of 2 deliverables accepted" in page
    assert "50 % of the required amount (MX$2,000,000.00)" in page

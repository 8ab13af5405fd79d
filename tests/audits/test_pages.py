"""The audit pages through Django's test client: scoping and the forms' round trips."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.world import World

from besa.audits import cases
from besa.audits.models import AuditCase, CaseState, InfoRequest


@pytest.fixture
def case(world: World) -> AuditCase:
    opened = cases.open_case(
        opened_by=world.oversight,
        institution=world.inst_a,
        contracts=[world.contracts["A1"]],
        source="manual",
        source_reference="",
        title="Revisión de entregas",
        reason="Entregas sin acta",
    )
    return cases.take_step(opened, "activate", by=world.oversight)


def test_the_auditor_sends_a_request_and_the_operator_answers_it(
    client: Client, world: World, case: AuditCase
) -> None:
    client.force_login(world.oversight)
    page = client.get(f"/auditorias/casos/{case.id}/")
    assert page.status_code == 200 and "Revisión de entregas" in page.text
    sent = client.post(
        f"/auditorias/casos/{case.id}/paso/",
        {"do": "request", "buying_unit": "A1", "subject": "Actas", "body": "Envíe actas",
         "business_days": "5"},
    )  # fmt: skip
    assert sent.status_code == 302
    request = InfoRequest.objects.get()
    client.force_login(world.operator)
    listing = client.get("/auditorias/requerimientos/")
    assert "Actas" in listing.text
    answered = client.post(f"/auditorias/requerimientos/{request.id}/", {"answer": "Se anexan"})
    assert answered.status_code == 302
    request.refresh_from_db()
    assert request.answer == "Se anexan"


def test_a_refused_step_says_which_field_and_keeps_the_case_as_it_was(
    client: Client, world: World, case: AuditCase
) -> None:
    client.force_login(world.oversight)
    refused = client.post(f"/auditorias/casos/{case.id}/paso/", {"do": "stop", "reason": ""})
    assert refused.status_code == 400 and "Motivo" in refused.text
    case.refresh_from_db()
    assert case.state == CaseState.ACTIVE


def test_scoping_of_pages(client: Client, world: World, case: AuditCase) -> None:
    client.force_login(world.operator)
    assert client.get("/auditorias/").status_code == 403
    assert client.get(f"/auditorias/casos/{case.id}/").status_code == 403
    world.oversight.oversees.set([world.inst_b])
    client.force_login(world.oversight)
    assert client.get(f"/auditorias/casos/{case.id}/").status_code == 404
    assert "Revisión de entregas" not in client.get("/auditorias/").text
    cases_request = cases.send_request(
        case, by=world.admin, buying_unit=world.units["A1"], subject="S", body="B",
        business_days=3,
    )  # fmt: skip
    client.force_login(world.coordinator)
    assert client.get(f"/auditorias/requerimientos/{cases_request.id}/").status_code == 200
    world.coordinator.institution = world.inst_b
    world.coordinator.save()
    assert client.get(f"/auditorias/requerimientos/{cases_request.id}/").status_code == 404

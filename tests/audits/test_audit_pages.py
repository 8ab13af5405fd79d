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


def test_the_report_counts_cases_findings_and_amounts_in_scope_in_every_format(
    client: Client, world: World, case: AuditCase
) -> None:
    cases.record_finding(
        case, by=world.oversight, title="Pena", description="No aplicada",
        legal_basis="LAASSP art. 53", amount_at_stake="1000.00",
    )  # fmt: skip
    cases.open_case(
        opened_by=world.admin, institution=world.inst_b, contracts=[world.contracts["B1"]],
        source="manual", source_reference="", title="Otro", reason="Otro",
    )  # fmt: skip
    from besa.audits.report import build

    report = build(world.oversight, case.opened_at)
    states = report.table("states")
    assert [(r["label"], r["cases"], r["findings"]) for r in states.rows] == [("En curso", 1, 1)]
    assert states.totals == {"cases": 1, "findings": 1, "stake": 1000, "recovered": 0}
    assert sum(r["cases"] for r in build(world.admin, case.opened_at).table("states").rows) == 2
    client.force_login(world.oversight)
    assert "Auditorías" in client.get("/informes/auditorias/").text
    assert client.get("/informes/auditorias.pdf").content.startswith(b"%PDF")
    assert client.get("/informes/auditorias.xlsx").content.startswith(b"PK")
    client.force_login(world.operator)
    assert client.get("/informes/auditorias/").status_code == 403


def test_the_api_lists_cases_in_scope_and_takes_steps(
    client: Client, world: World, case: AuditCase
) -> None:
    client.force_login(world.oversight)
    assert [c["number"] for c in client.get("/api/audits/cases").json()] == [case.number]
    stopped = client.post(
        f"/api/audits/cases/{case.id}/steps", {"action": "stop"}, content_type="application/json"
    )
    assert stopped.status_code == 422
    done = client.post(
        f"/api/audits/cases/{case.id}/steps",
        {"action": "stop", "reason": "Rescindido"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "stopped"
    client.force_login(world.operator)
    assert client.get("/api/audits/cases").json() == []
    assert client.get(f"/api/audits/cases/{case.id}").status_code == 404


def test_the_report_follows_the_filters_through_the_cases_contracts(
    client: Client, world: World, case: AuditCase
) -> None:
    client.force_login(world.admin)
    cases.open_case(
        opened_by=world.admin, institution=world.inst_b, contracts=[world.contracts["B1"]],
        source="manual", source_reference="", title="Otro", reason="Otro",
    )  # fmt: skip
    page = client.get("/informes/auditorias/?institucion=INSTB")
    assert '<th scope="row">Institución B</th>' in page.text
    assert '<th scope="row">Institución A</th>' not in page.text

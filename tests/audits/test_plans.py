"""Audit plans: the method (minimum score, indicators), the subject (institution, buying unit,
supplier) and the object (the stages each case examines) choose the contracts; the plan keeps
what it chose and why, and its cases examine the stages chosen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from tests.world import World, make_contract

from besa.audits import cases, plans
from besa.audits.models import AuditCase, AuditPlan
from besa.exceptions import InvalidInput, PermissionDenied
from besa.logbook.models import Entry
from besa.registry.models import Contract
from besa.registry.suppliers import register_supplier


@pytest.fixture
def direct(world: World) -> Contract:
    """A direct award of buying unit A2 to another supplier, then the risk ranking: the direct
    award raises the procedure indicator (PROC) that the open tenders do not."""
    other = register_supplier(rfc="AAA010101AAA", name="Proveedora Directa", strict=False)
    contract = make_contract(
        world.admin,
        world.units["A2"],
        other,
        procedure_type="adjudicacion_directa",
        legal_basis="LAASSP art. 41 fr. I",
        exception_justification="Único proveedor con la patente",
    )
    call_command("risk", "--as-of", "2025-12-31")
    return contract


def _ocids(proposal: plans.Proposal) -> set[str]:
    return {c.ocid for c in proposal.candidates}


def test_the_subject_narrows_the_candidates_to_a_buying_unit_or_a_supplier(
    world: World, direct: Contract
) -> None:
    everything = plans.propose(world.oversight, capacity=10, min_score=0)
    # Oversight of institution A sees A's three contracts, not B's.
    assert _ocids(everything) == {
        world.contracts["A1"].ocid,
        world.contracts["A2"].ocid,
        direct.ocid,
    }
    of_unit = plans.propose(
        world.oversight, capacity=10, min_score=0, scope=plans.Scope(buying_unit="a2")
    )
    assert _ocids(of_unit) == {world.contracts["A2"].ocid, direct.ocid}
    of_supplier = plans.propose(
        world.oversight, capacity=10, min_score=0, scope=plans.Scope(supplier="aaa010101aaa")
    )
    assert _ocids(of_supplier) == {direct.ocid}


def test_the_method_keeps_only_contracts_that_raise_a_chosen_indicator(
    world: World, direct: Contract
) -> None:
    everything = plans.propose(world.admin, capacity=10, min_score=0)
    raised = {c.ocid: set(c.reasons) for c in everything.candidates}
    assert "PROC" in raised[direct.ocid]
    assert "PROC" not in raised[world.contracts["A1"].ocid]
    chosen = plans.propose(
        world.admin, capacity=10, min_score=0, scope=plans.Scope(indicators=("PROC",))
    )
    assert _ocids(chosen) == {o for o, codes in raised.items() if "PROC" in codes}


@pytest.mark.parametrize(
    ("scope", "field"),
    [
        (plans.Scope(buying_unit="ZZ9"), "buying_unit"),
        (plans.Scope(supplier="XEXX010101000"), "supplier"),
        (plans.Scope(indicators=("NOPE",)), "indicators"),
        (plans.Scope(stages=("payment",)), "stages"),
    ],
)
def test_an_unknown_subject_indicator_or_stage_is_refused_by_name(
    world: World, direct: Contract, scope: plans.Scope, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        plans.create_plan(
            world.oversight,
            title="Programa",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
            capacity=1,
            min_score=0,
            scope=scope,
        )
    assert refused.value.field == field
    assert not AuditPlan.objects.exists() and not AuditCase.objects.exists()


def test_the_plan_keeps_its_method_subject_and_object_and_its_cases_examine_those_stages(
    world: World, direct: Contract
) -> None:
    plan = plans.create_plan(
        world.oversight,
        title="Adjudicaciones directas 2026",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        capacity=5,
        min_score=0,
        scope=plans.Scope(
            institution="insta",
            buying_unit="A2",
            indicators=("PROC",),
            stages=("implementation", "award"),
        ),
    )
    assert plan.method == {
        "ranking": "contratos",
        "min_score": 0,
        "institution": "INSTA",
        "buying_unit": "A2",
        "indicators": ["PROC"],
        "stages": ["award", "implementation"],  # in the contract's order
    }
    case = AuditCase.objects.get(plan=plan)
    assert list(case.contracts.all()) == [direct]
    assert case.stages == ["award", "implementation"]
    opened = Entry.objects.get(contract=direct, kind="audit_opened")
    assert opened.payload["stages"] == ["award", "implementation"]


def test_every_stage_is_the_same_as_none_and_is_not_written(world: World) -> None:
    case = cases.open_case(
        opened_by=world.oversight,
        institution=world.inst_a,
        contracts=[world.contracts["A1"]],
        source="manual",
        source_reference="",
        title="Revisión",
        reason="Hechos",
        stages=["implementation", "planning", "tender", "award", "contract", "award"],
    )
    assert case.stages == []
    assert "stages" not in Entry.objects.get(kind="audit_opened").payload


def test_operators_cannot_plan(world: World, direct: Contract) -> None:
    with pytest.raises(PermissionDenied):
        plans.propose(world.operator, capacity=1, min_score=0)


def test_the_plan_page_round_trips_the_scope_and_shows_it_in_words(
    client: Client, world: World, direct: Contract
) -> None:
    client.force_login(world.oversight)
    query = "?capacity=3&min_score=0&buying_unit=A2&indicators=PROC&stages=award&stages=contract"
    proposal = client.get(f"/auditorias/programa/{query}")
    assert proposal.status_code == 200
    assert direct.number in proposal.text and world.contracts["A1"].number not in proposal.text
    created = client.post(
        "/auditorias/programa/",
        {"title": "Programa UC A2", "period_start": "2026-01-01", "period_end": "2026-03-31",
         "capacity": "3", "min_score": "0", "buying_unit": "A2", "indicators": ["PROC"],
         "stages": ["award", "contract"]},
    )  # fmt: skip
    assert created.status_code == 302
    plan = AuditPlan.objects.get()
    page = client.get(created["Location"])
    assert "Procedimiento no competitivo" in page.text  # PROC in words
    assert "Adjudicación, Formalización del contrato" in page.text
    case = AuditCase.objects.get(plan=plan)
    assert (
        "Adjudicación, Formalización del contrato"
        in client.get(f"/auditorias/casos/{case.id}/").text
    )
    refused = client.get("/auditorias/programa/?capacity=3&min_score=0&supplier=XEXX010101000")
    assert refused.status_code == 400 and "Proveedor (RFC)" in refused.text

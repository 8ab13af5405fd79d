"""Issue 12 items 5 and 6: data gaps are not misconduct, and A01's other half.

A contract published elsewhere reaches BESA by import (registered by the system actor
``import:…``, exactly as ``besa import ocds`` and ``besa import compranet`` register it). What
its source cannot carry is a data gap with a deadline counted in business days on the
jurisdiction's calendar; the sweep raises the alert the day after the deadline if the fact is
still missing, and recording it closes the gap. Its buying unit registers it by confirming the
pre-filled registration; A01 "not registered" comes when the registration deadline passes
without that confirmation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests.world import World

from besa.alerts.models import Alert, AlertState, DataGap
from besa.alerts.sweep import sweep
from besa.exceptions import Conflict
from besa.jurisdiction import from_env
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import Entry
from besa.registry.confirmation import confirm
from besa.registry.models import Contract
from besa.registry.publication import publication_of
from besa.registry.registration import SupplierShare, register_contract

MX = ZoneInfo("America/Mexico_City")
IMPORTER = Actor.system("import:ocds")


def _at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=MX)


def _published(world: World, unit: str = "A1", **overrides: object) -> Contract:
    """A contract as an importer registers it (pre-filled from the published data)."""
    fields: dict[str, object] = dict(
        number=f"PUB-{unit}-{Contract.objects.count() + 1}",
        title="Suministro publicado",
        contracting_type="adquisicion",
        procedure_type="licitacion_publica",
        award_date=dt.date(2025, 4, 1),
        signing_date=dt.date(2025, 4, 9),
        start_date=dt.date(2025, 4, 10),
        end_date=dt.date(2025, 12, 31),
        amount=Decimal("20000000.00"),
        currency="MXN",
    )
    fields.update(overrides)
    return register_contract(
        IMPORTER,
        buying_unit=world.units[unit],
        suppliers=[SupplierShare(world.supplier)],
        **fields,
    )


def _open(contract: Contract, rule: str) -> list[Alert]:
    return list(contract.alerts.filter(rule=rule).exclude(state=AlertState.CORRECTED))


def _gaps(contract: Contract) -> dict[str, DataGap]:
    return {g.item: g for g in DataGap.objects.filter(contract=contract, closed_at=None)}


SUFFICIENCY = {
    "oficio_number": "SH/123/2025",
    "date": "2025-03-20",
    "amount": "25000000.00",
    "fiscal_year": 2025,
    "budget_key": "2025-12-345",
}


def test_the_grace_period_is_counted_in_business_days_and_the_sweep_raises_the_alert_after_it(
    world: World,
) -> None:
    # Imported on Friday 2025-04-11. Ten business days on the federal calendar skip Holy
    # Thursday and Good Friday (2025-04-17/18): the last day is Tuesday 2025-04-29, where ten
    # weekdays alone would end on 2025-04-25.
    calendar = from_env().calendar
    assert calendar.add_business_days(dt.date(2025, 4, 11), 10) == dt.date(2025, 4, 29)
    with time_machine.travel(_at("2025-04-11"), tick=False):
        contract = _published(world)
    gaps = _gaps(contract)
    assert gaps["budget_sufficiency"].due_on == dt.date(2025, 4, 29)
    assert gaps["compliance_opinions"].due_on == dt.date(2025, 4, 29)
    assert not any(g.overdue for g in gaps.values())
    assert not contract.alerts.exists()  # a data gap is in nobody's inbox

    sweep(_at("2025-04-29", 23))  # the last day of the grace period
    assert not _open(contract, "A02") and not _open(contract, "A17")
    gaps = _gaps(contract)
    assert gaps["performance_guarantee"].due_on == dt.date(2025, 4, 29)  # A04's own deadline
    assert not _open(contract, "A04")

    report = sweep(_at("2025-04-30", 8))  # the day after: still missing, now misconduct
    assert report.contracts == 1
    for rule in ("A02", "A04", "A17"):
        assert len(_open(contract, rule)) == 1, rule
    assert all(g.overdue for g in _gaps(contract).values())

    # The buying unit records the sufficiency: the gap closes and the alert corrects itself.
    with time_machine.travel(_at("2025-05-02"), tick=False):
        append(contract, "budget_sufficiency", SUFFICIENCY, actor=Actor.of(world.operator))
    assert "budget_sufficiency" not in _gaps(contract)
    closed = DataGap.objects.get(contract=contract, item="budget_sufficiency")
    assert closed.closed_at is not None
    assert not _open(contract, "A02")
    assert contract.alerts.get(rule="A02").state == AlertState.CORRECTED


def test_a_contract_the_buying_unit_typed_in_has_no_grace_period(world: World) -> None:
    contract = world.contracts["A1"]  # registered by a person, without a sufficiency
    assert _open(contract, "A02")
    assert not DataGap.objects.filter(contract=contract, kind="missing").exists()


def test_a_contract_signed_before_coverage_is_kept_and_shown_but_raises_no_alert(
    world: World,
) -> None:
    assert from_env().coverage.covered_from == dt.date(2021, 10, 18)
    with time_machine.travel(_at("2025-04-11"), tick=False):
        old = _published(
            world,
            award_date=dt.date(2021, 9, 1),
            signing_date=dt.date(2021, 10, 15),
            start_date=dt.date(2021, 10, 16),
            end_date=dt.date(2022, 3, 31),
        )
    sweep(_at("2026-06-01"))  # long after every deadline
    assert not old.alerts.exists()
    gaps = _gaps(old)
    assert {"budget_sufficiency", "compliance_opinions", "performance_guarantee"} <= set(gaps)
    assert all(g.due_on is None and not g.overdue for g in gaps.values())


def test_a_published_contract_not_confirmed_by_the_deadline_raises_a01_not_registered(
    world: World,
) -> None:
    # Signed Wednesday 2025-04-09; registration deadline: 5 business days, 2025-04-16.
    with time_machine.travel(_at("2025-04-11"), tick=False):
        contract = _published(world)
    publication = publication_of(contract.pk)
    assert publication is not None and publication.confirmed_at is None
    assert publication.reached_on == dt.date(2025, 4, 11)
    sweep(_at("2025-04-16", 23))
    assert not _open(contract, "A01")
    sweep(_at("2025-04-17", 9))
    (alert,) = _open(contract, "A01")
    assert alert.evidence["problem"] == "not_registered"
    assert alert.evidence["deadline"] == "2025-04-16"
    assert alert.breach_since == dt.date(2025, 4, 17)

    # Confirming late turns it into "registered late", counted to the confirmation.
    with time_machine.travel(_at("2025-04-22"), tick=False):
        confirm(contract, {}, actor=Actor.of(world.operator))
    (late,) = _open(contract, "A01")
    assert "problem" not in late.evidence
    assert late.evidence["registered_on"] == "2025-04-22"
    assert late.evidence["business_days_late"] == 2  # 21 and 22: Holy Week's 17 and 18 do not count


def test_confirming_before_the_deadline_raises_no_a01_and_the_operator_signs_the_registration(
    world: World,
) -> None:
    with time_machine.travel(_at("2025-04-11"), tick=False):
        contract = _published(world)
    with time_machine.travel(_at("2025-04-14"), tick=False):
        entry = confirm(
            contract,
            {"title": "Suministro de medicamentos (corregido)", "procedure_number": "LA-9"},
            actor=Actor.of(world.operator),
        )
    assert entry.kind == "rectification"
    assert entry.actor["user"] == world.operator.username
    assert entry.payload["payload"]["contract"]["title"] == "Suministro de medicamentos (corregido)"
    contract.refresh_from_db()
    assert contract.title == "Suministro de medicamentos (corregido)"  # the row is its projection
    assert contract.procedure_number == "LA-9"
    publication = publication_of(contract.pk)
    assert publication is not None and publication.confirmed_at == entry.recorded_at
    sweep(_at("2025-12-01"))
    assert not _open(contract, "A01")
    with pytest.raises(Conflict):
        confirm(contract, {}, actor=Actor.of(world.operator))


def test_a_contract_its_unit_registered_itself_cannot_be_confirmed(world: World) -> None:
    with pytest.raises(Conflict):
        confirm(world.contracts["A1"], {}, actor=Actor.of(world.operator))
    assert publication_of(world.contracts["A1"].pk) is None


def test_confirmation_is_refused_out_of_scope_and_for_a_bad_value(world: World) -> None:
    from besa.exceptions import InvalidInput, PermissionDenied

    with time_machine.travel(_at("2025-04-11"), tick=False):
        other = _published(world, unit="B1")
        mine = _published(world)
    with time_machine.travel(_at("2025-04-14"), tick=False):
        with pytest.raises(PermissionDenied):
            confirm(other, {}, actor=Actor.of(world.operator))
        with pytest.raises(InvalidInput) as refused:
            confirm(mine, {"amount": "mucho"}, actor=Actor.of(world.operator))
        assert refused.value.field == "amount"
        with pytest.raises(InvalidInput):
            confirm(mine, {"title": " "}, actor=Actor.of(world.operator))
    assert not Entry.objects.filter(contract__in=[other, mine], kind="rectification").exists()


def test_a_completion_period_set_in_the_jurisdiction_file_is_used(
    world: World, tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importlib import resources

    text = (resources.files("besa.jurisdiction") / "files" / "mx-federal.toml").read_text()
    path = tmp_path / "mx.toml"  # type: ignore[operator]
    path.write_text(text.replace("completion_business_days = 10", "completion_business_days = 2"))
    monkeypatch.setenv("BESA_JURISDICTION", str(path))
    with time_machine.travel(_at("2025-04-11"), tick=False):
        contract = _published(world)
    # Friday + 2 business days: Tuesday 2025-04-15.
    assert _gaps(contract)["budget_sufficiency"].due_on == dt.date(2025, 4, 15)


def test_the_entry_preview_decides_as_sync_does(world: World) -> None:
    from besa.web.preview import consequences

    with time_machine.travel(_at("2025-04-11"), tick=False):
        contract = _published(world)
    operator = Actor.of(world.operator)
    # Within the grace period, recording a sufficiency opens nothing (A17's missing opinions
    # are a data gap, not an alert, until 2025-04-29).
    during = consequences(
        contract, "budget_sufficiency", SUFFICIENCY, actor=operator, now=_at("2025-04-14")
    )
    assert not [c for c in during if c.opens], during
    # After the registration deadline, the confirming rectification turns "not registered"
    # into "registered late" (A01's evidence changes).
    sweep(_at("2025-04-17", 9))
    registration = contract.entries.get(kind="registration")
    confirming = {
        "corrects": str(registration.uuid),
        "reason": "confirmado",
        "payload": registration.payload,
    }
    contract.refresh_from_db()
    with time_machine.travel(_at("2025-04-22"), tick=False):
        preview = consequences(
            contract, "rectification", confirming, actor=operator, now=_at("2025-04-22")
        )
    assert [(c.rule, c.effect) for c in preview if c.rule == "A01"] == [("A01", "updates")]

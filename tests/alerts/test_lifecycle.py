"""The alert lifecycle: who may move an alert where, with a record of who, when and why;
escalation of unattended alerts to the coordinator and then to oversight."""

from __future__ import annotations

import pytest
from tests.alerts.conftest import Append, at, schedule
from tests.world import World

from besa.alerts import lifecycle
from besa.alerts.escalation import escalate
from besa.alerts.models import Alert, AlertState
from besa.alerts.sweep import sweep
from besa.exceptions import InvalidInput, NotFound, PermissionDenied


@pytest.fixture
def late_delivery(world: World, record: Append) -> Alert:
    record("deliverable_schedule", schedule("2025-08-15"), "2025-06-12")
    sweep(at("2025-08-18", 9))  # a Monday
    return Alert.objects.get(rule="A07")


def test_the_operator_justifies_and_oversight_resolves(world: World, late_delivery: Alert) -> None:
    lifecycle.act(world.operator, late_delivery.pk, "attend", now=at("2025-08-18", 10))
    lifecycle.act(
        world.operator,
        late_delivery.pk,
        "justify",
        now=at("2025-08-19"),
        reason="Caso fortuito: bloqueo carretero",
        documents=[{"title": "Acta", "sha256": "a" * 64, "media_type": "application/pdf"}],
    )
    alert = lifecycle.act(
        world.oversight,
        late_delivery.pk,
        "resolve",
        now=at("2025-08-25"),
        reason="Justificación suficiente",
    )
    assert alert.state == AlertState.RESOLVED and alert.closed_at == at("2025-08-25")
    history = [(e.action, e.from_state, e.to_state, e.actor) for e in alert.events.all()]
    assert history == [
        ("opened", "", "open", "system:rules"),
        ("attend", "open", "in_attention", "oper"),
        ("justify", "in_attention", "justified", "oper"),
        ("resolve", "justified", "resolved", "oic"),
    ]
    assert alert.events.get(action="justify").documents[0]["sha256"] == "a" * 64


def test_an_unresolved_alert_is_referred_to_investigation(
    world: World, late_delivery: Alert
) -> None:
    lifecycle.act(world.oversight, late_delivery.pk, "reject", reason="Sin sustento")
    alert = lifecycle.act(world.oversight, late_delivery.pk, "refer", reason="Turnar al OIC")
    assert alert.state == AlertState.REFERRED


@pytest.mark.parametrize(
    ("persona", "action", "error"),
    [
        ("oversight", "justify", PermissionDenied),  # the judge does not explain
        ("operator", "resolve", InvalidInput),  # not from "open"
        ("coordinator", "reject", PermissionDenied),
        ("operator", "justify", InvalidInput),  # a justification needs a reason
    ],
)
def test_roles_only_take_their_own_steps(
    world: World, late_delivery: Alert, persona: str, action: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        lifecycle.act(getattr(world, persona), late_delivery.pk, action)
    assert Alert.objects.get(pk=late_delivery.pk).state == AlertState.OPEN


def test_an_operator_of_another_buying_unit_cannot_see_the_alert(
    world: World, late_delivery: Alert
) -> None:
    from besa.registry.models import Role, User

    stranger = User.objects.create_user("otro", password="x", role=Role.OPERATOR)
    stranger.buying_units.set([world.units["B1"]])
    with pytest.raises(NotFound):
        lifecycle.act(stranger, late_delivery.pk, "attend")


def test_an_unattended_alert_escalates_to_the_coordinator_then_to_oversight(
    world: World, late_delivery: Alert
) -> None:
    def level_after(moment: str, hour: int) -> int:
        escalate(at(moment, hour))
        return Alert.objects.get(pk=late_delivery.pk).escalation_level

    # Opened Monday 2025-08-18 09:00; 5 business days later is Monday 2025-08-25 09:00.
    assert level_after("2025-08-25", 8) == 0
    assert level_after("2025-08-25", 10) == 1
    assert level_after("2025-08-25", 11) == 1  # not twice
    # 5 more business days (2025-09-01 is a Monday) and it reaches oversight.
    assert level_after("2025-09-01", 9) == 1
    assert level_after("2025-09-01", 11) == 2
    alert = Alert.objects.get(pk=late_delivery.pk)
    assert alert.escalate_at is None
    assert [e.action for e in alert.events.all()][-2:] == ["escalated:1", "escalated:2"]


def test_attending_stops_escalation(world: World, late_delivery: Alert) -> None:
    lifecycle.act(world.operator, late_delivery.pk, "attend", now=at("2025-08-19"))
    escalate(at("2025-09-30"))
    assert Alert.objects.get(pk=late_delivery.pk).escalation_level == 0

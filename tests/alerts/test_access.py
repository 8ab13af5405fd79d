"""Listing and acting on alerts: `besa alerts`, the API, under the registry's role scoping."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client
from tests.alerts.conftest import Append, at, schedule
from tests.world import World

from besa.alerts.models import Alert, AlertState
from besa.alerts.sweep import sweep

KEYS = {"ocid", "rule", "severity", "state", "subject", "evidence", "opened_at"}


@pytest.fixture
def late(world: World, record: Append) -> Alert:
    record("deliverable_schedule", schedule("2025-08-15"), "2025-06-12")
    sweep(at("2025-08-18", 9))
    return Alert.objects.get(rule="A07")


def test_the_command_lists_alerts_as_json_with_filters(
    late: Alert, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("alerts", "--format", "json", "--rule", "A07", "--institution", "INSTA")
    items = json.loads(capsys.readouterr().out)
    assert [i["subject"] for i in items] == ["deliverable:D1"]
    assert set(items[0]) >= KEYS
    call_command("alerts", "--format", "json", "--institution", "INSTB")
    others = json.loads(capsys.readouterr().out)
    assert {i["institution"] for i in others} <= {"INSTB"}
    assert str(late.id) not in {i["id"] for i in others}


def test_the_api_lists_only_alerts_in_scope(client: Client, world: World, late: Alert) -> None:
    client.force_login(world.operator)
    items = client.get("/api/alerts?rule=A07").json()["items"]
    assert [i["id"] for i in items] == [str(late.id)] and set(items[0]) >= KEYS
    outsider = world.coordinator
    outsider.institution = world.inst_b
    outsider.save()
    client.force_login(outsider)
    seen = client.get("/api/alerts?limit=500").json()["items"]
    assert {i["institution"] for i in seen} <= {"INSTB"}
    assert str(late.id) not in {i["id"] for i in seen}
    assert client.get(f"/api/alerts/{late.id}").status_code == 404


def test_the_api_lets_the_operator_justify_and_oversight_resolve(
    client: Client, world: World, late: Alert
) -> None:
    client.force_login(world.operator)
    url = f"/api/alerts/{late.id}/actions"
    refused = client.post(
        url, {"action": "resolve", "reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 422  # not from "open"
    done = client.post(url, {"action": "justify", "reason": "Caso fortuito"},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["state"] == AlertState.JUSTIFIED
    client.force_login(world.oversight)
    resolved = client.post(url, {"action": "resolve", "reason": "Procede"},
                           content_type="application/json")  # fmt: skip
    assert resolved.status_code == 200
    assert [e["action"] for e in resolved.json()["events"]][-2:] == ["justify", "resolve"]


def test_oversight_cannot_justify_through_the_api(
    client: Client, world: World, late: Alert
) -> None:
    client.force_login(world.oversight)
    response = client.post(f"/api/alerts/{late.id}/actions", {"action": "justify", "reason": "x"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 403
    assert Alert.objects.get(pk=late.pk).state == AlertState.OPEN


def test_the_alerts_page_lists_the_operators_alerts(
    client: Client, world: World, late: Alert
) -> None:
    client.force_login(world.operator)
    page = client.get("/alertas/?rule=A07").content.decode()
    assert "Entrega atrasada" in page and "Entrega D1" in page and "A07" in page
    assert "deliverable:D1" not in page  # the subject in words, never its internal code

"""Pagination (one envelope: items, count, next, previous) and filters on contracts, entries
and alerts, always inside the caller's scope; the OpenAPI document lists the new paths."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from tests.alerts.conftest import at, schedule
from tests.world import World, make_contract

from besa.alerts.queries import visible_alerts
from besa.alerts.sweep import sweep
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import Entry
from besa.registry.suppliers import register_supplier


def get(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def follow(client: Client, url: str) -> list[Any]:
    """Every item, following ``next`` until it is null."""
    items: list[Any] = []
    while url:
        page = get(client, url)
        items += page["items"]
        url = page["next"]
    return items


def test_following_next_visits_every_contract_once_and_previous_goes_back(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    for _ in range(3):
        make_contract(world.admin, world.units["B2"], world.supplier)

    first = get(client, "/api/contracts?limit=2&institution=INSTB")
    assert (first["count"], len(first["items"]), first["previous"]) == (5, 2, None)
    link = urlsplit(first["next"])
    assert (link.path, parse_qs(link.query)) == (
        "/api/contracts",
        {"institution": ["INSTB"], "limit": ["2"], "offset": ["2"]},
    )
    everything = follow(client, "/api/contracts?limit=2&institution=INSTB")
    assert len(everything) == len({c["ocid"] for c in everything}) == 5
    last = get(client, "/api/contracts?limit=2&offset=4&institution=INSTB")
    assert last["next"] is None
    assert (
        get(client, last["previous"])["items"]
        == get(client, "/api/contracts?limit=2&offset=2&institution=INSTB")["items"]
    )


def test_contract_filters_narrow_within_the_scope(client: Client, world: World) -> None:
    other = register_supplier(rfc="XIA190128J61", name="Otra, S.A. de C.V.")
    late = make_contract(
        world.admin,
        world.units["A2"],
        other,
        signing_date=dt.date(2025, 9, 1),
        start_date=dt.date(2025, 9, 2),
    )
    client.force_login(world.coordinator)

    def ocids(query: str) -> set[str]:
        return {c["ocid"] for c in follow(client, f"/api/contracts?{query}")}

    assert ocids("buying_unit=A2") == {world.contracts["A2"].ocid, late.ocid}
    assert ocids("supplier=xia190128j61") == {late.ocid}
    assert ocids("signed_since=2025-08-01") == {late.ocid}
    assert ocids("signed_until=2025-06-10&buying_unit=A2") == {world.contracts["A2"].ocid}
    assert ocids("status=new") == set()
    assert ocids("status=registered") == {
        world.contracts["A1"].ocid,
        world.contracts["A2"].ocid,
        late.ocid,
    }
    # A filter never widens the scope: B's buying unit is simply empty for A's coordinator.
    assert ocids("buying_unit=B1") == set()


def test_a_bad_filter_value_answers_422_naming_it(client: Client, world: World) -> None:
    client.force_login(world.admin)

    response = client.get("/api/contracts?signed_since=2025-02-30")

    assert response.status_code == 422
    assert response.json()["field"] == "signed_since"


def test_entries_across_contracts_filter_by_kind_institution_and_day(
    client: Client, world: World
) -> None:
    for unit in ("A1", "B1"):
        append(
            world.contracts[unit],
            "deliverable_schedule",
            schedule(),
            actor=Actor.of(world.admin),
            now=at("2025-06-12"),
            occurred_at=at("2025-06-12"),
        )
    client.force_login(world.operator)

    mine = follow(client, "/api/entries?limit=1")
    assert [(e["ocid"], e["kind"]) for e in mine] == [
        (world.contracts["A1"].ocid, "registration"),
        (world.contracts["A1"].ocid, "deliverable_schedule"),
    ]
    assert follow(client, "/api/entries?institution=INSTB") == []  # out of scope stays out
    client.force_login(world.admin)
    schedules = follow(client, "/api/entries?kind=deliverable_schedule")
    assert {e["ocid"] for e in schedules} == {world.contracts[u].ocid for u in ("A1", "B1")}
    only_b = follow(client, "/api/entries?kind=deliverable_schedule&institution=INSTB")
    assert [e["ocid"] for e in only_b] == [world.contracts["B1"].ocid]
    by_day = follow(client, "/api/entries?recorded_since=2025-06-12&recorded_until=2025-06-12")
    assert {e["id"] for e in by_day} == {
        str(u)
        for u in Entry.objects.filter(kind="deliverable_schedule").values_list("uuid", flat=True)
    }
    one = follow(client, f"/api/contracts/{world.contracts['A1'].ocid}/entries?kind=registration")
    assert [e["sequence"] for e in one] == [1]


@pytest.fixture
def alerted(world: World) -> World:
    """A07 (a deliverable not delivered) on A1 and B1, raised on 2025-08-18."""
    for unit in ("A1", "B1"):
        append(
            world.contracts[unit],
            "deliverable_schedule",
            schedule("2025-08-15"),
            actor=Actor.of(world.admin),
            now=at("2025-06-12"),
            occurred_at=at("2025-06-12"),
        )
    sweep(at("2025-08-18", 9))
    return world


def test_alert_filters_by_code_state_unit_supplier_and_day(client: Client, alerted: World) -> None:
    world = alerted
    client.force_login(world.admin)

    def ids(query: str) -> set[str]:
        return {a["id"] for a in follow(client, f"/api/alerts?{query}")}

    a07 = visible_alerts(world.admin, rule="A07")
    assert ids("rule=A07") == {str(a.id) for a in a07} != set()
    assert ids("rule=A07&buying_unit=B1") == {
        str(a.id) for a in a07.filter(ocid=world.contracts["B1"].ocid)
    }
    assert ids("rule=A07&supplier=GODE561231GR8") == ids("rule=A07")
    assert ids("supplier=XIA190128J61") == set()
    assert ids("rule=A07&state=open") == ids("rule=A07")
    assert ids("rule=A07&state=resolved") == set()
    opened = {a.opened_at.astimezone(dt.UTC).date() for a in a07}
    day = min(opened).isoformat()
    assert ids(f"rule=A07&opened_since={day}&opened_until={day}") == {
        str(a.id) for a in a07 if a.opened_at.astimezone(dt.UTC).date() == min(opened)
    }
    client.force_login(world.operator)
    assert ids("rule=A07&buying_unit=B1") == set()  # scope first, filters after


def test_the_openapi_document_lists_the_new_paths_filters_and_bearer_scheme(
    client: Client, db: None
) -> None:
    document = get(client, "/api/openapi.json")

    assert document["openapi"].startswith("3.1.")
    for path in (
        "/api/entries",
        "/api/opendata/{view}.csv",
        "/api/opendata/ocds/{kind}.json",
        "/api/opendata/besa.xlsx",
    ):
        assert path in document["paths"], path
    params = {p["name"] for p in document["paths"]["/api/contracts"]["get"]["parameters"]}
    assert {
        "institution",
        "buying_unit",
        "supplier",
        "status",
        "signed_since",
        "signed_until",
        "limit",
        "offset",
    } <= params
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    # The open-data downloads need no authentication.
    assert not document["paths"]["/api/opendata/{view}.csv"]["get"].get("security")

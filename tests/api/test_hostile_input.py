"""Careless or hostile input is refused with a 422 naming the field, never a 500 (issue 11):
dates out of the jurisdiction's window, huge offsets, control characters, and idempotency
keys reused across institutions or for a different request. Runs on PostgreSQL as well when
``BESA_DATABASE_URL`` points at one."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.world import World

from besa.logbook.actor import Actor
from besa.logbook.append import append, hooks_suspended
from besa.logbook.kinds import DateWindow
from besa.logbook.models import Entry
from besa.registry.models import Role, User

PAYMENT = {"date": "2025-07-01", "amount": "1000.00", "currency": "MXN"}
SUFFICIENCY = {
    "oficio_number": "SH/123/2025",
    "date": "2025-06-01",
    "amount": "20000000.00",
    "fiscal_year": 2025,
    "budget_key": "2025-12-610-2-1-01-00-001-25301-1-1-09",
}
LIST_ENDPOINTS = ["/api/contracts", "/api/entries", "/api/alerts", "{entries}"]


def entries_url(world: World, unit: str = "A1") -> str:
    return f"/api/contracts/{world.contracts[unit].ocid}/entries"


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def entry_count(world: World, unit: str = "A1") -> int:
    return Entry.objects.filter(contract=world.contracts[unit]).count()


def schedule(due_date: str) -> dict[str, Any]:
    deliverable = {
        "deliverable_id": "D1",
        "description": "Primera entrega",
        "quantity": "1",
        "amount": "1000.00",
        "due_date": due_date,
    }
    return {"kind": "deliverable_schedule", "payload": {"deliverables": [deliverable]}}


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31", "9999-12-31"])
def test_a_payment_dated_outside_the_window_is_refused_naming_its_date(
    client: Client, world: World, day: str
) -> None:
    client.force_login(world.admin)

    response = post(
        client, entries_url(world), {"kind": "payment", "payload": {**PAYMENT, "date": day}}
    )

    assert response.status_code == 422, response.content
    assert response.json()["field"] == "payload.date"
    assert day in response.json()["detail"]
    assert entry_count(world) == 1


@pytest.mark.parametrize(
    "occurred_at",
    ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "1989-06-01T12:00:00Z"],
)
def test_an_entry_that_occurred_outside_the_window_is_refused_naming_occurred_at(
    client: Client, world: World, occurred_at: str
) -> None:
    client.force_login(world.admin)
    body = {"kind": "budget_sufficiency", "payload": SUFFICIENCY, "occurred_at": occurred_at}

    response = post(client, entries_url(world), body)

    assert response.status_code == 422, response.content
    assert response.json()["field"] == "occurred_at"
    assert entry_count(world) == 1


def test_a_fact_dated_after_tomorrow_is_refused_but_a_due_date_ten_years_ahead_is_accepted(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    in_three_days = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    in_ten_years = dt.date.today().replace(day=1, year=dt.date.today().year + 10).isoformat()

    future_payment = post(
        client,
        entries_url(world),
        {"kind": "payment", "payload": {**PAYMENT, "date": in_three_days}},
    )
    planned = post(client, entries_url(world), schedule(in_ten_years))

    assert future_payment.status_code == 422
    assert future_payment.json()["field"] == "payload.date"
    assert planned.status_code == 201, planned.content


def test_a_due_date_beyond_the_horizon_is_refused_naming_the_deliverable(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)

    response = post(client, entries_url(world), schedule("9999-12-31"))

    assert response.status_code == 422
    assert response.json()["field"] == "payload.deliverables.0.due_date"
    assert "horizon" in response.json()["detail"]


def test_the_contract_page_renders_entries_stored_with_dates_at_the_edge_of_the_calendar(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # History written before dates were bounded: the window is opened wide to store it.
    wide = DateWindow(dt.date.min, dt.date.max, dt.date.max)
    monkeypatch.setattr("besa.logbook.append.date_window", lambda recorded_at: wide)
    contract = world.contracts["A1"]
    with hooks_suspended():
        for moment in (dt.datetime.min, dt.datetime.max):
            append(
                contract,
                "budget_sufficiency",
                SUFFICIENCY,
                actor=Actor.system("legacy"),
                occurred_at=moment.replace(tzinfo=dt.UTC),
            )
    client.force_login(world.admin)

    page = client.get(f"/contratos/{contract.pk}/")

    assert page.status_code == 200
    assert "0001-01-01" in page.content.decode() and "9999-12-31" in page.content.decode()


# --- pagination ---------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_an_offset_of_two_to_the_63_answers_422_on_every_list_endpoint(
    client: Client, world: World, endpoint: str
) -> None:
    client.force_login(world.admin)
    url = endpoint.format(entries=entries_url(world))

    response = client.get(url, {"offset": 2**63})

    assert response.status_code == 422
    assert response.json()["field"] == "offset"


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_a_huge_limit_is_clamped_to_the_largest_page(
    client: Client, world: World, endpoint: str
) -> None:
    client.force_login(world.admin)

    response = client.get(endpoint.format(entries=entries_url(world)), {"limit": 2**70})

    assert response.status_code == 200
    assert response.json()["next"] is None


# --- control characters -------------------------------------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
def test_a_control_character_in_a_text_field_is_refused_naming_the_field(
    client: Client, world: World, character: str
) -> None:
    client.force_login(world.admin)
    body = {
        "kind": "budget_sufficiency",
        "payload": {**SUFFICIENCY, "oficio_number": f"SH{character}1"},
    }

    response = post(client, entries_url(world), body)

    assert response.status_code == 422
    assert response.json()["field"] == "payload.oficio_number"
    assert "control character" in response.json()["detail"]
    assert entry_count(world) == 1


def test_a_lone_surrogate_in_a_document_title_is_refused_naming_it(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    document = {"title": "Oficio", "sha256": "a" * 64, "media_type": "application/pdf"}
    raw = json.dumps(
        {"kind": "budget_sufficiency", "payload": SUFFICIENCY, "documents": [document]}
    ).replace('"Oficio"', '"Ofi\\ud800cio"')

    response = client.post(entries_url(world), raw, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["field"] == "documents.0.title"


def test_line_breaks_and_tabs_are_kept_in_free_text(client: Client, world: World) -> None:
    client.force_login(world.admin)
    description = "Entrega incompleta:\n\t- 3 cajas\r\n\t- 1 manual"
    body = {
        "kind": "deduction",
        "payload": {"description": description, "amount": "100.00", "date": "2025-07-01"},
    }

    response = post(client, entries_url(world), body)

    assert response.status_code == 201, response.content
    assert response.json()["payload"]["description"] == description


def test_a_control_character_in_a_local_id_is_refused_even_a_tab(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    body = schedule("2026-01-15")
    body["payload"]["deliverables"][0]["deliverable_id"] = "D\t1"

    response = post(client, entries_url(world), body)

    assert response.status_code == 422
    assert response.json()["field"] == "payload.deliverables.0.deliverable_id"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/contracts", {"institution": "INS\x00TA"}),
        ("/api/entries", {"kind": "pay\x00ment"}),
        ("/api/alerts", {"rule": "A\x0005"}),
        ("/api/contracts/ocds-besa00-\x00/entries", {}),
        ("/api/contracts/ocds-besa00-\x00/documents/ab\x00", {}),
        ("/api/institutions/INS\x00TA/budgets", {}),
        ("/api/rescissions", {"rfc": "GODE\x00561231GR8"}),
    ],
)
def test_a_nul_in_a_filter_or_a_path_answers_422(
    client: Client, world: World, url: str, params: dict[str, str]
) -> None:
    client.force_login(world.admin)

    assert client.get(url, params).status_code == 422


def test_a_nul_in_an_idempotency_key_answers_422_and_writes_nothing(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    body = {"kind": "budget_sufficiency", "payload": SUFFICIENCY, "idempotency_key": "k\x001"}

    response = post(client, entries_url(world), body)

    assert response.status_code == 422
    assert response.json()["field"] == "idempotency_key"
    assert entry_count(world) == 1


# --- idempotency keys ---------------------------------------------------------------------


def coordinator_of_b(world: World) -> User:
    return User.objects.create_user(
        "coord-b", password="x", role=Role.COORDINATOR, institution=world.inst_b
    )


@pytest.mark.parametrize("what", ["the same body", "another body"])
def test_another_institution_reusing_a_key_is_neither_blocked_nor_answered_with_the_first_entry(
    client: Client, world: World, what: str
) -> None:
    sufficiency = {"kind": "budget_sufficiency", "payload": SUFFICIENCY}
    client.force_login(world.coordinator)
    first = post(client, entries_url(world, "A1"), sufficiency, **{"Idempotency-Key": "shared"})
    client.force_login(coordinator_of_b(world))
    body = sufficiency if what == "the same body" else {"kind": "payment", "payload": PAYMENT}

    second = post(client, entries_url(world, "B1"), body, **{"Idempotency-Key": "shared"})

    # As if A had never used the key: B's request writes its own entry (201, not 200 or 409).
    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert second.json()["ocid"] == world.contracts["B1"].ocid
    assert second.json()["id"] != first.json()["id"]
    assert (entry_count(world, "A1"), entry_count(world, "B1")) == (2, 2)


def test_the_same_key_with_a_different_body_answers_409_and_writes_nothing(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    url = entries_url(world)
    key = {"Idempotency-Key": "once"}
    first = post(client, url, {"kind": "payment", "payload": PAYMENT}, **key)

    other_amount = post(
        client, url, {"kind": "payment", "payload": {**PAYMENT, "amount": "2000"}}, **key
    )
    other_kind = post(client, url, {"kind": "budget_sufficiency", "payload": SUFFICIENCY}, **key)
    other_contract = post(
        client, entries_url(world, "A2"), {"kind": "payment", "payload": PAYMENT}, **key
    )
    other_moment = post(
        client,
        url,
        {"kind": "payment", "payload": PAYMENT, "occurred_at": "2025-07-01T10:00:00-06:00"},
        **key,
    )

    assert first.status_code == 201
    for response in (other_amount, other_kind, other_contract, other_moment):
        assert response.status_code == 409, response.content
        assert response.json()["field"] == "idempotency_key"
    assert (entry_count(world, "A1"), entry_count(world, "A2")) == (2, 1)


def test_a_retry_with_the_same_body_spelled_differently_returns_the_first_entry(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    url = entries_url(world)
    key = {"Idempotency-Key": "retry"}
    first = post(client, url, {"kind": "payment", "payload": PAYMENT}, **key)

    # The currency in lower case: the normalised payload is the one first stored.
    again = post(client, url, {"kind": "payment", "payload": {**PAYMENT, "currency": "mxn"}}, **key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert entry_count(world) == 2


# --- found by schemathesis (tests/api/test_schemathesis.py) ---------------------------------


def test_a_nul_in_a_rescission_or_an_upload_answers_422_naming_the_field(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    rescission = {
        "rfc": "GODE561231GR8",
        "supplier_name": "Eduardo\x00González",
        "institution_code": "INSTA",
        "contract_number": "C-1",
        "rescinded_on": "2024-03-01",
    }
    response = post(client, "/api/rescissions", rescission)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "supplier_name"
    xml = SimpleUploadedFile("f.xml", b"<x/>", content_type="application/xml")
    upload = client.post(f"/api/cfdi/ocds-\x00{world.contracts['A1'].ocid}", {"file": xml})
    assert upload.status_code == 422, upload.content
    assert upload.json()["field"] == "ocid"


def test_a_signing_date_before_every_regime_answers_422_naming_it(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    body = {"buying_unit": "A1", "contract": {"signing_date": "2000-01-01"}}

    response = post(client, "/api/contracts", body)

    assert response.status_code == 422, response.content
    assert response.json()["field"] == "contract.signing_date"


def test_a_body_over_the_upload_limit_answers_413_in_json(
    client: Client, world: World, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(world.admin)

    response = post(client, entries_url(world), {"kind": "payment", "payload": {"x": "y" * 2000}})

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "too large" in response.json()["detail"]
    assert entry_count(world) == 1


def test_a_malformed_multipart_body_answers_400_in_json(client: Client, world: World) -> None:
    client.force_login(world.admin)

    response = client.post(
        f"/api/contracts/{world.contracts['A1'].ocid}/documents",
        b"not a multipart body",
        content_type="multipart/form-data",  # no boundary
    )

    assert response.status_code == 400
    assert "could not be read" in response.json()["detail"]


def test_a_write_lock_timeout_answers_503_retry_after_and_a_retry_lands_once(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite's busy timeout running out (measured under load: docs/benchmarks.md) is not a
    # server fault: nothing was written, and the client may send the same request again.
    from django.db import OperationalError

    from besa.api import logbook as api_logbook

    client.force_login(world.admin)
    url = entries_url(world)
    key = {"Idempotency-Key": "busy"}

    def locked(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("database is locked")

    monkeypatch.setattr(api_logbook, "append", locked)
    busy = post(client, url, {"kind": "payment", "payload": PAYMENT}, **key)
    monkeypatch.undo()
    retried = post(client, url, {"kind": "payment", "payload": PAYMENT}, **key)

    assert busy.status_code == 503 and busy["Retry-After"] == "2"
    assert retried.status_code == 201
    assert entry_count(world) == 2

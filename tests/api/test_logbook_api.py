"""The JSON API over contracts and their logbook: scope, status codes, retries, OpenAPI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from tests.world import World

from besa.logbook.models import ContractState, Entry

SUFFICIENCY = {
    "oficio_number": "SH/123/2025",
    "date": "2025-06-01",
    "amount": "20000000.00",
    "fiscal_year": 2025,
    "budget_key": "2025-12-610-2-1-01-00-001-25301-1-1-09",
}


def entries_url(world: World, unit: str) -> str:
    return f"/api/contracts/{world.contracts[unit].ocid}/entries"


def post_entry(
    client: Client, url: str, body: dict[str, Any], **headers: str
) -> Any:  # the test client's response type
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def sufficiency(**changes: Any) -> dict[str, Any]:
    return {"kind": "budget_sufficiency", "payload": {**SUFFICIENCY, **changes}}


def test_an_operator_appends_budget_sufficiency_to_its_contract_and_reads_it_back(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    url = entries_url(world, "A1")

    created = post_entry(client, url, sufficiency())

    assert created.status_code == 201, created.content
    entry = created.json()
    stored = Entry.objects.get(uuid=entry["id"])
    assert (entry["ocid"], entry["sequence"], entry["kind"]) == (
        world.contracts["A1"].ocid, 2, "budget_sufficiency",
    )  # fmt: skip
    assert entry["actor"]["user"] == world.operator.username
    assert (entry["prev_hash"], entry["hash"]) == (stored.prev_hash, stored.hash)
    # The entry is rendered exactly as it was hashed, so a client can verify the chain.
    assert entry == json.loads(json.dumps({**stored.as_chain_dict(), "salt": stored.salt}))

    listed = client.get(url).json()
    assert listed["count"] == 2
    assert [e["kind"] for e in listed["items"]] == ["registration", "budget_sufficiency"]
    assert listed["items"][1] == entry

    state = client.get(f"/api/contracts/{world.contracts['A1'].ocid}").json()
    assert (state["last_sequence"], state["last_hash"]) == (2, entry["hash"])
    assert (state["buying_unit"], state["institution"]) == ("A1", "INSTA")
    assert state["snapshot"] == ContractState.objects.get(contract=world.contracts["A1"]).snapshot


def test_appending_to_another_institutions_contract_answers_not_found(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)

    response = post_entry(client, entries_url(world, "B1"), sufficiency())

    assert response.status_code == 404
    assert "not found" in response.json()["detail"]
    assert Entry.objects.filter(contract=world.contracts["B1"]).count() == 1


def test_oversight_reads_its_institutions_contract_but_cannot_append_to_it(
    client: Client, world: World
) -> None:
    client.force_login(world.oversight)

    assert client.get(f"/api/contracts/{world.contracts['A1'].ocid}").status_code == 200
    assert client.get(entries_url(world, "A1")).status_code == 200
    refused = post_entry(client, entries_url(world, "A1"), sufficiency())
    assert refused.status_code == 403
    assert "out of scope" in refused.json()["detail"]
    assert Entry.objects.filter(contract=world.contracts["A1"]).count() == 1
    # Another institution's contract does not exist as far as this oversight body can tell.
    assert post_entry(client, entries_url(world, "B1"), sufficiency()).status_code == 404
    assert client.get(entries_url(world, "B1")).status_code == 404


def test_a_bad_payload_answers_422_naming_the_field_and_writes_nothing(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)

    response = post_entry(client, entries_url(world, "A1"), sufficiency(amount="-1"))

    assert response.status_code == 422
    assert response.json()["field"] == "payload.amount"
    assert response.json()["detail"]
    assert Entry.objects.filter(contract=world.contracts["A1"]).count() == 1


def test_a_request_that_does_not_parse_answers_422_in_the_same_shape(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    # A naive time is ambiguous: the server will not guess its zone.
    body = {**sufficiency(), "occurred_at": "2025-06-01T10:00:00"}

    response = post_entry(client, entries_url(world, "A1"), body)

    assert response.status_code == 422
    assert response.json()["field"] == "occurred_at"
    assert Entry.objects.filter(contract=world.contracts["A1"]).count() == 1


def test_a_retried_request_with_the_same_idempotency_key_returns_the_same_entry(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    url = entries_url(world, "A1")

    first = post_entry(client, url, sufficiency(), **{"Idempotency-Key": "retry-1"})
    again = post_entry(client, url, sufficiency(), **{"Idempotency-Key": "retry-1"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Entry.objects.filter(idempotency_key__endswith=":retry-1").count() == 1
    assert Entry.objects.filter(contract=world.contracts["A1"]).count() == 2


def test_the_body_idempotency_key_wins_over_the_header(client: Client, world: World) -> None:
    client.force_login(world.operator)
    body = {**sufficiency(), "idempotency_key": "from-body"}

    post_entry(client, entries_url(world, "A1"), body, **{"Idempotency-Key": "from-header"})

    assert Entry.objects.filter(idempotency_key__endswith=":from-body").count() == 1
    assert not Entry.objects.filter(idempotency_key__endswith=":from-header").exists()


@pytest.mark.parametrize(
    ("persona", "query", "expected"),
    [
        ("operator", "", ["A1"]),
        ("coordinator", "", ["A1", "A2"]),
        ("oversight", "", ["A1", "A2"]),
        ("admin", "", ["A1", "A2", "B1", "B2"]),
        ("admin", "?institution=INSTB", ["B1", "B2"]),
        ("operator", "?institution=INSTB", []),
    ],
)
def test_the_contract_list_holds_what_the_persona_may_read(
    client: Client, world: World, persona: str, query: str, expected: list[str]
) -> None:
    client.force_login(getattr(world, persona))

    listed = client.get(f"/api/contracts{query}").json()

    assert sorted(c["buying_unit"] for c in listed["items"]) == expected
    assert listed["count"] == len(expected)


def test_the_contract_list_pages_with_limit_and_offset(client: Client, world: World) -> None:
    client.force_login(world.admin)

    pages = [client.get(f"/api/contracts?limit=3&offset={o}").json() for o in (0, 3)]

    assert [p["count"] for p in pages] == [4, 4]
    ocids = [c["ocid"] for p in pages for c in p["items"]]
    assert sorted(ocids) == sorted(c.ocid for c in world.contracts.values())


def test_the_ocds_record_of_a_visible_contract(client: Client, world: World) -> None:
    client.force_login(world.coordinator)
    ocid = world.contracts["A2"].ocid

    record = client.get(f"/api/contracts/{ocid}/ocds")

    assert record.status_code == 200
    assert record.json()["ocid"] == ocid
    assert len(record.json()["releases"]) == 1
    assert client.get(f"/api/contracts/{world.contracts['B1'].ocid}/ocds").status_code == 404


def test_the_openapi_document_is_json_3_1_and_lists_the_paths(client: Client, db: None) -> None:
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"] == "BESA API"
    assert {
        "/api/contracts",
        "/api/contracts/{ocid}",
        "/api/contracts/{ocid}/ocds",
        "/api/contracts/{ocid}/entries",
    } <= set(document["paths"])
    post = document["paths"]["/api/contracts/{ocid}/entries"]["post"]
    assert {"200", "201"} <= set(post["responses"])
    assert "Idempotency-Key" in {p["name"] for p in post["parameters"]}


def test_the_api_docs_are_served_from_bundled_files_not_a_cdn(
    client: Client, settings: Any, db: None
) -> None:
    # The docs need django-ninja's templates and static files, i.e. "ninja" installed.
    if "ninja" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "ninja"]

    page = client.get("/api/docs")

    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/api/openapi.json" in html
    assert "https://" not in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_caller_is_unauthorised(client: Client, world: World, method: str) -> None:
    if method == "get":
        response = client.get("/api/contracts")
    else:
        response = post_entry(client, entries_url(world, "A1"), sufficiency())

    assert response.status_code == 401
    assert Entry.objects.filter(contract=world.contracts["A1"]).count() == 1


def test_a_session_write_without_the_csrf_token_is_refused(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.operator)

    response = post_entry(browser, entries_url(world, "A1"), sufficiency())

    assert response.status_code == 403
    assert Entry.objects.filter(contract=world.contracts["A1"]).count() == 1

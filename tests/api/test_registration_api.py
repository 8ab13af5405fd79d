"""``POST /api/contracts`` registers a contract and opens its logbook; the OpenAPI document
describes every entry kind's body, the registration body and the error bodies."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from tests.world import World

from besa.logbook.kinds import AUDIT_KINDS
from besa.logbook.kinds.payloads import MODELS
from besa.logbook.models import Entry
from besa.registry.models import Contract


def registration(**contract: Any) -> dict[str, Any]:
    terms = {
        "number": "API-001",
        "title": "Servicio de limpieza",
        "procedure_type": "licitacion_publica",
        "contracting_type": "servicio",
        "character": "nacional",
        "signing_date": "2025-06-10",
        "start_date": "2025-06-11",
        "end_date": "2025-12-31",
        "amount": "18500000.00",
        "currency": "MXN",
        "guarantee_percent": "10",
        "penalty_rate_percent": "0.5",
        **contract,
    }
    return {
        "buying_unit": "A1",
        "contract": terms,
        "suppliers": [{"rfc": "GODE561231GR8", "name": "Eduardo González", "share_percent": 100}],
    }


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/contracts", json.dumps(body), content_type="application/json")


def test_an_operator_registers_a_contract_and_its_logbook_opens_with_the_registration(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    response = post(client, registration())
    assert response.status_code == 201, response.json()
    body = response.json()
    contract = Contract.objects.get(ocid=body["ocid"])
    assert body["number"] == "API-001" and body["last_sequence"] == 1
    assert contract.regime == "LAASSP-2025"  # the law in force on the signing date
    first = Entry.objects.get(contract=contract, sequence=1)
    assert first.kind == "registration"
    assert first.payload["contract"]["amount"] == "18500000.00"
    assert first.payload["buyer"]["buying_unit_code"] == "A1"


def test_a_rejected_field_answers_422_naming_it_and_writes_nothing(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    before = Contract.objects.count()
    response = post(client, registration(end_date="2025-01-01"))
    assert response.status_code == 422
    assert response.json()["field"] == "contract.end_date"
    bad_rfc = registration()
    bad_rfc["suppliers"][0]["rfc"] = "NO-ES-RFC"
    response = post(client, bad_rfc)
    assert response.status_code == 422
    assert response.json()["field"] == "suppliers.0.rfc"
    assert Contract.objects.count() == before


def test_oversight_may_not_register_and_another_institutions_unit_is_not_found(
    client: Client, world: World
) -> None:
    client.force_login(world.oversight)
    assert post(client, registration()).status_code == 403
    client.force_login(world.operator)
    other = {**registration(), "buying_unit": "B1"}
    response = post(client, other)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_openapi_document_describes_every_entry_kind_registration_and_errors(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    document = client.get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]
    append = document["paths"]["/api/contracts/{ocid}/entries"]["post"]
    body = append["requestBody"]["content"]["application/json"]["schema"]
    assert body["discriminator"]["propertyName"] == "kind"
    # Audit steps are written by besa.audits alone: the API's append does not offer them.
    appendable = {kind: model for kind, model in MODELS.items() if kind not in AUDIT_KINDS}
    assert len(body["oneOf"]) == len(appendable) < len(MODELS)
    offered = {one["$ref"].rsplit("/", 1)[-1] for one in body["oneOf"]}
    assert not {f"{MODELS[kind].__name__}Entry" for kind in AUDIT_KINDS} & offered
    for kind, model in appendable.items():
        entry = schemas[f"{model.__name__}Entry"]
        assert entry["properties"]["kind"]["const"] == kind
        payload = schemas[model.__name__]
        assert set(payload["properties"]) == set(model.model_fields)
        assert all(p.get("title") for p in payload["properties"].values())
    assert schemas["Payment"]["properties"]["date"]["description"]  # hints travel too
    for code in ("403", "404", "422", "409"):
        assert append["responses"][code]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/ErrorOut"
        )
    act = document["paths"]["/api/alerts/{alert_id}/actions"]["post"]
    assert {"403", "404", "422"} <= set(act["responses"])
    action = schemas["ActionIn"]["properties"]["action"]
    assert set(action["enum"]) == {"attend", "justify", "resolve", "reject", "refer"}
    register = document["paths"]["/api/contracts"]["post"]
    assert {"201", "403", "404", "422"} <= set(register["responses"])
    assert register["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/RegistrationRequest"
    )

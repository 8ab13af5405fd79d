"""Rule inputs over the API: an institution's budget (coordinator or admin), the PEF annex
(admin), rescissions from before BESA (coordinator for its institution, or admin), and the
market research as a field of the registration payload (through a registration
rectification appended over the API). Each makes its rule fire at the boundary."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from tests.interop.lists.test_rule_input_imports import (
    RFC,
    art42,
    open_alerts,
    rescind,
    second_rescission,
)
from tests.world import World

from besa.logbook.models import Entry
from besa.registry.models import InstitutionBudget, PefLimit, PriorRescission


def put(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json")


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


BUDGET_URL = "/api/institutions/INSTA/budgets/2024"


def test_a_coordinator_sets_its_institutions_budget_and_a24_judges_the_share(
    client: Client, world: World
) -> None:
    art42(world, "2024-03-01", "200000.00")
    crossing = art42(world, "2024-04-01", "100000.00")
    client.force_login(world.coordinator)

    answer = put(client, BUDGET_URL, {"amount": "1000000.00"})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {
        "created": 1, "changed": 0, "unchanged": 0, "reevaluated": 2,
        "alerts_opened": 0, "alerts_corrected": 0,
    }  # fmt: skip
    assert open_alerts("A24") == []  # exactly 30 %

    answer = put(client, BUDGET_URL, {"amount": "999999.99"})
    assert answer.json()["alerts_opened"] == 1
    (alert,) = open_alerts("A24")
    assert alert.contract_id == crossing.pk

    again = put(client, BUDGET_URL, {"amount": "999999.99"})
    assert again.json()["unchanged"] == 1 and again.json()["alerts_opened"] == 0
    listed = client.get("/api/institutions/INSTA/budgets").json()
    assert [(b["fiscal_year"], b["amount"]) for b in listed] == [(2024, "999999.99")]


def test_who_may_read_and_set_a_budget(client: Client, world: World) -> None:
    client.force_login(world.operator)
    assert put(client, BUDGET_URL, {"amount": "1.00"}).status_code == 404
    client.force_login(world.oversight)  # oversees institution A: reads, never writes
    assert client.get("/api/institutions/INSTA/budgets").status_code == 200
    assert put(client, BUDGET_URL, {"amount": "1.00"}).status_code == 403
    client.force_login(world.coordinator)  # of institution A, not B
    assert put(client, "/api/institutions/INSTB/budgets/2024", {"amount": "1"}).status_code == 404
    client.force_login(world.admin)
    assert put(client, "/api/institutions/INSTB/budgets/2024", {"amount": "1"}).status_code == 200
    client.logout()
    assert client.get("/api/institutions/INSTA/budgets").status_code == 401
    assert InstitutionBudget.objects.count() == 1


def test_a_bad_budget_is_refused_naming_the_field(client: Client, world: World) -> None:
    client.force_login(world.admin)
    for body, field in (({"amount": "0"}, "amount"), ({"amount": "1.001"}, "amount"),
                        ({}, "amount")):  # fmt: skip
        answer = put(client, BUDGET_URL, body)
        assert answer.status_code == 422 and answer.json()["field"] == field, answer.content
    answer = put(client, "/api/institutions/INSTA/budgets/1999", {"amount": "5"})
    assert answer.status_code == 422 and answer.json()["field"] == "year"
    assert not InstitutionBudget.objects.exists()


PEF = {
    "unit": "miles",
    "brackets": [
        {"budget_above": "0", "budget_up_to": "15000", "direct_award_max": "300",
         "invitation_max": "2500"},
        {"budget_above": "15000", "direct_award_max": "400", "invitation_max": "3000"},
    ],
}  # fmt: skip


def test_an_administrator_sets_the_pef_annex_and_a24_reads_its_bracket(
    client: Client, world: World
) -> None:
    at_limit = art42(world, "2024-05-02", "300000.00")
    above = art42(world, "2024-05-03", "300000.01")
    client.force_login(world.coordinator)
    assert put(client, BUDGET_URL, {"amount": "15000000.00"}).status_code == 200
    assert put(client, "/api/pef-limits/2024", PEF).status_code == 403
    client.force_login(world.admin)
    answer = put(client, "/api/pef-limits/2024", PEF)
    assert answer.status_code == 200, answer.content
    assert answer.json()["created"] == 2 and answer.json()["alerts_opened"] == 1
    (alert,) = open_alerts("A24")
    assert alert.contract_id == above.pk != at_limit.pk
    assert alert.evidence["pef_max_amount"] == "300000.00"
    assert client.get("/api/pef-limits/2024").json()[1] == {
        "budget_above": "15000000.00", "budget_up_to": None,
        "direct_award_max": "400000.00", "invitation_max": "3000000.00",
    }  # fmt: skip
    assert put(client, "/api/pef-limits/2024", PEF).json()["unchanged"] == 2

    overlapping = {**PEF, "brackets": [PEF["brackets"][0], {**PEF["brackets"][1],
                                                             "budget_above": "14000"}]}  # fmt: skip
    answer = put(client, "/api/pef-limits/2024", overlapping)
    assert answer.status_code == 422 and answer.json()["field"] == "brackets"
    assert PefLimit.objects.filter(budget_above=15000000).exists()  # unchanged


def test_a_coordinator_records_its_institutions_earlier_rescission_and_a21_counts_it(
    client: Client, world: World
) -> None:
    contract = world.contracts["A1"]
    rescind(world, contract, "2025-07-01", "2025-07-15")
    client.force_login(world.coordinator)
    body = {"rfc": RFC.lower(), "supplier_name": "Eduardo González", "institution_code": "INSTA",
            "contract_number": "2023-OLD-7", "rescinded_on": "2023-07-15"}  # fmt: skip
    answer = post(client, "/api/rescissions", body)
    assert answer.status_code == 201, answer.content
    # The re-evaluation runs today: deadlines of the rescission passed since open theirs too.
    assert answer.json()["reevaluated"] == 1 and answer.json()["alerts_opened"] >= 1
    (alert,) = second_rescission(contract)
    assert alert.evidence["earlier_rescissions"][0]["contract"] == "2023-OLD-7"

    again = post(client, "/api/rescissions", body)
    assert again.status_code == 200 and again.json()["unchanged"] == 1
    moved = post(client, "/api/rescissions", {**body, "rescinded_on": "2023-07-16"})
    assert moved.status_code == 422 and moved.json()["field"] == "rescinded_on"
    other = post(client, "/api/rescissions", {**body, "institution_code": "INSTB"})
    assert other.status_code == 403
    bad = post(client, "/api/rescissions", {**body, "rfc": "NOPE"})
    assert bad.status_code == 422 and bad.json()["field"] == "rfc"
    assert [r["contract_number"] for r in client.get(f"/api/rescissions?rfc={RFC}").json()] == [
        "2023-OLD-7"
    ]
    client.force_login(world.operator)
    assert post(client, "/api/rescissions", body).status_code == 403
    assert PriorRescission.objects.count() == 1


def test_market_research_prices_are_a_registration_field_and_a25_reads_them(
    client: Client, world: World
) -> None:
    contract = world.contracts["A1"]  # 20,000,000.00 MXN, 2025 law
    registration = Entry.objects.get(contract=contract, sequence=1)
    client.force_login(world.operator)
    url = f"/api/contracts/{contract.ocid}/entries"

    def rectify(prices: list[str], **more: str) -> Any:
        terms = {**registration.payload["contract"], "market_research_prices": prices, **more}
        payload = {**registration.payload, "contract": terms}
        body = {"corrects": str(registration.uuid), "reason": "Investigación de mercado",
                "payload": payload}  # fmt: skip
        return post(client, url, {"kind": "rectification", "payload": body})

    refused = rectify(["1.00", "3.00"], market_median_amount="2.50")
    assert refused.status_code == 422
    assert refused.json()["field"].endswith("contract.market_median_amount")
    assert open_alerts("A25", contract) == []

    assert rectify(["18181818.19"]).status_code == 201  # 20 M is 109.99 % of it
    assert open_alerts("A25", contract) == []
    assert rectify(["18181818.18"]).status_code == 201  # 110.00000011 %
    (alert,) = open_alerts("A25", contract)
    assert alert.evidence["breaches"] == ["unacceptable_price"]
    assert alert.evidence["market_research_prices"] == 1


def test_the_openapi_document_describes_the_rule_inputs(client: Client, world: World) -> None:
    client.force_login(world.admin)
    document = client.get("/api/openapi.json").json()
    assert {"/api/institutions/{code}/budgets/{year}", "/api/pef-limits/{year}",
            "/api/rescissions"} <= set(document["paths"])  # fmt: skip


def test_an_administrator_uploads_an_art_69_file_and_a16_opens(
    client: Client, world: World
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from tests.interop.lists.conftest import table_dump
    from tests.interop.lists.test_sat69_import import OTHER, WORLD_RFC, sat69_file

    data = sat69_file("no_localizados", [(*OTHER, "01/01/2014"), (WORLD_RFC, "EDUARDO",
                                                                  "01/02/2025")])  # fmt: skip

    def upload(content: bytes, **form: str) -> Any:
        file = SimpleUploadedFile("No_localizados.csv", content, content_type="text/csv")
        return client.post("/api/lists/sat-69", {"file": file, "date": "2025-08-07", **form})

    client.force_login(world.coordinator)
    assert upload(data).status_code == 403
    client.force_login(world.admin)
    answer = upload(data)
    assert answer.status_code == 201, answer.content
    assert answer.json()["list"] == "sat_69_no_localizados"
    assert answer.json()["entries"] == 2 and answer.json()["alerts_opened"] == 4
    assert len(open_alerts("A16")) == 4
    assert upload(data).status_code == 200

    before = table_dump()
    refused = upload(data[: data.rindex(b"\r\n")], list="firmes")  # last line cut short
    assert refused.status_code == 422 and refused.json()["field"] == "line 3", refused.content
    assert table_dump() == before


def test_the_registration_api_takes_the_market_research_and_the_pef_maximum(
    client: Client, world: World
) -> None:
    from tests.api.test_registration_api import post as register
    from tests.api.test_registration_api import registration

    from besa.registering import NOT_YET_STORED
    from besa.registry.models import Contract

    assert frozenset() == NOT_YET_STORED  # every term of the payload model is kept
    client.force_login(world.operator)
    fair = register(client, registration(number="MR-1", market_research_prices=["16818181.82"]))
    assert fair.status_code == 201, fair.content  # 18.5 M is 109.99999 % of the median
    assert open_alerts("A25", Contract.objects.get(ocid=fair.json()["ocid"])) == []
    dear = register(client, registration(number="MR-2", market_research_prices=["16818181.81"]))
    contract = Contract.objects.get(ocid=dear.json()["ocid"])
    (alert,) = open_alerts("A25", contract)
    assert alert.evidence["breaches"] == ["unacceptable_price"]
    stored = Entry.objects.get(contract=contract, sequence=1).payload["contract"]
    assert stored["market_research_prices"] == ["16818181.81"]

    refused = register(client, registration(number="MR-3", market_research_prices=["1.00", "3.00"],
                                            market_median_amount="2.50"))  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["field"] == "contract.market_median_amount"
    assert not Contract.objects.filter(number="MR-3").exists()

    direct = registration(number="PEF-1", procedure_type="adjudicacion_directa",
                          legal_basis="LAASSP art. 42", exception_justification="Dictamen",
                          pef_max_amount="18499999.99")  # fmt: skip
    answer = register(client, direct)
    assert answer.status_code == 201, answer.content
    (alert,) = open_alerts("A24", Contract.objects.get(ocid=answer.json()["ocid"]))
    assert alert.evidence["breaches"] == ["above_pef_limit"]
    assert alert.evidence["pef_max_amount_source"] == "contract"

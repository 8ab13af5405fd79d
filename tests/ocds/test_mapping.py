"""Logbook entries as OCDS: every release valid on its own, records that ocdsmerge agrees
with, corrections that show in the compiled release, and nothing personal published."""

from __future__ import annotations

import copy
import random
import socket
import zoneinfo
from typing import Any

import ocdsmerge
import orjson
import pytest
from ocdsmerge.rules import get_merge_rules
from tests.logbook.histories import (
    GUARANTOR_RFC,
    INDIVIDUAL_RFC,
    INVOICES,
    History,
    full_history,
    invoice_payload,
    registration_payload,
)

from besa.logbook import state
from besa.ocds import mapping, schema
from besa.ocds.projection import project
from besa.registry.validation import WITHHELD

OCID = "ocds-besa00-MAP-1"
MEXICO_CITY = zoneinfo.ZoneInfo("America/Mexico_City")
HISTORY = full_history(OCID)
RELEASES = mapping.releases(HISTORY, zone=MEXICO_CITY)
RECORD = mapping.record(OCID, RELEASES)
COMPILED = RECORD["compiledRelease"]
PUBLISHED = "2026-03-01T12:00:00-06:00"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Publishing must never reach the network (ocdsmerge would, given no schema)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def release_package(releases: list[dict[str, Any]]) -> dict[str, Any]:
    return mapping.release_package(
        releases,
        published_date=PUBLISHED,
        publisher_name="Secretaría Anticorrupción y Buen Gobierno",
        uri="https://besa.example.org/ocds/releases.json",
    )


def contract(compiled: dict[str, Any]) -> dict[str, Any]:
    (only,) = compiled["contracts"]
    return only


def compiled_until(entries: int) -> dict[str, Any]:
    return schema.merger().create_compiled_release(RELEASES[:entries])


# --- Validity -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "position", range(len(HISTORY)), ids=[f"{e['sequence']}-{e['kind']}" for e in HISTORY]
)
def test_every_release_validates_alone_in_a_release_package(position: int) -> None:
    assert schema.validate_release_package(release_package([RELEASES[position]])) == []


def test_the_whole_history_validates_as_one_release_package() -> None:
    package = release_package(RELEASES)
    assert package["version"] == "1.1"
    assert package["extensions"] == schema.extension_urls()
    assert schema.validate_release_package(package) == []


def test_the_record_package_validates() -> None:
    package = mapping.record_package(
        [RECORD], published_date=PUBLISHED, publisher_name="SABG",
        uri="https://besa.example.org/ocds/records.json",
    )  # fmt: skip
    assert schema.validate_record_package(package) == []


def test_publishing_a_history_at_once_equals_publishing_it_entry_by_entry() -> None:
    one_by_one, before = [], None
    for entry in HISTORY:
        one_by_one.append(mapping.release(entry, before, zone=MEXICO_CITY))
        before = state.apply(before or state.initial_state(OCID), entry)
    assert one_by_one == RELEASES


def test_releases_are_plain_json() -> None:
    assert orjson.loads(orjson.dumps(RELEASES)) == RELEASES


# --- Ids, dates and tags ------------------------------------------------------------------


def test_each_release_is_named_after_its_entry() -> None:
    assert [r["id"] for r in RELEASES] == [e["id"] for e in HISTORY]
    assert {r["ocid"] for r in RELEASES} == {OCID}
    assert all(r["initiationType"] == "tender" and r["language"] == "es" for r in RELEASES)


def test_release_dates_are_the_recording_times_kept_in_logbook_order() -> None:
    assert [r["date"] for r in RELEASES] == [e["recorded_at"] for e in HISTORY]
    stepped_back = copy.deepcopy(HISTORY[:3])
    stepped_back[2]["recorded_at"] = "2025-06-01T00:00:00.000000+00:00"  # the clock went back
    dates = [r["date"] for r in mapping.releases(stepped_back)]
    assert dates[2] == dates[1] == HISTORY[1]["recorded_at"]


@pytest.mark.parametrize(
    ("sequence", "tags"),
    [
        (1, ["award", "contract"]),
        (2, ["planningUpdate"]),
        # the guarantee is also the first fact after the start date: implementation begins
        (3, ["contractUpdate", "implementationUpdate"]),
        (4, ["implementation"]),
        (5, ["implementationUpdate"]),
        (6, ["implementationUpdate"]),
        (7, ["implementationUpdate"]),
        (9, ["implementationUpdate"]),
        (10, ["contractAmendment"]),
        (11, ["contractUpdate"]),
        (15, ["implementationUpdate"]),  # the rectification of an invoice
        (23, ["contractTermination"]),
    ],
)
def test_each_kind_has_its_tags(sequence: int, tags: list[str]) -> None:
    assert RELEASES[sequence - 1]["tag"] == tags


# --- Records ------------------------------------------------------------------------------


def test_ocdsmerge_compiles_our_releases_into_our_compiled_release() -> None:
    rules = get_merge_rules(copy.deepcopy(schema.release_schema()))
    independent = ocdsmerge.Merger(merge_rules=rules)
    shuffled = copy.deepcopy(RELEASES)
    random.Random(7).shuffle(shuffled)  # ocdsmerge orders them by date
    assert independent.create_compiled_release(shuffled) == COMPILED
    assert independent.create_versioned_release(shuffled) == RECORD["versionedRelease"]


def test_compiling_one_release_at_a_time_equals_compiling_them_all() -> None:
    compiled = None
    for release in RELEASES:
        compiled = mapping.compile_release(compiled, release)
    assert compiled == COMPILED


def test_the_compiled_release_is_the_projection_of_the_final_state() -> None:
    release_only = {"id", "date", "tag", "ocid", "initiationType", "language"}
    body = {k: v for k, v in COMPILED.items() if k not in release_only}
    expected = project(state.fold(HISTORY), MEXICO_CITY)
    assert canonical(body) == canonical(expected)


def canonical(value: Any) -> Any:
    """``value`` with arrays of objects sorted by id (merge order is first appearance)."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return sorted((canonical(v) for v in value), key=lambda v: str(v.get("id")))
    return value


def test_the_record_shares_nothing_with_the_releases() -> None:
    releases = copy.deepcopy(RELEASES)
    record = mapping.record(OCID, releases)
    releases[0]["parties"][0]["roles"].append("funder")
    assert record["compiledRelease"]["parties"][0]["roles"] == ["buyer"]


# --- What the releases say ----------------------------------------------------------------


def test_the_registration_publishes_buyer_supplier_award_and_contract() -> None:
    first = RELEASES[0]
    parties = {p["id"]: p for p in first["parties"]}
    assert parties["MX-RFC-SSA630502CU1"]["roles"] == ["buyer"]
    assert parties["MX-RFC-SSA630502CU1"]["identifier"]["scheme"] == "MX-RFC"
    assert parties["MX-RFC-CMA150315K2A"]["roles"] == ["supplier"]
    assert first["buyer"]["id"] == "MX-RFC-SSA630502CU1"
    (award,) = first["awards"]
    assert award == {
        "id": f"{OCID}-award-1",
        "status": "active",
        "date": "2025-06-02T00:00:00-06:00",
        "value": {"amount": 20000000, "currency": "MXN"},
        "suppliers": [
            {"id": "MX-RFC-CMA150315K2A", "name": parties["MX-RFC-CMA150315K2A"]["name"]}
        ],
    }
    signed = contract(first)
    assert (signed["id"], signed["awardID"]) == (f"{OCID}-contract-1", award["id"])
    assert signed["period"]["endDate"] == "2025-12-31T23:59:59-06:00"
    assert first["tender"]["procurementMethod"] == "open"


def test_the_amendment_changes_the_compiled_contract_value_and_period() -> None:
    before, after = contract(compiled_until(9)), contract(compiled_until(10))
    assert before["value"] == {"amount": 20000000, "currency": "MXN"}
    assert after["value"] == {"amount": 23000000, "currency": "MXN"}
    assert after["period"]["endDate"] == "2026-01-31T23:59:59-06:00"
    (amendment,) = after["amendments"]
    assert (amendment["id"], amendment["releaseID"]) == ("CM-1", HISTORY[9]["id"])
    assert amendment["amendsReleaseID"] == HISTORY[8]["id"]
    versions = RECORD["versionedRelease"]["contracts"][0]["value"]["amount"]
    assert [v["value"] for v in versions] == [20000000, 23000000]


def test_the_closure_concludes_the_implementation_with_its_final_value() -> None:
    implementation = contract(COMPILED)["implementation"]
    assert implementation["status"] == "concluded"
    assert implementation["finalValue"] == {"amount": 26410000, "currency": "MXN"}
    assert implementation["endDate"] == "2026-02-20T00:00:00-06:00"
    assert contract(COMPILED)["status"] == "terminated"


def test_the_implementation_status_runs_planning_ongoing_concluded() -> None:
    versions = RECORD["versionedRelease"]["contracts"][0]["implementation"]["status"]
    assert [v["value"] for v in versions] == ["planning", "ongoing", "concluded"]


def test_deliverables_become_delivery_milestones() -> None:
    scheduled = RELEASES[3]["contracts"][0]["implementation"]["milestones"]
    assert {(m["id"], m["type"], m["status"]) for m in scheduled} == {
        ("deliverable-E1", "delivery", "scheduled"),
        ("deliverable-E2", "delivery", "scheduled"),
        ("deliverable-E3", "delivery", "scheduled"),
    }
    partial = {m["id"]: m for m in contract(compiled_until(8))["implementation"]["milestones"]}
    assert partial["deliverable-E2"]["status"] == "partiallyMet"
    assert "dateMet" not in partial["deliverable-E2"]
    met = {m["id"]: m for m in contract(COMPILED)["implementation"]["milestones"]}
    assert met["deliverable-E2"]["dateMet"] == "2025-10-20T00:00:00-06:00"


def test_invoices_payments_and_penalties_land_in_the_implementation() -> None:
    implementation = contract(COMPILED)["implementation"]
    invoices = [d for d in implementation["documents"] if d["documentType"] == "invoice"]
    assert [d["id"] for d in invoices] == list(INVOICES.values())
    payment = implementation["transactions"][1]
    assert payment["value"] == {"amount": 10170000, "currency": "MXN"}
    assert payment["payer"]["id"] == "MX-RFC-SSA630502CU1"
    assert payment["payee"]["id"] == "MX-RFC-CMA150315K2A"
    (failure,) = implementation["performanceFailures"]
    assert failure["id"] == HISTORY[8]["id"]
    assert "270000.00" in failure["penaltyImposed"]


def test_guarantees_use_the_extension_codes_and_name_their_guarantor() -> None:
    (guarantee,) = contract(COMPILED)["guarantees"]
    assert (guarantee["type"], guarantee["obligations"]) == ("suretyBond", "fulfillment")
    assert guarantee["value"] == {"amount": 2300000, "currency": "MXN"}  # after its extension
    assert guarantee["guarantor"]["id"] == f"MX-RFC-{GUARANTOR_RFC}"
    guarantor = [p for p in COMPILED["parties"] if p["id"] == guarantee["guarantor"]["id"]]
    assert guarantor[0]["roles"] == ["guarantor"]
    endorsements = [d for d in contract(COMPILED)["documents"]
                    if d["documentType"] == "contractGuarantees"]  # fmt: skip
    assert len(endorsements) == 1


def test_attached_files_are_published_by_hash_without_their_names() -> None:
    (signed,) = [
        d for d in contract(COMPILED)["documents"] if d["documentType"] == "contractSigned"
    ]
    assert signed["description"] == f"SHA-256: {HISTORY[0]['documents'][0]['sha256']}"
    assert "url" not in signed
    assert "contrato-045-2025.pdf" not in orjson.dumps(RELEASES).decode()


# --- Corrections --------------------------------------------------------------------------


def test_a_rectified_invoice_date_shows_in_the_compiled_release() -> None:
    fix = RELEASES[14]
    (document,) = fix["contracts"][0]["implementation"]["documents"]
    assert document["id"] == INVOICES["E2"]
    assert "2025-10-23" in document["description"]
    compiled = {d["id"]: d for d in contract(COMPILED)["implementation"]["documents"]}
    assert "Recibido el 2025-10-23" in compiled[INVOICES["E2"]]["description"]
    versions = RECORD["versionedRelease"]["contracts"][0]["implementation"]["documents"]
    (history,) = [d["description"] for d in versions if d["id"] == INVOICES["E2"]]
    assert ["2025-10-22" in v["value"] for v in history] == [True, False]


def test_a_mistyped_invoice_uuid_is_retracted_to_a_stub() -> None:
    h = History("ocds-besa00-UUID-1")
    h.add("registration", registration_payload(), "2025-06-10")
    h.add("deliverable_schedule", {"deliverables": [
        {"deliverable_id": "E1", "description": "Lote", "quantity": "10", "amount": "100.00",
         "due_date": "2025-07-31"}]}, "2025-06-12")  # fmt: skip
    wrong = h.add("invoice", invoice_payload("E1", "100.00", "16.00", "116.00", "2025-07-01",
                                             "2025-07-02"), "2025-07-02")  # fmt: skip
    right = {**wrong["payload"], "uuid": INVOICES["E2"]}
    h.add("rectification", {"corrects": wrong["id"], "payload": right, "reason": "UUID"},
          "2025-07-03")  # fmt: skip
    releases = mapping.releases(h.entries)
    assert schema.validate_release_package(release_package(releases[-1:])) == []
    documents = {d["id"]: d for d in contract(mapping.record(h.ocid, releases)["compiledRelease"])
                 ["implementation"]["documents"]}  # fmt: skip
    assert documents[INVOICES["E1"]] == {"id": INVOICES["E1"]}
    assert documents[INVOICES["E2"]]["documentType"] == "invoice"


# --- What is not published ----------------------------------------------------------------


def test_an_individual_supplier_is_published_without_its_rfc_or_name() -> None:
    joint = registration_payload()
    joint["suppliers"] = [
        {**joint["suppliers"][0], "share_percent": "70"},
        {"rfc": INDIVIDUAL_RFC, "name": "Rosa Morales López", "share_percent": "30"},
    ]
    for opinion in joint["compliance"]:
        opinion["supplier_rfc"] = INDIVIDUAL_RFC
    h = History("ocds-besa00-JOINT-1")
    h.add("registration", joint, "2025-06-10")
    (release,) = mapping.releases(h.entries)
    parties = {p["id"]: p for p in release["parties"]}
    individual = parties["ocds-besa00-JOINT-1-supplier-2"]
    assert individual == {"id": individual["id"], "name": WITHHELD,
                          "roles": ["supplier"]}  # fmt: skip
    text = orjson.dumps(release).decode()
    assert INDIVIDUAL_RFC not in text
    assert "Rosa Morales" not in text
    assert "oper" not in text  # nor the actor
    assert schema.validate_release_package(release_package([release])) == []


# --- Other endings ------------------------------------------------------------------------


def running(ocid: str) -> History:
    h = History(ocid)
    h.add("registration", registration_payload(), "2025-06-10")
    h.add("deliverable_schedule", {"deliverables": [
        {"deliverable_id": "E1", "description": "Lote", "quantity": "10", "amount": "100.00",
         "due_date": "2025-07-31"}]}, "2025-06-12")  # fmt: skip
    return h


def test_a_suspension_keeps_the_contract_active_and_documents_it() -> None:
    h = running("ocds-besa00-SUSP-2")
    h.add("suspension", {"date": "2025-07-01", "cause": "Inundación"}, "2025-07-01")
    releases = mapping.releases(h.entries)
    assert releases[-1]["tag"] == ["contractUpdate"]
    compiled = contract(mapping.record(h.ocid, releases)["compiledRelease"])
    assert compiled["status"] == "active"
    assert compiled["implementation"]["status"] == "ongoing"
    (notice,) = compiled["documents"]
    assert notice["documentType"] == "contractSuspension"
    assert "Inundación" in notice["description"]


@pytest.mark.parametrize(
    ("entries", "details"),
    [
        ([("early_termination", {"date": "2025-07-01", "cause": "Interés general"})],
         "Terminación anticipada: Interés general"),
        ([("rescission", {"stage": "notice", "date": "2025-07-01", "cause": "Atraso grave"}),
          ("rescission", {"stage": "answer", "date": "2025-07-05"}),
          ("rescission", {"stage": "resolution", "date": "2025-07-15"})],
         "Rescisión administrativa: Atraso grave"),
    ],
)  # fmt: skip
def test_a_termination_terminates_the_contract(
    entries: list[tuple[str, dict[str, Any]]], details: str
) -> None:
    h = running(f"ocds-besa00-TERM-{len(entries)}")
    for kind, payload in entries:
        h.add(kind, payload, payload["date"])
    releases = mapping.releases(h.entries)
    assert releases[-1]["tag"] == ["contractTermination"]
    assert schema.validate_release_package(release_package(releases)) == []
    compiled = contract(mapping.record(h.ocid, releases)["compiledRelease"])
    assert compiled["status"] == "terminated"
    assert compiled["implementation"]["status"] == "concluded"
    assert compiled["implementation"]["endDateDetails"] == details


def test_a_registration_with_its_budget_sufficiency_opens_the_planning() -> None:
    payload = registration_payload()
    payload["budget_sufficiency"] = dict(HISTORY[1]["payload"])
    h = History("ocds-besa00-PLAN-1")
    h.add("registration", payload, "2025-06-10")
    (release,) = mapping.releases(h.entries)
    assert release["tag"] == ["award", "contract", "planning"]
    assert release["planning"]["budget"]["amount"] == {"amount": 23200000, "currency": "MXN"}


def test_calendar_days_are_published_in_utc_unless_a_zone_is_given() -> None:
    (release,) = mapping.releases(HISTORY[:1])
    assert contract(release)["dateSigned"] == "2025-06-10T00:00:00+00:00"
    assert contract(RELEASES[0])["dateSigned"] == "2025-06-10T00:00:00-06:00"


def test_a_guarantee_lifecycle_is_published_as_guarantees_and_documents() -> None:
    h = running("ocds-besa00-GUAR-1")
    h.add("guarantee", {
        "guarantee_id": "G-1", "type": "performance", "instrument": "letter_of_credit",
        "issuer": "Banco Ejemplo", "amount": "2000000", "beneficiary": "TESOFE",
        "date_received": "2025-06-15",
    }, "2025-06-15")  # fmt: skip
    h.add("guarantee", {
        "guarantee_id": "Q-1", "type": "quality", "action": "exemption",
        "legal_basis": "LAASSP art. 48", "date_received": "2025-06-15",
    }, "2025-06-15")  # fmt: skip
    h.add("delivery", {
        "deliverable_id": "E1", "date": "2025-07-30", "quantity_received": "10",
        "quantity_accepted": "0", "result": "rejected", "reason": "Caducados",
    }, "2025-07-30")  # fmt: skip
    h.add("guarantee", {
        "guarantee_id": "G-1", "type": "performance", "action": "enforcement",
        "amount": "2000000", "date_received": "2025-08-25",
    }, "2025-08-25")  # fmt: skip
    releases = mapping.releases(h.entries)
    assert schema.validate_release_package(release_package(releases)) == []
    compiled = contract(mapping.record(h.ocid, releases)["compiledRelease"])
    (guarantee,) = compiled["guarantees"]  # the exempted one has no instrument to publish
    assert guarantee["type"] == "letterOfCredit"
    assert guarantee["guarantor"] == {
        "id": "ocds-besa00-GUAR-1-guarantor-1",
        "name": "Banco Ejemplo",
    }
    titles = [d["title"] for d in compiled["documents"]]
    assert titles == [
        "Exención de la garantía de calidad Q-1",
        "Ejecución de la garantía de cumplimiento G-1",
    ]
    (milestone,) = compiled["implementation"]["milestones"]
    assert milestone["status"] == "notMet"

"""Entry kinds: payload shapes, normalisation, and the rules that refuse impossible facts.

Pure (no database). The contract under test is the medicines contract of
``tests.logbook.histories``: signed 2025-06-10, started 2025-06-11, buyer SSA630502CU1,
supplier CMA150315K2A, deliverables E1–E3, invoice E1 received 2025-07-31 and paid.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Mapping
from typing import Any

import pytest
from tests.logbook.histories import (
    BUYER_RFC,
    INVOICES,
    SUPPLIER_RFC,
    full_history,
    invoice_payload,
    registration_payload,
)

from besa.exceptions import InvalidPayload
from besa.logbook import state
from besa.logbook.kinds import KINDS, payloads, validate_documents, validate_payload

OCID = "ocds-besa00-KINDS-1"
HISTORY = full_history(OCID)
#: Registration, budget, guarantee G-1, schedule E1–E3, delivery E1, invoice E1, its payment.
EARLY = state.fold(HISTORY[:7])
#: The whole life, closed.
CLOSED = state.fold(HISTORY)
INVOICE_E1_ENTRY = HISTORY[5]


def valid_payloads() -> dict[str, dict[str, Any]]:
    """One valid payload per kind (except registration) for a contract in ``EARLY``."""
    return {
        "budget_sufficiency": {
            "oficio_number": "DGPyP/0999/2025",
            "date": "2025-06-01",
            "amount": "1000.00",
            "fiscal_year": 2025,
            "budget_key": "2025-12-610",
        },
        "guarantee": {
            "guarantee_id": "G-2",
            "type": "advance",
            "instrument": "surety_bond",
            "amount": "1000000.00",
            "beneficiary": "TESOFE",
            "date_received": "2025-06-20",
        },
        "deliverable_schedule": {
            "deliverables": [
                {
                    "deliverable_id": "E9",
                    "description": "Lote extra",
                    "quantity": "1",
                    "amount": "100.00",
                    "due_date": "2025-12-01",
                },
            ]
        },
        "delivery": {
            "deliverable_id": "E2",
            "date": "2025-09-29",
            "quantity_received": "100",
            "quantity_accepted": "100",
            "result": "accepted",
        },
        "invoice": invoice_payload(
            "E2", "9000000.00", "1440000.00", "10440000.00", "2025-10-01", "2025-10-02"
        ),
        "invoice_status": {
            "invoice_uuid": INVOICES["E1"],
            "status": "cancelado",
            "checked_on": "2025-08-01",
            "occasion": "payment",
            "sat_code": "S - Comprobante obtenido satisfactoriamente.",
        },
        "payment": {
            "date": "2025-08-01",
            "amount": "100.00",
            "currency": "MXN",
            "invoice_uuids": [INVOICES["E1"]],
        },
        "penalty": {
            "deliverable_id": "E2",
            "days_late": 1,
            "daily_rate_percent": "0.5",
            "base_amount": "100.00",
            "calculated_amount": "0.50",
            "applied_amount": "0.50",
            "application": "withheld",
            "date": "2025-10-01",
        },
        "deduction": {
            "deliverable_id": "E2",
            "description": "Empaque dañado",
            "amount": "10.00",
            "date": "2025-10-01",
        },
        "amendment": {
            "amendment_id": "CM-9",
            "signing_date": "2025-09-01",
            "types": ["amount"],
            "amount_change": "1000.00",
            "justification": "Ampliación",
        },
        "suspension": {"date": "2025-09-01", "cause": "Caso fortuito"},
        "early_termination": {"date": "2025-09-01", "cause": "Razones de interés general"},
        "rescission": {"stage": "notice", "date": "2025-09-01", "cause": "Atraso"},
        "closure": dict(HISTORY[-1]["payload"]),
        "document": {
            "document_type": "contractAnnexe",
            "title": "Anexo técnico",
            "sha256": "a" * 64,
            "media_type": "application/pdf",
        },
        "rectification": {
            "corrects": INVOICE_E1_ENTRY["id"],
            "reason": "Fecha mal capturada",
            "payload": {**INVOICE_E1_ENTRY["payload"], "date_received": "2025-08-01"},
        },
    }


VALID = valid_payloads()


def with_(kind: str, **changes: Any) -> dict[str, Any]:
    """The valid payload of ``kind`` with ``changes`` (a value of ``...`` removes the key)."""
    payload = copy.deepcopy(VALID[kind])
    for key, value in changes.items():
        if value is ...:
            payload.pop(key, None)
        else:
            payload[key] = value
    return payload


def refusal(kind: str, payload: Any, snapshot: Mapping[str, Any] | None = EARLY) -> InvalidPayload:
    with pytest.raises(InvalidPayload) as err:
        validate_payload(kind, payload, snapshot)
    return err.value


# --- The kinds ----------------------------------------------------------------------------


def test_the_logbook_knows_exactly_the_seventeen_kinds_and_the_six_audit_steps() -> None:
    assert KINDS == (
        "registration",
        "budget_sufficiency",
        "guarantee",
        "deliverable_schedule",
        "delivery",
        "invoice",
        "invoice_status",
        "payment",
        "penalty",
        "deduction",
        "amendment",
        "suspension",
        "early_termination",
        "rescission",
        "closure",
        "document",
        "rectification",
        "audit_opened",
        "audit_step",
        "audit_request",
        "audit_answer",
        "audit_finding",
        "audit_referral",
    )


def test_the_state_fold_knows_the_same_audit_kinds_as_the_payloads() -> None:
    from besa.logbook import state
    from besa.logbook.kinds import AUDIT_KINDS

    assert state.AUDIT_KINDS == AUDIT_KINDS


def test_the_registration_codes_are_the_registrys_choices() -> None:
    from besa.registry import models  # importing models needs settings, not a database

    pairs = [
        (payloads.ProcedureType, models.ProcedureType),
        (payloads.ContractingType, models.ContractingType),
        (payloads.Character, models.Character),
        (payloads.GovernmentLevel, models.GovernmentLevel),
    ]
    for literal, choices in pairs:
        assert set(typing.get_args(literal)) == set(choices.values)


@pytest.mark.parametrize("kind", sorted(VALID))
def test_a_valid_payload_of_every_kind_is_accepted(kind: str) -> None:
    assert validate_payload(kind, VALID[kind], EARLY)


def test_an_unknown_kind_is_refused_naming_the_kind() -> None:
    assert refusal("bribe", {}).field == "kind"


def test_a_payload_that_is_not_an_object_is_refused() -> None:
    assert refusal("payment", ["date"]).field == "payload"


# --- Normalisation ------------------------------------------------------------------------


def test_a_registration_is_normalised_to_canonical_json() -> None:
    raw = registration_payload(amount=20000000.5, signing_date="2025-06-10")
    raw["buyer"]["institution_rfc"] = "ssa-630502-cu1"
    raw["compliance"][0]["folio"] = "  25NA1234567 "
    clean = validate_payload("registration", raw, None)
    assert clean["contract"]["amount"] == "20000000.5"
    assert clean["contract"]["vat_amount"] == "3200000.00"
    assert clean["buyer"]["institution_rfc"] == BUYER_RFC
    assert clean["compliance"][0]["folio"] == "25NA1234567"
    # A single supplier is the subject of every opinion; unset optional fields are left out.
    assert {c["supplier_rfc"] for c in clean["compliance"]} == {SUPPLIER_RFC}
    assert "exchange_rate" not in clean["contract"]
    assert "budget_sufficiency" not in clean


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("1000.50", "1000.50"),
        (1000, "1000"),
        (1234.56, "1234.56"),
        ("1E+3", "1000"),
        (" 7.000001 ", "7.000001"),
    ],
)
def test_amounts_keep_their_exact_value_as_fixed_point_strings(written: Any, stored: str) -> None:
    clean = validate_payload(
        "budget_sufficiency", with_("budget_sufficiency", amount=written), EARLY
    )
    assert clean["amount"] == stored


def test_defaults_are_written_out_and_codes_canonicalised() -> None:
    payment = with_("payment", invoice_uuids=[INVOICES["E1"].lower()])
    clean = validate_payload("payment", payment, EARLY)
    assert clean["invoice_uuids"] == [INVOICES["E1"]]
    assert (clean["penalties_withheld"], clean["is_advance"]) == ("0", False)
    guarantee = validate_payload("guarantee", VALID["guarantee"], EARLY)
    assert (guarantee["action"], guarantee["currency"]) == ("new", "MXN")


def test_validation_is_idempotent_on_every_entry_of_a_history() -> None:
    snapshot: dict[str, Any] | None = None
    for entry in HISTORY:
        payload = entry["payload"]
        assert validate_payload(entry["kind"], payload, snapshot) == payload, entry["kind"]
        snapshot = state.apply(snapshot or state.initial_state(OCID), entry)


def test_validation_never_modifies_its_arguments() -> None:
    payload, snapshot = copy.deepcopy(VALID["rectification"]), copy.deepcopy(EARLY)
    validate_payload("rectification", payload, snapshot)
    assert (payload, snapshot) == (VALID["rectification"], EARLY)


# --- Refusals: each names its field and speaks both languages -----------------------------

REFUSALS: list[tuple[str, str, dict[str, Any], str]] = [
    # amounts must be positive
    (
        "zero budget",
        "budget_sufficiency",
        with_("budget_sufficiency", amount="0"),
        "payload.amount",
    ),
    (
        "negative budget",
        "budget_sufficiency",
        with_("budget_sufficiency", amount="-5"),
        "payload.amount",
    ),
    ("zero payment", "payment", with_("payment", amount=0), "payload.amount"),
    ("negative subtotal", "invoice", with_("invoice", subtotal="-1"), "payload.subtotal"),
    ("zero guarantee", "guarantee", with_("guarantee", amount="0.00"), "payload.amount"),
    ("zero deduction", "deduction", with_("deduction", amount="0"), "payload.amount"),
    ("zero penalty base", "penalty", with_("penalty", base_amount="0"), "payload.base_amount"),
    (
        "zero deliverable",
        "deliverable_schedule",
        {"deliverables": [{**VALID["deliverable_schedule"]["deliverables"][0], "amount": "0"}]},
        "payload.deliverables.0.amount",
    ),
    ("an amount that is no number", "payment", with_("payment", amount="diez"), "payload.amount"),
    ("a boolean amount", "payment", with_("payment", amount=True), "payload.amount"),
    ("too many decimals", "payment", with_("payment", amount="1.0000001"), "payload.amount"),
    # dates out of order
    ("reception before signing", "delivery", with_("delivery", date="2025-06-09"), "payload.date"),
    (
        "guarantee before signing",
        "guarantee",
        with_("guarantee", date_received="2025-06-01"),
        "payload.date_received",
    ),
    (
        "payment before the invoice arrived",
        "payment",
        with_("payment", date="2025-07-30"),
        "payload.date",
    ),
    (
        "new end before the start",
        "amendment",
        with_("amendment", types=["term"], amount_change="0", new_end_date="2025-06-01"),
        "payload.new_end_date",
    ),
    (
        "amendment before signing",
        "amendment",
        with_("amendment", signing_date="2025-06-01"),
        "payload.signing_date",
    ),
    (
        "due before signing",
        "deliverable_schedule",
        {
            "deliverables": [
                {**VALID["deliverable_schedule"]["deliverables"][0], "due_date": "2025-05-01"}
            ]
        },
        "payload.deliverables.0.due_date",
    ),
    (
        "received before issued",
        "invoice",
        with_("invoice", date_received="2025-09-30"),
        "payload.date_received",
    ),
    (
        "corrected before the letter",
        "invoice",
        with_("invoice", deficiency_letter_date="2025-10-05", corrected_invoice_date="2025-10-04"),
        "payload.corrected_invoice_date",
    ),
    (
        "corrected with no letter",
        "invoice",
        with_("invoice", corrected_invoice_date="2025-10-04"),
        "payload.corrected_invoice_date",
    ),
    (
        "a date that is a timestamp",
        "delivery",
        with_("delivery", date="2025-09-29T10:00:00"),
        "payload.date",
    ),
    (
        "a date that does not exist",
        "delivery",
        with_("delivery", date="2025-02-30"),
        "payload.date",
    ),
    # who invoices whom
    (
        "invoice to another institution",
        "invoice",
        with_("invoice", receiver_rfc="EKU9003173C9"),
        "payload.receiver_rfc",
    ),
    (
        "invoice from a stranger",
        "invoice",
        with_("invoice", issuer_rfc="EKU9003173C9"),
        "payload.issuer_rfc",
    ),
    ("malformed RFC", "invoice", with_("invoice", issuer_rfc="NOT-AN-RFC"), "payload.issuer_rfc"),
    (
        "total that does not add up",
        "invoice",
        with_("invoice", total="10440000.02"),
        "payload.total",
    ),
    ("malformed CFDI UUID", "invoice", with_("invoice", uuid="6F1C0C7A"), "payload.uuid"),
    ("an invoice recorded twice", "invoice", with_("invoice", uuid=INVOICES["E1"]), "payload.uuid"),
    (
        "invoice of an unknown deliverable",
        "invoice",
        with_("invoice", deliverable_ids=["E7"]),
        "payload.deliverable_ids.0",
    ),
    (
        "SAT status of an unknown CFDI",
        "invoice_status",
        with_("invoice_status", invoice_uuid="6F1C0C7A-3B2D-4E5F-8A9B-0C1D2E3F4A99"),
        "payload.invoice_uuid",
    ),
    (
        "SAT status checked before the CFDI was issued",
        "invoice_status",
        with_("invoice_status", checked_on="2025-01-01"),
        "payload.checked_on",
    ),
    (
        "a reason for an unknown status given with a known one",
        "invoice_status",
        with_("invoice_status", detail="timeout"),
        "payload.detail",
    ),
    (
        "a SAT status that is none of the four",
        "invoice_status",
        with_("invoice_status", status="valid"),
        "payload.status",
    ),
    # foreign currency needs a rate
    (
        "dollars without a rate",
        "payment",
        with_("payment", currency="USD"),
        "payload.exchange_rate",
    ),
    ("an unknown currency", "payment", with_("payment", currency="PESOS"), "payload.currency"),
    # references that must exist
    (
        "payment of an unknown invoice",
        "payment",
        with_("payment", invoice_uuids=["6F1C0C7A-3B2D-4E5F-8A9B-0C1D2E3F4A99"]),
        "payload.invoice_uuids.0",
    ),
    (
        "reception of an unknown deliverable",
        "delivery",
        with_("delivery", deliverable_id="E7"),
        "payload.deliverable_id",
    ),
    (
        "penalty of an unknown deliverable",
        "penalty",
        with_("penalty", deliverable_id="E7"),
        "payload.deliverable_id",
    ),
    (
        "rectification of an unknown entry",
        "rectification",
        with_("rectification", corrects="00000000-0000-4000-8000-000000000000"),
        "payload.corrects",
    ),
    (
        "rectification of no entry id",
        "rectification",
        with_("rectification", corrects="x"),
        "payload.corrects",
    ),
    # guarantees
    ("unknown guarantee type", "guarantee", with_("guarantee", type="bribery"), "payload.type"),
    (
        "a guarantee that exists",
        "guarantee",
        with_("guarantee", guarantee_id="G-1"),
        "payload.guarantee_id",
    ),
    (
        "extending an unknown guarantee",
        "guarantee",
        with_("guarantee", action="extension"),
        "payload.guarantee_id",
    ),
    (
        "a new guarantee with no instrument",
        "guarantee",
        with_("guarantee", instrument=...),
        "payload.instrument",
    ),
    (
        "an exemption with no legal basis",
        "guarantee",
        with_("guarantee", action="exemption", amount=..., instrument=...),
        "payload.legal_basis",
    ),
    (
        "valid until before valid from",
        "guarantee",
        with_("guarantee", valid_from="2025-07-01", valid_until="2025-06-30"),
        "payload.valid_until",
    ),
    # deliveries
    (
        "accepting more than received",
        "delivery",
        with_("delivery", quantity_accepted="101"),
        "payload.quantity_accepted",
    ),
    (
        "a rejection that accepts",
        "delivery",
        with_("delivery", result="rejected", reason="x"),
        "payload.quantity_accepted",
    ),
    (
        "a rejection with no reason",
        "delivery",
        with_("delivery", result="rejected", quantity_accepted="0"),
        "payload.reason",
    ),
    (
        "a deliverable listed twice",
        "deliverable_schedule",
        {"deliverables": [VALID["deliverable_schedule"]["deliverables"][0]] * 2},
        "payload.deliverables.1.deliverable_id",
    ),
    ("an empty schedule", "deliverable_schedule", {"deliverables": []}, "payload.deliverables"),
    # amendments
    (
        "an amount change not typed as such",
        "amendment",
        with_("amendment", types=["other"]),
        "payload.types",
    ),
    (
        "a term amendment with no new end",
        "amendment",
        with_("amendment", types=["amount", "term"]),
        "payload.new_end_date",
    ),
    (
        "an amendment that wipes the contract out",
        "amendment",
        with_("amendment", amount_change="-20000000.00"),
        "payload.amount_change",
    ),
    # suspension and termination
    (
        "resuming what is not suspended",
        "suspension",
        with_("suspension", action="resume"),
        "payload.action",
    ),
    ("suspending with no cause", "suspension", with_("suspension", cause=...), "payload.cause"),
    (
        "a rescission answer with no notice",
        "rescission",
        with_("rescission", stage="answer"),
        "payload.stage",
    ),
    # documents and shapes
    ("a short hash", "document", with_("document", sha256="abc"), "payload.sha256"),
    (
        "a media type that is not one",
        "document",
        with_("document", media_type="pdf"),
        "payload.media_type",
    ),
    ("an unknown field", "payment", with_("payment", tip="100"), "payload.tip"),
    ("a missing field", "payment", with_("payment", date=...), "payload.date"),
    (
        "a flag that is a string",
        "payment",
        with_("payment", is_advance="yes"),
        "payload.is_advance",
    ),
    (
        "days late that are a string",
        "penalty",
        with_("penalty", days_late="1"),
        "payload.days_late",
    ),
]


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [pytest.param(kind, payload, field, id=name) for name, kind, payload, field in REFUSALS],
)
def test_an_impossible_fact_is_refused_naming_its_field(
    kind: str, payload: dict[str, Any], field: str
) -> None:
    error = refusal(kind, payload)
    assert error.field == field
    assert " / " in error.message  # Spanish / English


def test_payments_in_a_foreign_currency_are_accepted_with_their_rate() -> None:
    clean = validate_payload(
        "payment", with_("payment", currency="usd", exchange_rate=18.25), EARLY
    )
    assert (clean["currency"], clean["exchange_rate"]) == ("USD", "18.25")


@pytest.mark.parametrize("snapshot", [None, state.initial_state(OCID)])
def test_nothing_but_a_registration_opens_a_contract(snapshot: dict[str, Any] | None) -> None:
    error = refusal("payment", VALID["payment"], snapshot)
    assert error.field == "kind"
    assert validate_payload("registration", registration_payload(), snapshot)


def test_a_contract_is_registered_only_once() -> None:
    assert refusal("registration", registration_payload()).field == "kind"


@pytest.mark.parametrize(
    ("field", "value", "culprit"),
    [
        ("amount", "0", "payload.contract.amount"),
        ("end_date", "2025-06-01", "payload.contract.end_date"),
        ("award_date", "2025-06-30", "payload.contract.signing_date"),
        ("currency", "USD", "payload.contract.exchange_rate"),
        ("procedure_type", "dedazo", "payload.contract.procedure_type"),
        ("guarantee_percent", "101", "payload.contract.guarantee_percent"),
    ],
)
def test_a_registration_with_contradictory_terms_is_refused(
    field: str, value: str, culprit: str
) -> None:
    assert refusal("registration", registration_payload(**{field: value}), None).field == culprit


def test_joint_proposals_must_add_up_and_name_the_subject_of_each_opinion() -> None:
    joint = registration_payload()
    joint["suppliers"] = [
        {**joint["suppliers"][0], "share_percent": "60"},
        {"rfc": "MOLR800101AB1", "name": "Rosa Morales López", "share_percent": "30"},
    ]
    assert refusal("registration", joint, None).field == "payload.suppliers"
    joint["suppliers"][1]["share_percent"] = "40"
    assert refusal("registration", joint, None).field == "payload.compliance.0.supplier_rfc"
    for opinion in joint["compliance"]:
        opinion["supplier_rfc"] = SUPPLIER_RFC
    assert validate_payload("registration", joint, None)["suppliers"][1]["share_percent"] == "40"


# --- State-dependent kinds ----------------------------------------------------------------


def test_a_closed_contract_takes_only_guarantee_releases_payments_and_documents() -> None:
    assert refusal("delivery", VALID["delivery"], CLOSED).field == "kind"
    assert refusal("closure", VALID["closure"], CLOSED).field == "kind"
    release = {
        "guarantee_id": "G-1",
        "type": "performance",
        "action": "release",
        "date_received": "2026-02-27",
    }
    assert validate_payload("guarantee", release, CLOSED)["action"] == "release"
    assert validate_payload("document", VALID["document"], CLOSED)
    # the settlement payment's CFDIs are checked at the SAT before it is recorded
    assert validate_payload("invoice_status", VALID["invoice_status"], CLOSED)


def test_a_rescission_runs_notice_answer_resolution_in_order() -> None:
    procedure = [
        ("rescission", VALID["rescission"]),
        ("rescission", {"stage": "answer", "date": "2025-09-08"}),
        ("rescission", {"stage": "resolution", "date": "2025-09-20"}),
    ]
    current: dict[str, Any] = EARLY
    for sequence, (kind, payload) in enumerate(procedure, start=EARLY["last_sequence"] + 1):
        clean = validate_payload(kind, payload, current)
        current = state.apply(current, entry(kind, clean, sequence))
    assert clean["decision"] == "rescinded"  # the default decision of a resolution
    assert current["status"] == "rescinded"
    assert refusal("early_termination", VALID["early_termination"], current).field == "kind"


def entry(kind: str, payload: dict[str, Any], sequence: int) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-{sequence:012d}",
        "ocid": OCID,
        "sequence": sequence,
        "kind": kind,
        "occurred_at": "2025-09-30T18:00:00.000000+00:00",
        "recorded_at": "2025-09-30T18:00:00.000000+00:00",
        "actor": {},
        "payload": payload,
        "documents": [],
        "prev_hash": "0" * 64,
        "hash": "0" * 64,
    }


# --- Rectifications -----------------------------------------------------------------------


def test_a_rectification_returns_the_corrected_payload_normalised() -> None:
    payload = with_("rectification")
    payload["payload"]["issuer_rfc"] = SUPPLIER_RFC.lower()
    clean = validate_payload("rectification", payload, EARLY)
    assert clean["corrects"] == INVOICE_E1_ENTRY["id"]
    assert clean["payload"]["date_received"] == "2025-08-01"
    assert clean["payload"]["issuer_rfc"] == SUPPLIER_RFC


def test_a_rectification_re_validates_the_corrected_payload_as_its_kind() -> None:
    payload = with_("rectification")
    payload["payload"]["date_received"] = "2025-07-01"  # before the CFDI was issued
    assert refusal("rectification", payload).field == "payload.payload.date_received"


def test_a_rectification_cannot_make_a_later_entry_impossible() -> None:
    payload = with_("rectification")
    payload["payload"]["date_received"] = "2025-08-25"  # after its payment of 2025-08-20
    error = refusal("rectification", payload)
    assert error.field == "payload.payload"
    assert "entrada 7 (payment)" in error.message


def test_a_rectification_corrects_the_original_entry_not_another_rectification() -> None:
    (fix,) = [e for e in HISTORY if e["kind"] == "rectification"]
    payload = {"corrects": fix["id"], "reason": "otra vez", "payload": fix["payload"]}
    assert refusal("rectification", payload, CLOSED).field == "payload.corrects"


# --- Attached documents -------------------------------------------------------------------


def test_attached_documents_are_normalised() -> None:
    (document,) = validate_documents(
        [{"title": " Acta ", "sha256": "AB" * 32, "media_type": "Application/PDF"}]
    )
    assert document == {"title": "Acta", "sha256": "ab" * 32, "media_type": "application/pdf"}


@pytest.mark.parametrize(
    ("documents", "field"),
    [
        (
            [
                {"title": "A", "sha256": "ab" * 32, "media_type": "application/pdf"},
                {"title": "B", "sha256": "zz" * 32, "media_type": "application/pdf"},
            ],
            "documents.1.sha256",
        ),
        (
            [{"title": "A", "sha256": "ab" * 31, "media_type": "application/pdf"}],
            "documents.0.sha256",
        ),
        ([{"title": "A", "sha256": "ab" * 32}], "documents.0.media_type"),
        (
            [{"title": "A", "sha256": "ab" * 32, "media_type": "text/plain", "url": "x"}],
            "documents.0.url",
        ),
        (["acta.pdf"], "documents.0"),
        ("acta.pdf", "documents"),
    ],
)
def test_a_bad_attached_document_is_refused_naming_its_position(documents: Any, field: str) -> None:
    with pytest.raises(InvalidPayload) as err:
        validate_documents(documents)
    assert err.value.field == field


def test_a_guarantee_is_acted_on_only_while_active_and_as_its_own_type() -> None:
    extension = {
        "guarantee_id": "G-1",
        "type": "advance",
        "action": "extension",
        "amount": "2300000.00",
        "date_received": "2025-07-01",
    }
    assert refusal("guarantee", extension).field == "payload.type"
    released = state.apply(
        EARLY,
        entry(
            "guarantee",
            validate_payload(
                "guarantee",
                {
                    "guarantee_id": "G-1",
                    "type": "performance",
                    "action": "release",
                    "date_received": "2025-09-01",
                },
                EARLY,
            ),
            EARLY["last_sequence"] + 1,
        ),
    )
    assert released["guarantees"]["G-1"]["status"] == "released"
    assert refusal("guarantee", {**extension, "type": "performance"}, released).field == (
        "payload.action"
    )

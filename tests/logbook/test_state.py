"""The contract state as a pure fold: what it holds, that it is deterministic, and that a
rectification leaves it exactly as if the corrected entry had been right from the start."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest
from tests.logbook.histories import (
    INVOICES,
    History,
    full_history,
    registration_payload,
    without_rectifications,
)

from besa.exceptions import IntegrityError
from besa.logbook import state

OCID = "ocds-besa00-STATE-1"
HISTORY = full_history(OCID)
FINAL = state.fold(HISTORY)


def contract_part(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The state without its bookkeeping keys (the history's own record)."""
    return {k: v for k, v in snapshot.items() if k not in state.BOOKKEEPING_KEYS}


# --- What the state holds -----------------------------------------------------------------


def test_the_initial_state_is_unregistered_json() -> None:
    initial = state.initial_state(OCID)
    assert initial["status"] == "unregistered"
    assert orjson.loads(orjson.dumps(initial)) == initial


@pytest.mark.parametrize(
    ("entries", "status"),
    [
        (1, "registered"),  # registered the day before its start date
        (2, "registered"),  # a budget sufficiency dated before the start
        (3, "in_execution"),  # the guarantee arrives once the contract runs
        (8, "in_execution"),  # a partial, late reception
        (19, "in_execution"),  # E1–E3 in, the amendment's E4 still due
        (20, "terminated_completed"),  # every deliverable accepted
        (23, "closed"),
    ],
)
def test_the_status_follows_the_facts(entries: int, status: str) -> None:
    assert state.fold(HISTORY[:entries])["status"] == status


def test_the_registration_sets_terms_parties_and_home_currency() -> None:
    first = state.fold(HISTORY[:1])
    assert first["contract"]["signing_date"] == "2025-06-10"
    assert first["buyer"]["institution_rfc"] == "SSA630502CU1"
    assert [s["rfc"] for s in first["suppliers"]] == ["CMA150315K2A"]
    assert (first["home_currency"], first["currency"]) == ("MXN", "MXN")
    assert first["current_amount"] == first["original_amount"] == "20000000.00"
    assert len(first["compliance"]) == 3


def test_an_amendment_moves_the_amount_the_end_date_and_the_percentages() -> None:
    assert FINAL["original_amount"] == "20000000.00"
    assert FINAL["current_amount"] == "23000000.00"
    assert FINAL["amendment_percent"] == FINAL["amendment_increase_percent"] == "15.0000"
    assert FINAL["quantity_change_percent"] == "15"
    assert (FINAL["original_end_date"], FINAL["current_end_date"]) == ("2025-12-31", "2026-01-31")
    (amendment,) = FINAL["amendments"]
    assert amendment["amendment_id"] == "CM-1"


def test_a_deliverable_keeps_its_plan_and_every_reception() -> None:
    e2 = FINAL["deliverables"]["E2"]
    assert (e2["quantity"], e2["due_date"]) == ("15000", "2025-09-30")
    assert [r["result"] for r in e2["receptions"]] == ["partial", "accepted"]
    assert (e2["received_quantity"], e2["accepted_quantity"]) == ("18000", "15000")
    assert (e2["fully_accepted_on"], e2["last_result"]) == ("2025-10-20", "accepted")
    assert FINAL["deliverables"]["E4"]["original_due_date"] == "2026-01-15"


def test_a_guarantee_keeps_its_history_of_actions() -> None:
    g1 = FINAL["guarantees"]["G-1"]
    assert [h["action"] for h in g1["history"]] == ["new", "extension"]
    assert (g1["amount"], g1["valid_until"], g1["status"]) == ("2300000.00", "2026-07-31", "active")
    assert g1["policy_number"] == "FZ-778812-A"


def test_invoices_know_their_payments() -> None:
    invoice = FINAL["invoices"][INVOICES["E2"]]
    (payment,) = [p for p in FINAL["payments"] if INVOICES["E2"] in p["invoice_uuids"]]
    assert invoice["payment_entry_ids"] == [payment["entry_id"]]
    assert payment["penalties_withheld"] == "270000.00"


def test_totals_are_in_the_home_currency() -> None:
    assert FINAL["totals"] == {
        "currency": "MXN",
        "invoiced": "26680000.00",
        "paid": "26410000.00",
        "advances_paid": "0.00",
        "penalties_calculated": "270000.00",
        "penalties_applied": "270000.00",
        "penalties_withheld": "270000.00",
        "deductions": "0.00",
        "deductions_withheld": "0.00",
        "financial_charges": "0.00",
    }


def test_a_foreign_currency_contract_totals_in_pesos_at_each_facts_rate() -> None:
    h = History("ocds-besa00-USD-1")
    h.add("registration", registration_payload(currency="USD", exchange_rate="18.50"), "2025-06-10")
    h.add(
        "deliverable_schedule",
        {
            "deliverables": [
                {
                    "deliverable_id": "E1",
                    "description": "Equipo",
                    "quantity": "1",
                    "amount": "1000000.00",
                    "due_date": "2025-07-31",
                }
            ]
        },
        "2025-06-11",
    )
    invoice = {
        "uuid": INVOICES["E1"],
        "issue_date": "2025-07-30",
        "date_received": "2025-07-31",
        "issuer_rfc": "CMA150315K2A",
        "receiver_rfc": "SSA630502CU1",
        "subtotal": "100.00",
        "taxes": "16.00",
        "total": "116.00",
        "currency": "USD",
        "exchange_rate": "18.3333",
        "payment_method": "PUE",
    }
    h.add("invoice", invoice, "2025-07-31")
    penalty = {
        "days_late": 1,
        "daily_rate_percent": "0.5",
        "base_amount": "100",
        "calculated_amount": "0.50",
        "applied_amount": "0.50",
        "application": "paid_by_supplier",
        "date": "2025-08-01",
    }
    h.add("penalty", penalty, "2025-08-01")
    assert h.state["totals"]["invoiced"] == "2126.66"  # 116 × 18.3333, to the cent
    assert h.state["totals"]["penalties_applied"] == "9.25"  # at the contract's 18.50
    assert h.state["current_amount"] == "20000000.00"  # contract amounts stay in dollars


def test_documents_are_listed_with_their_entry_and_never_their_actor() -> None:
    assert [d["kind"] for d in FINAL["documents"]] == ["registration", "delivery", "closure"]
    assert FINAL["documents"][0]["id"] == HISTORY[0]["id"] + "-1"
    assert "oper" not in orjson.dumps(contract_part(FINAL)).decode()


def test_the_state_records_the_ids_and_kinds_it_has_seen() -> None:
    assert FINAL["entry_ids"][HISTORY[13]["id"]] == {"kind": "invoice", "sequence": 14}
    assert FINAL["last_sequence"] == 23
    assert FINAL["last_occurred_at"] == HISTORY[-1]["occurred_at"]


# --- Purity and determinism ---------------------------------------------------------------


def test_folding_twice_gives_equal_states() -> None:
    assert state.fold(copy.deepcopy(HISTORY)) == FINAL


def test_folding_is_applying_one_entry_at_a_time() -> None:
    current = state.initial_state(OCID)
    for entry in HISTORY:
        current = state.apply(current, entry)
    assert current == FINAL


def test_folding_in_place_gives_the_same_states_without_touching_the_start() -> None:
    start = state.fold(HISTORY[:10])
    snapshot = copy.deepcopy(start)
    folding = state.Fold(start)
    for entry in HISTORY[10:]:
        folding.add(entry)
    assert folding.state == FINAL
    assert start == snapshot


def test_the_state_survives_a_json_round_trip_unchanged() -> None:
    assert orjson.loads(orjson.dumps(FINAL)) == FINAL


def test_apply_and_fold_never_modify_their_inputs() -> None:
    entries, before = copy.deepcopy(HISTORY), state.fold(HISTORY[:5])
    snapshot = copy.deepcopy(before)
    state.apply(before, entries[5])
    state.fold(entries)
    assert (entries, before) == (HISTORY, snapshot)


def test_a_folded_state_shares_no_object_with_the_entries() -> None:
    entries = copy.deepcopy(HISTORY)
    folded = state.fold(entries)
    entries[0]["payload"]["contract"]["title"] = "changed"
    assert folded["contract"]["title"] != "changed"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"sequence": 3}, "sequence"),
        ({"ocid": "ocds-besa00-OTHER"}, "belongs to"),
        ({"id": HISTORY[0]["id"]}, "twice"),
    ],
)
def test_a_history_with_a_gap_a_stranger_or_a_repeat_does_not_fold(
    change: dict[str, Any], problem: str
) -> None:
    with pytest.raises(IntegrityError, match=problem):
        state.fold([HISTORY[0], {**HISTORY[1], **change}])


def test_an_empty_history_needs_its_ocid() -> None:
    assert state.fold([], OCID) == state.initial_state(OCID)
    with pytest.raises(ValueError):
        state.fold([])


# --- Rectifications -----------------------------------------------------------------------


def test_a_rectification_leaves_the_state_as_if_the_entry_had_been_right() -> None:
    corrected = state.fold(without_rectifications(HISTORY))
    assert contract_part(FINAL) == contract_part(corrected)
    assert FINAL["invoices"][INVOICES["E2"]]["date_received"] == "2025-10-23"


def test_only_the_bookkeeping_remembers_the_rectification() -> None:
    corrected = state.fold(without_rectifications(HISTORY))
    assert {k for k in FINAL if FINAL[k] != corrected[k]} == {
        "entry_ids",
        "log",
        "rectifications",
        "last_sequence",
    }
    (fix,) = FINAL["rectifications"]
    assert fix["corrects"] == HISTORY[13]["id"]
    assert fix["sequence"] == 15


def test_rectifying_an_amendment_refolds_everything_that_depended_on_it() -> None:
    h = History("ocds-besa00-FIX-1")
    h.add("registration", registration_payload(), "2025-06-10")
    amendment = h.add(
        "amendment",
        {
            "amendment_id": "CM-1",
            "signing_date": "2025-07-01",
            "types": ["amount"],
            "amount_change": "5000000.00",
            "justification": "Ampliación",
        },
        "2025-07-01",
    )
    h.add(
        "amendment",
        {
            "amendment_id": "CM-2",
            "signing_date": "2025-08-01",
            "types": ["amount"],
            "amount_change": "-1000000.00",
            "justification": "Reducción",
        },
        "2025-08-01",
    )
    assert (h.state["current_amount"], h.state["amendment_percent"]) == ("24000000.00", "20.0000")
    h.add(
        "rectification",
        {
            "corrects": amendment["id"],
            "reason": "Era un millón, no cinco",
            "payload": {**amendment["payload"], "amount_change": "1000000.00"},
        },
        "2025-08-02",
    )
    assert h.state["current_amount"] == "20000000.00"
    assert h.state["amendment_percent"] == "0.0000"
    assert h.state["amendment_increase_percent"] == "5.0000"
    assert h.state["amendments"][0]["amount_change"] == "1000000.00"


def test_the_state_before_an_entry_is_replayed_with_every_correction() -> None:
    before_payment = state.state_before(FINAL, HISTORY[15]["id"])
    assert before_payment == state.fold(HISTORY[:15])
    with pytest.raises(KeyError):
        state.state_before(FINAL, "00000000-0000-4000-8000-000000000000")


# --- Suspension and endings ---------------------------------------------------------------


def running(ocid: str) -> History:
    h = History(ocid)
    h.add("registration", registration_payload(), "2025-06-10")
    h.add(
        "deliverable_schedule",
        {
            "deliverables": [
                {
                    "deliverable_id": "E1",
                    "description": "Lote",
                    "quantity": "10",
                    "amount": "100.00",
                    "due_date": "2025-07-31",
                }
            ]
        },
        "2025-06-12",
    )
    return h


def test_a_suspension_suspends_and_a_resumption_resumes() -> None:
    h = running("ocds-besa00-SUSP-1")
    h.add(
        "suspension",
        {
            "date": "2025-07-01",
            "cause": "Inundación del almacén",
            "expected_resume_date": "2025-07-15",
        },
        "2025-07-01",
    )
    assert (h.state["status"], h.state["suspended"]) == ("suspended", True)
    h.add("suspension", {"action": "resume", "date": "2025-07-14"}, "2025-07-14")
    assert h.state["status"] == "in_execution"
    assert [s["action"] for s in h.state["suspensions"]] == ["suspend", "resume"]


@pytest.mark.parametrize(
    ("entries", "status"),
    [
        (
            [("early_termination", {"date": "2025-07-01", "cause": "Interés general"})],
            "terminated_early",
        ),
        (
            [
                ("rescission", {"stage": "notice", "date": "2025-07-01", "cause": "Atraso"}),
                ("rescission", {"stage": "answer", "date": "2025-07-05"}),
                (
                    "rescission",
                    {
                        "stage": "resolution",
                        "date": "2025-07-15",
                        "guarantee_enforced_amount": "2000000.00",
                    },
                ),
            ],
            "rescinded",
        ),
        (
            [
                ("rescission", {"stage": "notice", "date": "2025-07-01", "cause": "Atraso"}),
                (
                    "rescission",
                    {"stage": "resolution", "date": "2025-07-15", "decision": "not_rescinded"},
                ),
            ],
            "in_execution",
        ),
    ],
)
def test_an_ending_sets_its_status(entries: list[tuple[str, dict[str, Any]]], status: str) -> None:
    h = running(f"ocds-besa00-END-{status}")
    for kind, payload in entries:
        h.add(kind, payload, payload["date"])
    assert h.state["status"] == status

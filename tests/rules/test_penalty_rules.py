"""A09 (penalty not applied, miscalculated or not withheld), A10 (penalties at the cap) and
A11 (deduction not applied or not withheld). The contract's penalty is 0.5 % a day; E1 (10,000
boxes, 6,000,000.00 MXN) is due on 2025-07-31 and E2 (14,000,000.00 MXN) on 2025-09-30; the
performance guarantee is 2,000,000.00."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.rules.snapshots import Contract, evaluate

DUE = "2025-07-31"
E1 = ("E1", DUE, "6000000.00", "10000")
E2 = ("E2", "2025-09-30", "14000000.00", "100")


def contract_with(guarantee: str | None = "2000000.00") -> Contract:
    contract = Contract()
    if guarantee is not None:
        contract.guarantee("2025-06-18", amount=guarantee)
    contract.schedule(E1, E2)
    return contract


def by_subject(code: str, contract: Contract, today: str = "2025-12-01") -> dict[str, Any]:
    verdict = evaluate(code, contract.snapshot, today)
    return {f.subject: f for f in verdict.findings}


# --- A09: applied and calculated ------------------------------------------------------------


@pytest.mark.parametrize(
    ("applied", "problem"),
    [
        (None, "missing"),
        ("180000.00", None),  # 0.5 % × 6 days × 6,000,000.00
        ("179999.99", None),  # one cent: rounding
        ("179999.98", "under_applied"),
        ("90000.00", "under_applied"),
    ],
)
def test_a_delivery_six_days_late_owes_six_days_of_penalty(
    applied: str | None, problem: str | None
) -> None:
    contract = contract_with()
    contract.deliver("E1", "2025-08-06")
    if applied is not None:
        contract.penalty("E1", "2025-08-07", days_late=6, base="6000000.00",
                         calculated=applied)  # fmt: skip

    found = by_subject("A09", contract)

    if problem is None:
        assert found == {}
    else:
        evidence = found["deliverable:E1"].evidence
        assert found["deliverable:E1"].severity == "H"
        assert evidence["problem"] == problem
        assert evidence["days_late"] == 6
        assert evidence["calculated_amount"] == "180000.00"
        assert evidence["applied_amount"] == (applied or "0.00")


@pytest.mark.parametrize(("accepted_on", "owes"), [(DUE, False), ("2025-08-01", True)])
def test_a_penalty_is_owed_from_the_day_after_the_due_date(accepted_on: str, owes: bool) -> None:
    contract = contract_with()
    contract.deliver("E1", accepted_on)

    found = by_subject("A09", contract)

    assert ("deliverable:E1" in found) is owes
    if owes:
        assert found["deliverable:E1"].evidence["calculated_amount"] == "30000.00"


def test_the_penalty_runs_on_the_value_still_missing_each_day() -> None:
    contract = contract_with()
    contract.deliver("E1", "2025-08-03", received="6000")  # 3 days × 6,000,000.00
    contract.deliver("E1", "2025-08-10", received="4000")  # 7 days × 2,400,000.00

    evidence = by_subject("A09", contract)["deliverable:E1"].evidence

    assert evidence["calculated_amount"] == "174000.00"
    assert evidence["late_value"] == "6000000.00"
    assert evidence["days_late"] == 10


def test_a_penalty_naming_no_deliverable_counts_for_the_late_one() -> None:
    contract = contract_with()
    contract.deliver("E1", "2025-08-06")
    contract.penalty(None, "2025-08-07", days_late=6, base="6000000.00", calculated="180000.00")

    assert by_subject("A09", contract) == {}


def test_no_more_penalty_is_owed_once_the_cap_is_reached() -> None:
    contract = contract_with(guarantee="100000.00")  # the cap
    contract.deliver("E1", "2025-08-06")
    contract.penalty("E1", "2025-08-07", days_late=6, base="6000000.00",
                     calculated="180000.00", applied="100000.00")  # fmt: skip

    assert by_subject("A09", contract) == {}


# --- A09: withheld from the payment ---------------------------------------------------------


def late_e1_with_penalty(application: str = "withheld") -> tuple[Contract, dict[str, Any]]:
    contract = contract_with()
    contract.deliver("E1", "2025-08-06")
    penalty = contract.penalty("E1", "2025-08-07", days_late=6, base="6000000.00",
                               calculated="180000.00", application=application)  # fmt: skip
    return contract, penalty


@pytest.mark.parametrize(
    ("withheld", "fires"),
    [("180000.00", False), ("179999.99", False), ("179999.98", True), (None, True)],
)
def test_a_penalty_must_be_withheld_from_the_payment_of_its_deliverable(
    withheld: str | None, fires: bool
) -> None:
    contract, penalty = late_e1_with_penalty()
    cfdi = contract.invoice("E1", "2025-08-10")
    contract.pay("2025-08-30", cfdi, **({"penalties_withheld": withheld} if withheld else {}))

    found = by_subject("A09", contract)

    assert (f"penalty:{penalty['id']}" in found) is fires
    if fires:
        evidence = found[f"penalty:{penalty['id']}"].evidence
        assert evidence["amount"] == "180000.00"
        assert evidence["due_in_payment"]["date"] == "2025-08-30"


def test_a_payment_for_another_deliverable_need_not_withhold_the_penalty() -> None:
    contract, _ = late_e1_with_penalty()
    contract.deliver("E2", "2025-08-08")
    contract.pay("2025-08-20", contract.invoice("E2", "2025-08-08"))  # E1's CFDI still to come

    assert by_subject("A09", contract) == {}


def test_once_its_deliverable_is_paid_the_next_payment_must_withhold_it() -> None:
    contract = contract_with()
    contract.deliver("E1", "2025-08-06")
    contract.pay("2025-08-07", contract.invoice("E1", "2025-08-06"))
    penalty = contract.penalty("E1", "2025-08-08", days_late=6, base="6000000.00",
                               calculated="180000.00")  # fmt: skip
    contract.deliver("E2", "2025-08-20")
    contract.pay("2025-08-25", contract.invoice("E2", "2025-08-20"))

    assert f"penalty:{penalty['id']}" in by_subject("A09", contract)


def test_a_penalty_paid_by_the_supplier_is_not_withheld() -> None:
    contract, _ = late_e1_with_penalty(application="paid_by_supplier")
    contract.pay("2025-08-30", contract.invoice("E1", "2025-08-10"))

    assert by_subject("A09", contract) == {}


# --- A10 ----------------------------------------------------------------------------------


def penalised(calculated: str, *, guarantee: str | None = "2000000.00") -> Contract:
    contract = contract_with(guarantee)
    contract.penalty("E1", "2025-10-01", days_late=62, base="6000000.00", calculated=calculated)
    return contract


@pytest.mark.parametrize(
    ("calculated", "today", "fires", "next_check"),
    [
        ("1999999.99", "2025-12-01", False, None),  # below the guarantee: never
        ("2000000.00", "2025-10-16", False, dt.date(2025, 10, 17)),  # day 15 after reaching it
        ("2000000.00", "2025-10-17", True, None),  # day 16: no decision
        ("2500000.00", "2025-10-17", True, None),
    ],
)
def test_penalties_at_the_cap_need_a_decision_within_15_days(
    calculated: str, today: str, fires: bool, next_check: dt.date | None
) -> None:
    verdict = evaluate("A10", penalised(calculated).snapshot, today)

    assert bool(verdict.findings) is fires
    assert verdict.next_check == next_check
    if fires:
        (finding,) = verdict.findings
        assert (finding.subject, finding.severity) == ("contract", "H")
        assert finding.evidence["cap"] == "2000000.00"
        assert finding.evidence["cap_basis"] == "guarantee"
        assert finding.evidence["reached_on"] == "2025-10-01"
        assert finding.evidence["decision_deadline"] == "2025-10-16"


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("rescission", {"stage": "notice", "date": "2025-10-20", "cause": "Penas en el tope"}),
        ("early_termination", {"date": "2025-10-20", "cause": "Interés general"}),
    ],
)
def test_a_rescission_or_termination_is_the_decision(kind: str, payload: dict[str, str]) -> None:
    contract = penalised("2000000.00")
    assert evaluate("A10", contract.snapshot, "2025-10-20").findings

    contract.add(kind, payload, "2025-10-20")

    assert evaluate("A10", contract.snapshot, "2025-10-20").findings == ()


def test_with_the_guarantee_exempted_the_cap_is_20_percent_of_the_value_delivered_late() -> None:
    contract = Contract()
    contract.guarantee("2025-06-18", action="exemption")
    contract.schedule(E1, E2)
    contract.penalty("E1", "2025-10-01", days_late=40, base="6000000.00",
                     calculated="1200000.00")  # fmt: skip

    (finding,) = evaluate("A10", contract.snapshot, "2025-10-17").findings

    assert (finding.evidence["cap"], finding.evidence["cap_basis"]) == ("1200000.00", "exempt")


def test_with_no_guarantee_recorded_the_cap_is_the_guarantee_required() -> None:
    (finding,) = evaluate("A10", penalised("2000000.00", guarantee=None).snapshot,
                          "2025-10-17").findings  # fmt: skip

    assert finding.evidence["cap_basis"] == "required_guarantee"


# --- A11 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "accepted", "deducted", "fires"),
    [
        ("partial", "7000", False, True),
        ("deficient", "10000", False, True),
        ("partial", "7000", True, False),
        ("rejected", "0", False, False),  # nothing accepted: replaced, not deducted
    ],
)
def test_a_partial_or_deficient_delivery_needs_a_deduction(
    result: str, accepted: str, deducted: bool, fires: bool
) -> None:
    contract = contract_with()
    contract.deliver("E1", "2025-07-20", received="10000", accepted=accepted, result=result)
    if deducted:
        contract.deduction("E1", "2025-07-22", "300000.00")

    found = by_subject("A11", contract, "2025-07-25")

    assert ("deliverable:E1" in found) is fires
    if fires:
        assert found["deliverable:E1"].severity == "M"
        assert found["deliverable:E1"].evidence["first_reception_date"] == "2025-07-20"


def test_a_deduction_naming_no_deliverable_covers_one_deficient_delivery() -> None:
    contract = contract_with()
    contract.deliver("E1", "2025-07-20", received="10000", accepted="7000", result="partial")
    contract.deduction(None, "2025-07-22", "300000.00")

    assert by_subject("A11", contract, "2025-07-25") == {}


@pytest.mark.parametrize(("withheld", "fires"), [("300000.00", False), (None, True)])
def test_a_deduction_must_be_withheld_from_the_payment(withheld: str | None, fires: bool) -> None:
    contract = contract_with()
    contract.deliver("E1", "2025-07-20", received="10000", accepted="10000", result="deficient")
    deduction = contract.deduction("E1", "2025-07-22", "300000.00")
    cfdi = contract.invoice("E1", "2025-07-25")
    contract.pay("2025-08-10", cfdi, **({"deductions_withheld": withheld} if withheld else {}))

    found = by_subject("A11", contract, "2025-08-15")

    assert (f"deduction:{deduction['id']}" in found) is fires

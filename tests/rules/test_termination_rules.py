"""How a contract ends, on a frozen day: no closure (A20), irregular rescission (A21),
unsupported early termination (A22) and no activity (A23), each at its boundaries.

The contract is the medicines contract of ``tests.rules.snapshots``: signed 2025-06-10, in force
to 2025-12-31, performance guarantee G-1 where a test needs one. With the federal parameters:
closure within 60 days, 5 business days to answer a rescission notice, resolution 15 days
after, 60 days of silence. Tuesday 2025-09-16 is a holiday (Independence Day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from tests.logbook.histories import full_history, sha
from tests.rules.snapshots import OCID, Contract, evaluate, snapshot

CODES = ("A20", "A21", "A22", "A23")


def date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def close(contract: Contract, on: str, **fields: Any) -> dict[str, Any]:
    zero = "0.00"
    payload = {
        "date": on, "delivered_amount": zero, "invoiced_amount": zero, "paid_amount": zero,
        "penalties_total": zero, "deductions_total": zero, "balance_owed_to_supplier": zero,
        "balance_owed_to_buyer": zero, **fields,
    }  # fmt: skip
    return contract.add("closure", payload, on)


def rescind(contract: Contract, stage: str, on: str, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"stage": stage, "date": on, **fields}
    if stage == "notice":
        payload["cause"] = "Incumplimiento en la entrega de los bienes"
    return contract.add("rescission", payload, on)


def breaches(code: str, contract: Contract, today: str) -> tuple[list[list[str]], Any]:
    verdict = evaluate(code, contract.snapshot, today)
    return [f.evidence["breaches"] for f in verdict.findings], verdict.next_check


# --- A20: no closure ----------------------------------------------------------------------


def plain(contract: Contract) -> None:
    """Ends on 2025-12-31: closure due by 2026-03-01."""


def amended(contract: Contract) -> None:
    """Extended to 2026-01-31: closure due by 2026-04-01."""
    contract.amend("2025-12-01", new_end_date="2026-01-31")


def terminated(contract: Contract) -> None:
    """Terminated early on 2025-09-30: closure due by 2025-11-29."""
    payload = {"date": "2025-09-30", "cause": "Interés general", "justification_document": "DG/7"}
    contract.add("early_termination", payload, "2025-09-30")


@pytest.mark.parametrize(
    ("story", "today", "fires", "next_check"),
    [
        pytest.param(plain, "2026-03-01", False, "2026-03-02", id="60th day after the end"),
        pytest.param(plain, "2026-03-02", True, None, id="61st day after the end"),
        pytest.param(amended, "2026-04-01", False, "2026-04-02", id="amended end, 60th day"),
        pytest.param(amended, "2026-04-02", True, None, id="amended end, 61st day"),
        pytest.param(terminated, "2025-11-29", False, "2025-11-30", id="terminated, 60th day"),
        pytest.param(terminated, "2025-11-30", True, None, id="terminated, 61st day"),
    ],
)
def test_a_contract_not_closed_within_60_days_of_its_end_fires(
    story: Callable[[Contract], None], today: str, fires: bool, next_check: str | None
) -> None:
    contract = Contract()
    story(contract)

    found, check = breaches("A20", contract, today)

    assert found == ([["no_closure"]] if fires else [])
    assert check == date(next_check)


def test_the_closure_withdraws_the_finding() -> None:
    contract = Contract()
    assert breaches("A20", contract, "2026-03-02")[0] == [["no_closure"]]

    close(contract, "2026-03-02", guarantee_release_date="2026-03-02")

    assert breaches("A20", contract, "2026-03-02") == ([], None)


@pytest.mark.parametrize(
    ("release", "today", "fires", "next_check"),
    [
        pytest.param(None, "2026-03-21", False, "2026-03-22", id="60 days after the closure"),
        pytest.param(None, "2026-03-22", True, None, id="61 days after, guarantee held"),
        pytest.param("entry", "2026-03-22", False, None, id="released by its own entry"),
        pytest.param("closure", "2026-03-22", False, None, id="released with the closure"),
    ],
)
def test_a_guarantee_still_held_60_days_after_the_closure_fires(
    release: str | None, today: str, fires: bool, next_check: str | None
) -> None:
    contract = Contract()
    contract.guarantee("2025-06-18")
    if release == "entry":
        close(contract, "2026-01-20")
        contract.guarantee("2026-01-25", action="release")
    else:
        fields = {"guarantee_release_date": "2026-01-25"} if release == "closure" else {}
        close(contract, "2026-01-20", **fields)

    found, check = breaches("A20", contract, today)

    assert found == ([["guarantees_held"]] if fires else [])
    assert check == date(next_check)


@pytest.mark.parametrize(
    "story",
    [
        pytest.param({"kind": "suspension", "payload": {"action": "suspend", "date": "2025-09-01",
                      "cause": "Fuerza mayor"}}, id="suspended: the term is frozen"),
        pytest.param({"kind": "rescission", "payload": {"stage": "notice", "date": "2025-09-01",
                      "cause": "Incumplimiento"}}, id="a rescission under way"),
    ],
)  # fmt: skip
def test_only_a_suspended_contract_is_excused_from_closing(story: dict[str, Any]) -> None:
    contract = Contract()
    contract.add(story["kind"], story["payload"], story["payload"]["date"])

    found, _ = breaches("A20", contract, "2026-06-01")

    assert found == ([] if story["kind"] == "suspension" else [["no_closure"]])


def test_a_rescinded_contract_is_left_to_a21() -> None:
    contract = Contract()
    rescind(contract, "notice", "2025-09-01")
    rescind(contract, "resolution", "2025-09-20", decision="rescinded")

    assert breaches("A20", contract, "2026-06-01") == ([], None)


# --- A21: irregular rescission ------------------------------------------------------------


@pytest.mark.parametrize(
    ("notice", "answer", "resolution", "period_end", "deadline", "late"),
    [
        # Friday 09-12 + 5 business days skipping Tuesday 09-16: Monday 09-22; + 15 days: 10-07.
        pytest.param("2025-09-12", None, "2025-10-07", "2025-09-22", "2025-10-07", None,
                     id="holiday: resolved on the 15th day"),
        pytest.param("2025-09-12", None, "2025-10-08", "2025-09-22", "2025-10-07", 1,
                     id="holiday: resolved on the 16th day"),
        # Friday 10-03 + 5 business days: Friday 10-10; + 15 days: 10-25.
        pytest.param("2025-10-03", None, "2025-10-25", "2025-10-10", "2025-10-25", None,
                     id="plain week: resolved on the 15th day"),
        pytest.param("2025-10-03", None, "2025-10-26", "2025-10-10", "2025-10-25", 1,
                     id="plain week: resolved on the 16th day"),
        # An answer after the answer period moves the deadline: 09-25 + 15 = 10-10.
        pytest.param("2025-09-12", "2025-09-25", "2025-10-10", "2025-09-22", "2025-10-10", None,
                     id="late answer: 15 days from it"),
        pytest.param("2025-09-12", "2025-09-15", "2025-10-08", "2025-09-22", "2025-10-07", 1,
                     id="early answer: 15 days from the period's end"),
    ],
)  # fmt: skip
def test_a_rescission_is_resolved_within_15_days_after_5_business_days_to_answer(
    notice: str,
    answer: str | None,
    resolution: str,
    period_end: str,
    deadline: str,
    late: int | None,
) -> None:
    contract = Contract()
    opened = rescind(contract, "notice", notice)
    if answer:
        rescind(contract, "answer", answer)
    rescind(contract, "resolution", resolution, decision="not_rescinded")

    verdict = evaluate("A21", contract.snapshot, "2026-06-01")

    assert [f.evidence["days_late"] for f in verdict.findings] == ([late] if late else [])
    for finding in verdict.findings:
        assert finding.subject == f"rescission:{opened['id']}"
        assert finding.evidence["breaches"] == ["resolution_late"]
        assert finding.evidence["answer_period_end"] == period_end
        assert finding.evidence["resolution_deadline"] == deadline


@pytest.mark.parametrize(
    ("today", "fires", "next_check"),
    [
        pytest.param("2025-10-07", False, "2025-10-08", id="15th day: not yet"),
        pytest.param("2025-10-08", True, None, id="16th day with no resolution"),
    ],
)
def test_a_rescission_left_unresolved_fires_after_its_deadline(
    today: str, fires: bool, next_check: str | None
) -> None:
    contract = Contract()
    rescind(contract, "notice", "2025-09-12")

    assert breaches("A21", contract, today) == (
        [["resolution_overdue"]] if fires else [],
        date(next_check),
    )


@pytest.mark.parametrize(
    ("enforce", "settle", "today", "expected", "next_check"),
    [
        pytest.param(None, False, "2025-11-30", [], "2025-12-01", id="60 days after: not yet"),
        pytest.param(None, False, "2025-12-01", ["guarantee_not_enforced", "no_settlement"], None,
                     id="61 days: neither enforced nor settled"),
        pytest.param("entry", True, "2025-12-01", [], None, id="enforced and settled"),
        pytest.param("resolution", False, "2025-12-01", ["no_settlement"], None,
                     id="enforced by the resolution, not settled"),
        pytest.param("entry", False, "2025-11-15", [], "2025-12-01", id="settlement pending"),
    ],
)  # fmt: skip
def test_a_rescinded_contract_enforces_its_guarantee_and_settles_within_60_days(
    enforce: str | None, settle: bool, today: str, expected: list[str], next_check: str | None
) -> None:
    contract = Contract()
    contract.guarantee("2025-06-18")
    rescind(contract, "notice", "2025-09-12")
    enforced = {"guarantee_enforced_amount": "2000000.00"} if enforce == "resolution" else {}
    rescind(contract, "resolution", "2025-10-01", decision="rescinded", **enforced)
    if enforce == "entry":
        contract.guarantee("2025-10-05", action="enforcement", amount="2000000.00")
    if settle:
        close(contract, "2025-11-20")

    assert breaches("A21", contract, today) == (
        [expected] if expected else [],
        date(next_check),
    )


# --- A22: early termination without support -----------------------------------------------


@pytest.mark.parametrize(
    ("fields", "attached", "expected"),
    [
        pytest.param({"justification_document": "Oficio DG/77"}, False, None, id="justified"),
        pytest.param({}, False, ["no_justification"], id="no justification"),
        pytest.param({}, True, None, id="a justification file attached"),
        pytest.param({"reimbursed_expenses": "100000.00", "documented_expenses": "100000.00"},
                     True, None, id="reimbursed as documented"),
        pytest.param({"reimbursed_expenses": "100000.01", "documented_expenses": "100000.00"},
                     True, ["reimbursement_over_documented"], id="a cent over the documented"),
        pytest.param({"reimbursed_expenses": "100000.00"}, True,
                     ["reimbursement_over_documented"], id="nothing documented"),
    ],
)  # fmt: skip
def test_an_early_termination_needs_a_justification_and_documented_expenses(
    fields: dict[str, Any], attached: bool, expected: list[str] | None
) -> None:
    contract = Contract()
    payload = {"date": "2025-09-30", "cause": "Razones de interés general", **fields}
    files = [{"title": "Dictamen", "sha256": sha("dictamen"), "media_type": "application/pdf"}]
    contract.history.add(
        "early_termination", payload, "2025-09-30", documents=files if attached else None
    )

    found, check = breaches("A22", contract, "2025-12-01")

    assert found == ([expected] if expected else [])
    assert check is None


def test_rectifying_the_termination_with_its_justification_withdraws_the_finding() -> None:
    contract = Contract()
    termination = contract.add(
        "early_termination", {"date": "2025-09-30", "cause": "Interés general"}, "2025-09-30"
    )
    assert breaches("A22", contract, "2025-12-01")[0] == [["no_justification"]]

    contract.rectify(termination, "2025-10-02", justification_document="Oficio DG/77")

    assert breaches("A22", contract, "2025-12-01") == ([], None)


# --- A23: no activity ---------------------------------------------------------------------


def scheduled(due: str) -> Contract:
    """The contract with E1 due on ``due``, its last entry on 2025-06-10."""
    contract = Contract()
    contract.schedule(("E1", due, "6000000.00", "10000"))
    return contract


@pytest.mark.parametrize(
    ("due", "today", "fires", "next_check"),
    [
        pytest.param("2025-07-31", "2025-08-09", False, "2025-08-10", id="silent 60 days"),
        pytest.param("2025-07-31", "2025-08-10", True, None, id="silent 61 days, E1 overdue"),
        pytest.param("2025-12-31", "2025-09-01", False, "2026-01-01", id="silent, nothing due"),
    ],
)
def test_a_silent_contract_with_something_overdue_fires_after_60_days(
    due: str, today: str, fires: bool, next_check: str | None
) -> None:
    verdict = evaluate("A23", scheduled(due).snapshot, today)

    assert [f.evidence["overdue_deliverables"] for f in verdict.findings] == (
        [["E1"]] if fires else []
    )
    assert all(f.severity == "L" and f.subject == "contract" for f in verdict.findings)
    assert verdict.next_check == date(next_check)


def test_an_unpaid_cfdi_past_due_counts_as_overdue() -> None:
    contract = scheduled("2025-07-31")
    contract.deliver("E1", "2025-06-30")
    cfdi = contract.invoice("E1", "2025-07-01")  # due 07-21; silent from 08-31

    (finding,) = evaluate("A23", contract.snapshot, "2025-08-31").findings

    assert finding.evidence["overdue_invoices"] == [cfdi]
    assert finding.evidence["days_without_events"] == 61


def test_a_new_entry_withdraws_the_finding() -> None:
    contract = scheduled("2025-07-31")
    assert evaluate("A23", contract.snapshot, "2025-08-10").findings

    contract.deliver("E1", "2025-08-10")

    assert evaluate("A23", contract.snapshot, "2025-08-10").findings == ()


def test_a_suspended_contract_is_not_silent() -> None:
    contract = scheduled("2025-07-31")
    suspension = {"action": "suspend", "date": "2025-06-10", "cause": "Fuerza mayor"}
    contract.add("suspension", suspension, "2025-06-10")

    verdict = evaluate("A23", contract.snapshot, "2025-12-01")

    assert (verdict.findings, verdict.next_check) == ((), None)


# --- the whole catalogue's promises -------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_the_medicines_contracts_clean_history_raises_no_termination_alert(code: str) -> None:
    assert evaluate(code, snapshot(full_history(OCID)), "2026-06-01").findings == ()

"""A26, the audit request left unanswered past its deadline, on folded snapshots."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules.snapshots import Contract, evaluate

CASE = "5b1f0f0e-0000-4000-8000-000000000001"


def requested(sent_on: str = "2025-11-14", due_on: str = "2025-11-19", **more: Any) -> Contract:
    """A contract with one request sent on ``sent_on`` (a Friday), due ``due_on``."""
    contract = Contract()
    contract.add(
        "audit_request",
        {
            "case": CASE,
            "request": "R-1",
            "subject": "Actas",
            "body": "Envíe las actas",
            "addressed_to": "A1",
            "sent_on": sent_on,
            "business_days": 2,
            "due_on": due_on,
            **more,
        },
        sent_on,
    )
    return contract


@pytest.mark.parametrize(
    ("today", "fires", "next_check"),
    [
        ("2025-11-14", False, "2025-11-20"),
        ("2025-11-19", False, "2025-11-20"),  # the last day to answer is on time
        ("2025-11-20", True, None),  # the day after: late
        ("2025-12-01", True, None),
    ],
)
def test_an_unanswered_request_is_late_from_the_day_after_its_deadline(
    today: str, fires: bool, next_check: str | None
) -> None:
    verdict = evaluate("A26", requested().snapshot, today)
    assert bool(verdict.findings) is fires
    assert (verdict.next_check.isoformat() if verdict.next_check else None) == next_check
    if fires:
        (finding,) = verdict.findings
        assert finding.subject == "audit_request:R-1"
        assert finding.evidence["due_on"] == "2025-11-19"


def test_the_business_days_late_skip_weekends_and_holidays() -> None:
    # due Wed 19; Thu 20, Fri 21 (2), weekend, Mon 24 (3)
    (finding,) = evaluate("A26", requested().snapshot, "2025-11-24").findings
    assert finding.evidence["business_days_late"] == 3


def test_an_answered_request_raises_nothing() -> None:
    contract = requested()
    contract.add(
        "audit_answer",
        {"case": CASE, "request": "R-1", "answer": "Se anexan"},
        "2025-11-25",
    )
    verdict = evaluate("A26", contract.snapshot, "2025-12-01")
    assert verdict.findings == () and verdict.next_check is None


def test_a_request_of_a_case_that_ended_is_owed_no_more() -> None:
    contract = requested()
    contract.add(
        "audit_step",
        {"case": CASE, "action": "cancel", "state": "cancelled", "reason": "Duplicado"},
        "2025-11-17",
    )
    assert evaluate("A26", contract.snapshot, "2025-12-01").findings == ()


def test_an_auditors_step_does_not_count_as_the_buying_units_activity() -> None:
    contract = Contract()
    before = contract.snapshot["last_occurred_at"]
    contract.add(
        "audit_opened",
        {"case": CASE, "number": "AUD-2025-0001", "title": "T", "source": "manual",
         "reason": "R", "institution_code": "INSTA"},
        "2025-11-17",
    )  # fmt: skip
    assert contract.snapshot["last_occurred_at"] == before

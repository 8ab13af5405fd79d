"""A07 (late delivery) and A08 (inadequate delivery). Deliverable E1, 10,000 boxes for
6,000,000.00 MXN, is due on Thursday 2025-07-31."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.rules.snapshots import Contract, evaluate

DUE = "2025-07-31"


def with_e1(**terms: Any) -> Contract:
    contract = Contract(**terms)
    contract.guarantee("2025-06-18")
    contract.schedule(("E1", DUE, "6000000.00", "10000"))
    return contract


def only(verdict: Any) -> Any:
    (finding,) = verdict.findings
    return finding


# --- A07 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted_on", "days_late", "severity"),
    [
        ("2025-07-20", None, None),
        (DUE, None, None),  # on the due date: on time
        ("2025-08-01", 1, "M"),
        ("2025-08-30", 30, "M"),
        ("2025-08-31", 31, "H"),  # more than 30 days late
    ],
)
def test_a_delivery_accepted_after_its_due_date_is_late(
    accepted_on: str, days_late: int | None, severity: str | None
) -> None:
    contract = with_e1()
    contract.deliver("E1", accepted_on)

    verdict = evaluate("A07", contract.snapshot, "2025-10-01")

    if days_late is None:
        assert verdict.findings == ()
    else:
        finding = only(verdict)
        assert (finding.subject, finding.severity) == ("deliverable:E1", severity)
        assert finding.evidence["days_late"] == days_late
        assert finding.evidence["delivered_on"] == accepted_on
        assert finding.evidence["due_date"] == DUE
    assert verdict.next_check is None


@pytest.mark.parametrize(
    ("today", "days_late", "severity", "next_check"),
    [
        ("2025-07-30", None, None, dt.date(2025, 8, 1)),
        (DUE, None, None, dt.date(2025, 8, 1)),
        ("2025-08-01", 1, "M", dt.date(2025, 8, 31)),  # re-checked when it turns high
        ("2025-08-30", 30, "M", dt.date(2025, 8, 31)),
        ("2025-08-31", 31, "H", None),  # nothing more for time alone to change
    ],
)
def test_a_delivery_not_received_by_its_due_date_is_late_from_the_next_day(
    today: str, days_late: int | None, severity: str | None, next_check: dt.date | None
) -> None:
    verdict = evaluate("A07", with_e1().snapshot, today)

    if days_late is None:
        assert verdict.findings == ()
    else:
        finding = only(verdict)
        assert finding.severity == severity
        assert finding.evidence["days_late"] == days_late
        assert finding.evidence["delivered_on"] is None
        assert finding.evidence["as_of"] == today
    assert verdict.next_check == next_check


def test_a_partly_accepted_delivery_is_still_late() -> None:
    contract = with_e1()
    contract.deliver("E1", DUE, received="6000", accepted="6000")

    finding = only(evaluate("A07", contract.snapshot, "2025-08-05"))

    assert finding.evidence["accepted_quantity"] == "6000"
    assert finding.evidence["days_late"] == 5


def test_a_late_delivery_disappears_when_a_timely_reception_is_recorded() -> None:
    contract = with_e1()
    assert evaluate("A07", contract.snapshot, "2025-08-05").findings

    contract.deliver("E1", "2025-07-30")  # received before the due date, recorded late

    assert evaluate("A07", contract.snapshot, "2025-08-05").findings == ()


def test_a_late_delivery_disappears_when_its_date_is_rectified() -> None:
    contract = with_e1()
    reception = contract.deliver("E1", "2025-08-04")
    assert evaluate("A07", contract.snapshot, "2025-08-05").findings

    contract.rectify(reception, "2025-08-05", date="2025-07-31")

    assert evaluate("A07", contract.snapshot, "2025-08-05").findings == ()


def test_a_new_due_date_agreed_in_time_moves_the_deadline() -> None:
    contract = with_e1()
    contract.amend("2025-07-25", new_end_date="2026-01-31")
    contract.schedule(("E1", "2025-08-29", "6000000.00", "10000"), on="2025-07-25")

    verdict = evaluate("A07", contract.snapshot, "2025-08-05")

    assert verdict.findings == ()
    assert verdict.next_check == dt.date(2025, 8, 30)


CAUSE = "Causa de fuerza mayor"


@pytest.mark.parametrize(
    ("ending", "days_late"),
    [
        ([("early_termination", {"date": "2025-07-15", "cause": CAUSE})], None),
        ([("suspension", {"action": "suspend", "date": DUE, "cause": CAUSE})], None),
        ([("suspension", {"action": "suspend", "date": "2025-08-05", "cause": CAUSE})], 5),
        (
            [
                ("rescission", {"stage": "notice", "date": "2025-08-05", "cause": CAUSE}),
                ("rescission", {"stage": "resolution", "date": "2025-08-20"}),
            ],
            20,
        ),
    ],
)
def test_obligations_ended_or_suspended_stop_the_delay(
    ending: list[tuple[str, dict[str, str]]], days_late: int | None
) -> None:
    contract = with_e1()
    for kind, payload in ending:
        contract.add(kind, payload, payload["date"])

    verdict = evaluate("A07", contract.snapshot, "2025-12-01")

    if days_late is None:
        assert verdict.findings == ()
    else:
        assert only(verdict).evidence["days_late"] == days_late
    assert verdict.next_check is None  # frozen: only a new entry changes it


# --- A08 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "received", "accepted"),
    [
        ("rejected", "10000", "0"),
        ("partial", "10000", "7000"),
        ("deficient", "10000", "10000"),
    ],
)
def test_a_rejected_partial_or_deficient_reception_is_inadequate(
    result: str, received: str, accepted: str
) -> None:
    contract = with_e1()
    reception = contract.deliver(
        "E1", "2025-07-20", received=received, accepted=accepted, result=result
    )

    finding = only(evaluate("A08", contract.snapshot, "2025-07-25"))

    assert (finding.subject, finding.severity) == ("deliverable:E1", "M")
    assert finding.evidence["receptions"] == [
        {
            "entry_id": reception["id"],
            "date": "2025-07-20",
            "result": result,
            "quantity_received": received,
            "quantity_accepted": accepted,
            "reason": reception["payload"].get("reason"),
        }
    ]


def test_an_inadequate_reception_stays_to_attend_after_the_replacement() -> None:
    contract = with_e1()
    contract.deliver("E1", "2025-07-20", received="10000", accepted="7000", result="partial")
    contract.deliver("E1", "2025-07-28", received="3000")

    finding = only(evaluate("A08", contract.snapshot, "2025-08-05"))

    assert finding.evidence["accepted_quantity"] == "10000"
    assert finding.evidence["short_quantity"] is None


def test_an_inadequate_reception_disappears_when_rectified_as_accepted() -> None:
    contract = with_e1()
    reception = contract.deliver("E1", "2025-07-20", result="rejected")

    contract.rectify(
        reception, "2025-07-21", result="accepted", quantity_accepted="10000", reason=None
    )

    assert evaluate("A08", contract.snapshot, "2025-07-25").findings == ()


@pytest.mark.parametrize(
    ("today", "short", "next_check"),
    [
        (DUE, False, dt.date(2025, 8, 1)),
        ("2025-08-01", True, None),
    ],
)
def test_a_short_delivery_is_inadequate_once_the_due_date_passes(
    today: str, short: bool, next_check: dt.date | None
) -> None:
    contract = with_e1()
    contract.deliver("E1", "2025-07-20", received="4000")  # accepted, but only 4,000 boxes

    verdict = evaluate("A08", contract.snapshot, today)

    assert bool(verdict.findings) is short
    if short:
        assert only(verdict).evidence["short_quantity"] == "6000"
        assert only(verdict).evidence["receptions"] == []
    assert verdict.next_check == next_check


def test_a_new_due_date_for_the_rest_clears_a_short_delivery() -> None:
    contract = with_e1()
    contract.deliver("E1", "2025-07-20", received="4000")
    contract.schedule(("E1", "2025-08-29", "6000000.00", "10000"), on="2025-07-30")

    assert evaluate("A08", contract.snapshot, "2025-08-05").findings == ()

"""A01 (registered late in BESA) and A03 (signed late after the award), at their boundaries."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules.snapshots import Contract, evaluate

from besa.logbook import state

# Signed on Friday 2025-11-14. The 5 business days after it skip the weekend and Monday
# 2025-11-17 (Revolution Day, a federal holiday): Tue 18, Wed 19, Thu 20, Fri 21, Mon 24.
# Without the holiday the deadline would be Friday 2025-11-21.
NOVEMBER = {
    "award_date": "2025-11-10",
    "signing_date": "2025-11-14",
    "start_date": "2025-11-17",
    "end_date": "2026-06-30",
}


def registered(recorded_at: str, **terms: Any) -> dict[str, Any]:
    return Contract(recorded_at=recorded_at, **{**NOVEMBER, **terms}).snapshot


# --- A01 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recorded_at", "late_by"),
    [
        ("2025-11-21T19:00:00+00:00", None),  # Friday, 4th business day
        ("2025-11-24T19:00:00+00:00", None),  # Monday after the holiday: 5th business day
        ("2025-11-25T19:00:00+00:00", 1),  # Tuesday: one business day late
        ("2025-12-01T19:00:00+00:00", 5),  # the next Monday
    ],
)
def test_registration_counts_business_days_across_a_holiday(
    recorded_at: str, late_by: int | None
) -> None:
    verdict = evaluate("A01", registered(recorded_at), "2025-12-15")

    if late_by is None:
        assert verdict.findings == ()
    else:
        (finding,) = verdict.findings
        assert finding.subject == "contract"
        assert finding.severity == "H"
        assert finding.evidence["deadline"] == "2025-11-24"
        assert finding.evidence["business_days_late"] == late_by
    assert verdict.next_check is None  # the recorded facts alone decide


@pytest.mark.parametrize(
    ("recorded_at", "local_day", "late"),
    [
        ("2025-11-25T05:59:59+00:00", "2025-11-24", False),  # 23:59:59 in Mexico City
        ("2025-11-25T06:00:00+00:00", "2025-11-25", True),  # midnight in Mexico City
    ],
)
def test_the_registration_day_is_taken_in_the_jurisdictions_time_zone(
    recorded_at: str, local_day: str, late: bool
) -> None:
    verdict = evaluate("A01", registered(recorded_at), "2025-12-15")

    assert bool(verdict.findings) is late
    if late:
        assert verdict.findings[0].evidence["registered_on"] == local_day
        assert verdict.findings[0].evidence["registered_at"] == "2025-11-25T00:00:00-06:00"


def test_the_evidence_of_a_late_registration_is_json() -> None:
    (finding,) = evaluate("A01", registered("2025-11-25T19:00:00+00:00"), "2025-12-15").findings

    assert dict(finding.evidence) == {
        "signing_date": "2025-11-14",
        "registration_business_days": 5,
        "deadline": "2025-11-24",
        "registered_at": "2025-11-25T13:00:00-06:00",
        "registered_on": "2025-11-25",
        "business_days_late": 1,
    }


@pytest.mark.parametrize(
    ("terms", "fires"),
    [
        ({"amount": "15000000.00"}, True),  # at the threshold: must be registered
        ({"amount": "14999999.99"}, False),  # below it: registered voluntarily
        ({"amount": "800000.00", "currency": "USD", "exchange_rate": "20.00"}, True),  # 16 M MXN
        ({"amount": "700000.00", "currency": "USD", "exchange_rate": "20.00"}, False),  # 14 M
    ],
)
def test_only_contracts_at_or_above_the_threshold_must_be_registered_in_time(
    terms: dict[str, str], fires: bool
) -> None:
    snapshot = registered("2025-12-01T19:00:00+00:00", **terms)

    assert bool(evaluate("A01", snapshot, "2025-12-15").findings) is fires


def test_a_contract_not_yet_registered_has_nothing_to_judge() -> None:
    verdict = evaluate("A01", state.initial_state("ocds-besa00-NONE"), "2025-12-15")

    assert verdict.findings == () and verdict.next_check is None


# --- A03 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("award_date", "deadline", "days_late"),
    [
        ("2025-06-02", "2025-06-17", None),  # signed 8 days after the award
        ("2025-05-26", "2025-06-10", None),  # day 15: on time
        ("2025-05-25", "2025-06-09", 1),  # day 16: late
        ("2025-05-11", "2025-05-26", 15),
    ],
)
def test_the_contract_must_be_signed_within_15_natural_days_of_the_award(
    award_date: str, deadline: str, days_late: int | None
) -> None:
    verdict = evaluate("A03", Contract(award_date=award_date).snapshot, "2025-07-01")

    if days_late is None:
        assert verdict.findings == ()
    else:
        (finding,) = verdict.findings
        assert (finding.subject, finding.severity) == ("contract", "M")
        assert finding.evidence["deadline"] == deadline
        assert finding.evidence["days_late"] == days_late
    assert verdict.next_check is None


def test_without_an_award_date_formalisation_is_not_judged() -> None:
    verdict = evaluate("A03", Contract(award_date=None).snapshot, "2025-07-01")

    assert verdict.findings == ()

"""A02: the budget sufficiency is missing, late, short of the contract, or a multiyear contract
lacks SHCP's authorisation. The contract is awarded 2025-06-02 and signed 2025-06-10, for
20,000,000.00 MXN + 3,200,000.00 VAT."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules.snapshots import BUDGET, Contract, evaluate

TODAY = "2025-07-01"


def findings(contract: Contract) -> dict[str, Any]:
    verdict = evaluate("A02", contract.snapshot, TODAY)
    assert verdict.next_check is None  # the recorded facts alone decide
    return {f.subject: f for f in verdict.findings}


@pytest.mark.parametrize(
    ("dated", "days_after_limit"),
    [
        ("2025-05-20", None),  # before the award
        ("2025-06-02", None),  # on the award day
        ("2025-06-03", 1),  # the day after the award
        ("2025-06-11", 9),  # after signing
    ],
)
def test_the_sufficiency_must_be_dated_no_later_than_the_award(
    dated: str, days_after_limit: int | None
) -> None:
    found = findings(Contract(budget={**BUDGET, "date": dated}))

    if days_after_limit is None:
        assert found == {}
    else:
        finding = found["budget:timing"]
        assert finding.severity == "H"
        assert finding.evidence["problem"] == "late"
        assert finding.evidence["limit"] == "2025-06-02"
        assert finding.evidence["days_after_limit"] == days_after_limit


def test_without_an_award_date_the_limit_is_the_signing_date() -> None:
    on_signing = Contract(award_date=None, budget={**BUDGET, "date": "2025-06-10"})
    after = Contract(award_date=None, budget={**BUDGET, "date": "2025-06-11"})

    assert findings(on_signing) == {}
    assert findings(after)["budget:timing"].evidence["limit_is"] == "signing_date"


def test_a_missing_sufficiency_turns_into_a_late_one_when_recorded_after_the_award() -> None:
    contract = Contract(budget=None)
    missing = findings(contract)["budget:timing"]

    contract.budget("2025-06-20")
    late = findings(contract)["budget:timing"]

    assert missing.evidence["problem"] == "missing"
    assert late.evidence["problem"] == "late"  # same subject: one alert, updated
    assert late.evidence["sufficiency_date"] == "2025-06-20"


def test_a_missing_sufficiency_disappears_when_a_timely_one_is_recorded() -> None:
    contract = Contract(budget=None)
    assert "budget:timing" in findings(contract)

    contract.budget("2025-05-20")  # dated before the award, recorded now

    assert findings(contract) == {}


@pytest.mark.parametrize(
    ("amount", "short"),
    [
        ("23200000.00", False),  # amount + VAT
        ("23199999.01", False),  # less than one peso short: rounding
        ("23199999.00", True),  # one peso short
        ("20000000.00", True),  # without VAT
    ],
)
def test_the_sufficiency_must_cover_the_contract_with_vat(amount: str, short: bool) -> None:
    found = findings(Contract(budget={**BUDGET, "amount": amount}))

    assert ("budget:amount" in found) is short
    if short:
        evidence = found["budget:amount"].evidence
        assert evidence["required_amount"] == "23200000.00"
        assert evidence["sufficiency_total"] == amount


def test_several_sufficiencies_add_up() -> None:
    contract = Contract(budget={**BUDGET, "amount": "20000000.00"})
    contract.budget("2025-05-25", amount="3200000.00", oficio_number="DGPyP/0500/2025")

    assert findings(contract) == {}


def test_an_open_contract_needs_budget_for_its_maximum() -> None:
    # An open contract's amount is its maximum (the registration checks it).
    terms: dict[str, Any] = {
        "is_open": True,
        "min_amount": "10000000.00",
        "vat_amount": "4000000.00",
    }
    short = Contract(**terms, amount="25000000.00", max_amount="25000000.00")

    assert findings(short)["budget:amount"].evidence["required_amount"] == "29000000.00"


@pytest.mark.parametrize(
    ("authorization", "problem"),
    [
        ({"oficio_number": "SHCP/307-A-1/2025", "date": "2025-06-10"}, None),  # signing day
        ({"oficio_number": "SHCP/307-A-1/2025", "date": "2025-06-11"}, "late"),
        (None, "missing"),
    ],
)
def test_a_multiyear_contract_needs_shcp_authorisation_by_signing(
    authorization: dict[str, str] | None, problem: str | None
) -> None:
    budget = dict(BUDGET)
    if authorization is not None:
        budget["multiyear_authorization"] = authorization
    found = findings(Contract(multiyear=True, end_date="2026-12-31", budget=budget))

    if problem is None:
        assert found == {}
    else:
        assert found["budget:multiyear"].evidence["problem"] == problem

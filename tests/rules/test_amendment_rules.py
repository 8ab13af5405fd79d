"""A19, amendments over 20 % or otherwise irregular, at its boundaries.

The contract is the medicines contract of ``tests.rules.snapshots``: 20,000,000.00 MXN, in
force from 2025-06-11 to 2025-12-31 (203 days).
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.logbook.histories import full_history
from tests.rules.snapshots import OCID, Contract, evaluate, snapshot

ON = "2026-03-01"


def found(contract: Contract) -> dict[str, Any]:
    """A19's findings by subject."""
    return {f.subject: f for f in evaluate("A19", contract.snapshot, ON).findings}


def amended(*amendments: dict[str, Any]) -> Contract:
    """The contract with amendments CM-1, CM-2… signed on 2025-07-01, 07-02…"""
    contract = Contract()
    for n, fields in enumerate(amendments, 1):
        contract.amend(f"2025-07-{n:02d}", f"CM-{n}", **fields)
    return contract


@pytest.mark.parametrize(
    ("amendments", "breach"),
    [
        pytest.param([{"amount_change": "4000000.00"}], None, id="20 % in one step"),
        pytest.param([{"amount_change": "4002000.00"}], "amount_over_limit", id="20.01 %"),
        pytest.param([{"amount_change": "2000000.00"}, {"amount_change": "2000000.00"}], None,
                     id="10 % + 10 %"),
        pytest.param([{"amount_change": "2000000.00"}, {"amount_change": "2002000.00"}],
                     "amount_over_limit", id="10 % + 10.01 %"),
        pytest.param([{"amount_change": "3000000.00"}, {"amount_change": "-1000000.00"},
                      {"amount_change": "1002000.00"}], "amount_over_limit",
                     id="a decrease does not offset the increases"),
        pytest.param([{"quantity_change_percent": "20"}], None, id="quantity +20 %"),
        pytest.param([{"quantity_change_percent": "20.01"}], "quantity_over_limit",
                     id="quantity +20.01 %"),
    ],
)  # fmt: skip
def test_amendments_may_add_up_to_20_percent_of_the_original(
    amendments: list[dict[str, Any]], breach: str | None
) -> None:
    findings = found(amended(*amendments))

    assert [f.evidence["breaches"] for f in findings.values()] == ([[breach]] if breach else [])
    assert all(f.subject == "contract" and f.severity == "H" for f in findings.values())


def test_the_over_limit_finding_carries_the_running_percentage() -> None:
    (finding,) = found(amended({"amount_change": "4002000.00"})).values()

    assert finding.evidence["amount_increase"] == "4002000.00"
    assert finding.evidence["amount_increase_percent"] == "20.0100"
    assert finding.evidence["amendment_max_percent"] == "20"


@pytest.mark.parametrize(
    ("signed", "fires"),
    [
        pytest.param("2025-12-31", False, id="signed on the last day of the term"),
        pytest.param("2026-01-01", True, id="signed the day after it expired"),
    ],
)
def test_an_amendment_signed_after_the_contract_expired_fires(signed: str, fires: bool) -> None:
    contract = Contract()
    contract.amend(signed, "CM-1", new_end_date="2026-02-28")

    findings = found(contract)

    assert list(findings) == (["amendment:CM-1"] if fires else [])
    if fires:
        assert findings["amendment:CM-1"].evidence["days_after_expiry"] == 1


def test_an_earlier_extension_keeps_the_contract_in_force_for_a_later_amendment() -> None:
    contract = Contract()
    contract.amend("2025-12-15", "CM-1", new_end_date="2026-01-31")
    contract.amend("2026-01-15", "CM-2", amount_change="1000000.00")

    assert found(contract) == {}


@pytest.mark.parametrize(
    ("extensions", "breach"),
    [
        pytest.param(2, None, id="two extensions"),
        pytest.param(3, "too_many_extensions", id="three extensions"),
    ],
)
def test_more_than_two_term_extensions_fire(extensions: int, breach: str | None) -> None:
    ends = ["2026-01-10", "2026-01-20", "2026-01-30"][:extensions]
    contract = amended(*({"new_end_date": end} for end in ends))

    findings = found(contract)

    assert [f.evidence["breaches"] for f in findings.values()] == ([[breach]] if breach else [])


@pytest.mark.parametrize(
    ("new_end", "breach"),
    [
        pytest.param("2026-07-22", None, id="extended by 203 days: 100 % of the term"),
        pytest.param("2026-07-23", "extensions_over_term", id="by 204 days"),
    ],
)
def test_extensions_may_not_exceed_the_original_term(new_end: str, breach: str | None) -> None:
    findings = found(amended({"new_end_date": new_end}))

    assert [f.evidence["breaches"] for f in findings.values()] == ([[breach]] if breach else [])
    if breach:
        assert findings["contract"].evidence["original_term_days"] == 203
        assert findings["contract"].evidence["extension_days"] == 204


@pytest.mark.parametrize(
    ("quantity", "amount", "fires"),
    [
        pytest.param("12000", "7200000.00", False, id="more boxes at the same 600.00"),
        pytest.param("10000", "6500000.00", True, id="same boxes at 650.00"),
    ],
)
def test_a_replanned_deliverable_keeps_its_unit_price(
    quantity: str, amount: str, fires: bool
) -> None:
    contract = Contract()
    contract.schedule(("E1", "2025-07-31", "6000000.00", "10000"))
    contract.schedule(("E1", "2025-08-31", amount, quantity), on="2025-07-15")

    findings = found(contract)

    assert list(findings) == (["deliverable:E1"] if fires else [])
    if fires:
        evidence = findings["deliverable:E1"].evidence
        assert (evidence["original_unit_price"], evidence["new_unit_price"]) == (
            "600.0000",
            "650.0000",
        )


def test_rectifying_the_amendment_withdraws_the_finding() -> None:
    contract = Contract()
    wrong = contract.amend("2025-07-01", "CM-1", amount_change="4200000.00")
    assert "contract" in found(contract)

    contract.rectify(wrong, "2025-07-02", amount_change="4000000.00")

    assert found(contract) == {}


def test_the_medicines_contracts_clean_history_raises_no_amendment_alert() -> None:
    assert evaluate("A19", snapshot(full_history(OCID)), ON).findings == ()

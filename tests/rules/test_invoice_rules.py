"""A15, an invalid or inconsistent CFDI, on a frozen day.

The contract is the medicines contract of ``tests.rules.snapshots``; deliverable E1 is received
on 2025-06-30 unless a test says otherwise.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from tests.logbook.histories import BUYER_RFC, full_history
from tests.rules.snapshots import OCID, Contract, evaluate, snapshot
from tests.rules.test_demo_alerts import FEDERAL, TODAY, folded

from besa.demo import seed
from besa.rules import CATALOGUE, Context

#: The frozen day of every evaluation below.
ON = "2025-12-01"


def delivered(on: str | None = "2025-06-30") -> Contract:
    contract = Contract()
    contract.schedule(("E1", "2025-07-31", "6000000.00", "10000"))
    if on is not None:
        contract.deliver("E1", on)
    return contract


def breaches(snap: dict[str, Any]) -> list[list[str]]:
    return [f.evidence["breaches"] for f in evaluate("A15", snap, ON).findings]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        pytest.param(None, [], id="never checked"),
        pytest.param("vigente", [], id="vigente"),
        pytest.param("cancelado", [["sat_cancelled"]], id="cancelled"),
        pytest.param("no_encontrado", [["sat_not_found"]], id="not found"),
        pytest.param("desconocido", [["sat_unknown"]], id="unknown: the SAT did not answer"),
    ],
)
def test_a_cfdi_cancelled_or_unknown_at_the_sat_fires(
    status: str | None, expected: list[list[str]]
) -> None:
    contract = delivered()
    check = {"sat_status": status, "sat_status_checked_on": "2025-07-02"} if status else {}
    cfdi = contract.invoice("E1", "2025-07-01", **check)

    found = evaluate("A15", contract.snapshot, ON).findings

    assert [f.evidence["breaches"] for f in found] == expected
    assert all(f.subject == f"invoice:{cfdi}" and f.severity == "H" for f in found)
    assert all(f.evidence["sat_status_checked_on"] == "2025-07-02" for f in found)


def test_a_new_sat_check_that_finds_the_cfdi_valid_withdraws_the_finding() -> None:
    contract = delivered()
    contract.invoice("E1", "2025-07-01", sat_status="no_encontrado")
    recorded = contract.entries[-1]
    assert breaches(contract.snapshot) == [["sat_not_found"]]

    contract.rectify(
        recorded, "2025-07-03", sat_status="vigente", sat_status_checked_on="2025-07-03"
    )

    assert breaches(contract.snapshot) == []


@pytest.mark.parametrize(
    ("delivered_on", "issued", "expected"),
    [
        pytest.param("2025-06-30", "2025-06-30", [], id="issued on the delivery day"),
        pytest.param("2025-06-30", "2025-06-29", [["issued_before_delivery"]], id="a day before"),
        pytest.param(None, "2025-06-29", [["issued_before_delivery"]], id="nothing delivered"),
    ],
)
def test_a_cfdi_issued_before_what_it_bills_was_delivered_fires(
    delivered_on: str | None, issued: str, expected: list[list[str]]
) -> None:
    contract = delivered(None)
    contract.invoice("E1", issued)
    if delivered_on:
        contract.deliver("E1", delivered_on)

    found = evaluate("A15", contract.snapshot, ON).findings

    assert [f.evidence["breaches"] for f in found] == expected
    assert all(f.evidence["first_delivery_dates"] == {"E1": delivered_on} for f in found)


def test_an_advance_cfdi_bills_no_deliverable_and_is_never_early() -> None:
    contract = Contract(advance_percent="10")
    contract.invoice(None, "2025-06-11", subtotal="2000000.00")

    assert breaches(contract.snapshot) == []


@pytest.mark.parametrize(
    ("field", "value", "breach"),
    [
        ("issuer_rfc", "OTR150315AB1", "issuer_not_supplier"),
        ("receiver_rfc", "OTR630502AB1", "receiver_not_buyer"),
        ("total", "6960000.02", "total_mismatch"),
        ("total", "6960000.01", None),
        ("receiver_rfc", BUYER_RFC, None),
    ],
)
def test_a_cfdi_of_other_parties_or_with_a_wrong_total_fires(
    field: str, value: str, breach: str | None
) -> None:
    # The logbook refuses such CFDIs on entry; the rule still checks snapshots built elsewhere.
    contract = delivered()
    cfdi = contract.invoice("E1", "2025-07-01")
    snap = copy.deepcopy(contract.snapshot)
    snap["invoices"][cfdi][field] = value

    assert breaches(snap) == ([[breach]] if breach else [])


def test_the_medicines_contracts_clean_history_raises_no_invalid_cfdi() -> None:
    assert evaluate("A15", snapshot(full_history(OCID)), "2026-03-01").findings == ()


@pytest.fixture(scope="module")
def demo() -> list[tuple[frozenset[str], bool]]:
    """Each demo contract's defects and whether A15 fires on ``TODAY``."""
    raised = []
    for planned in seed.plans_for(today=TODAY, n_contracts=240):
        snap = folded(planned)
        context = Context(TODAY, FEDERAL, FEDERAL.regime(snap["contract"]["regime"]))
        raised.append((planned.defects, bool(CATALOGUE["A15"].evaluate(snap, context).findings)))
    return raised


def test_clean_demo_contracts_raise_no_invalid_cfdi(
    demo: list[tuple[frozenset[str], bool]],
) -> None:
    assert [defects for defects, fired in demo if fired and not defects] == []


def test_a_demo_cfdi_paid_before_delivery_was_also_issued_before_it(
    demo: list[tuple[frozenset[str], bool]],
) -> None:
    # histories.py: the CFDI of "payment_without_delivery" is dated before its deliverable.
    paid_early = [fired for defects, fired in demo if "payment_without_delivery" in defects]

    assert paid_early
    assert all(paid_early)

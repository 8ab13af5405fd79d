"""Procedure rules: exceptions to public tender without support (A24) and anomalous prices
under the 2025 law (A25), at their boundaries.

The contract is the medicines contract of ``tests.rules.snapshots`` (a public tender for
20,000,000.00 MXN without VAT) with the terms each test overrides.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.logbook.histories import full_history
from tests.rules.snapshots import OCID, Contract, context, evaluate, snapshot

from besa.rules import CATALOGUE
from besa.rules import evaluate as evaluate_all

ON = "2025-12-01"
DIRECT = {
    "procedure_type": "adjudicacion_directa",
    "legal_basis": "LAASSP art. 41 fr. I",
    "exception_justification": "Dictamen de excepción: patente exclusiva del proveedor",
}


def breaches(code: str, **terms: Any) -> list[list[str]]:
    snap = Contract(**terms).snapshot
    return [f.evidence["breaches"] for f in evaluate(code, snap, ON).findings]


# --- A24: exception to public tender without support --------------------------------------


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        pytest.param({}, None, id="public tender"),
        pytest.param(DIRECT, None, id="direct award with basis and dictamen"),
        pytest.param({**DIRECT, "exception_justification": None}, ["no_dictamen"],
                     id="direct award without dictamen"),
        pytest.param({**DIRECT, "legal_basis": None}, ["no_legal_basis"],
                     id="direct award without legal basis"),
        pytest.param({**DIRECT, "procedure_type": "invitacion_tres", "legal_basis": None,
                      "exception_justification": None}, ["no_legal_basis", "no_dictamen"],
                     id="invitation with neither"),
        pytest.param({**DIRECT, "pef_max_amount": "20000000.00"}, None,
                     id="exception by amount at the PEF maximum"),
        pytest.param({**DIRECT, "pef_max_amount": "19999999.99"}, ["above_pef_limit"],
                     id="exception by amount a cent above the PEF maximum"),
    ],
)  # fmt: skip
def test_an_exception_to_public_tender_needs_its_basis_dictamen_and_amount(
    terms: dict[str, Any], expected: list[str] | None
) -> None:
    snap = Contract(**terms).snapshot  # None leaves the field out of the registration

    found = evaluate("A24", snap, ON).findings

    assert [f.evidence["breaches"] for f in found] == ([expected] if expected else [])
    assert all(f.subject == "contract" and f.severity == "M" for f in found)


# --- A25: anomalous price (2025 law) --------------------------------------------------------


@pytest.mark.parametrize(
    ("references", "expected"),
    [
        pytest.param({"procedure_budget": "20000000.00"}, None, id="at the budget"),
        pytest.param({"procedure_budget": "19999999.99"}, ["above_budget"], id="a cent above"),
        # 20,000,000 is 110 % of 18,181,818.19 (rounded down) and 110.01 % of 18,180,165.44.
        pytest.param({"market_median_amount": "18181818.19"}, None, id="110 % of the median"),
        pytest.param({"market_median_amount": "18180165.44"}, ["unacceptable_price"],
                     id="110.01 % of the median"),
        # 20,000,000 is 60 % of 33,333,333.33 (rounded up) and 59.99 % of 33,338,889.81.
        pytest.param({"market_average_amount": "33333333.33"}, None, id="60 % of the average"),
        pytest.param({"market_average_amount": "33338889.81"}, ["inconvenient_price"],
                     id="59.99 % of the average"),
    ],
)  # fmt: skip
def test_a_price_above_the_budget_or_far_from_the_market_fires(
    references: dict[str, str], expected: list[str] | None
) -> None:
    assert breaches("A25", **references) == ([expected] if expected else [])


def test_the_anomalous_price_finding_shows_the_percentages() -> None:
    snap = Contract(market_median_amount="18180165.44").snapshot

    (finding,) = evaluate("A25", snap, ON).findings

    assert finding.evidence["percent_of_median"] == "110.01"
    assert finding.evidence["unacceptable_price_percent"] == "10"


def test_a25_applies_to_contracts_under_the_2025_law_only() -> None:
    snap = Contract(regime="LAASSP-2000", procedure_budget="1000000.00").snapshot

    findings, _ = evaluate_all(snap, context(ON, regime="LAASSP-2000"), only={"A25"})

    assert CATALOGUE["A25"].regimes == ("LAASSP-2025",)
    assert findings == []


# --- the whole catalogue's promises -------------------------------------------------------


@pytest.mark.parametrize("code", ["A24", "A25"])
def test_the_medicines_contracts_clean_history_raises_no_procedure_alert(code: str) -> None:
    assert evaluate(code, snapshot(full_history(OCID)), "2026-03-01").findings == ()

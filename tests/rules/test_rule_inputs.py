"""Rules reading inputs that no contract holds, at their boundaries (pure, no database):
A24 with an institution's budget and the PEF annex, A25 with the market research's prices,
A21 with a supplier's earlier rescissions, A16 with every art. 69 list."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from tests.logbook.histories import SUPPLIER_RFC
from tests.rules.snapshots import FEDERAL, Contract, context

from besa.exceptions import InvalidPayload
from besa.rules import CATALOGUE, Verdict
from besa.rules.procedure import cites_art_41, cites_art_42
from besa.rules.suppliers import ART_69_LISTS
from besa.rules.termination import two_years_before

ON = "2025-12-01"
# Signed in 2024: the 2000 law (art. 42, 30 % cap) applies.
ART42 = {
    "procedure_type": "adjudicacion_directa",
    "legal_basis": "LAASSP art. 42 párrafo primero",
    "exception_justification": "Dictamen: monto dentro del PEF",
    "regime": "LAASSP-2000",
    "award_date": "2024-06-03",
    "signing_date": "2024-06-10",
    "start_date": "2024-06-11",
    "end_date": "2024-12-31",
    "amount": "300000.00",
    "vat_amount": "48000.00",
}
BUDGET = {
    "fiscal_year": 2024,
    "annual_budget": "1000000.00",
    "pef_limits": {"adjudicacion_directa": "300000.00", "invitacion_tres": "2500000.00"},
    "art42_total": "300000.00",
}


def run(code: str, snap: dict[str, Any], **fields: Any) -> Verdict:
    ctx = dataclasses.replace(context(ON, regime=snap["contract"]["regime"]), **fields)
    return CATALOGUE[code].evaluate(snap, ctx)


def a24(budget: dict[str, Any] | None, **terms: Any) -> list[str]:
    snap = Contract(**{**ART42, **terms}).snapshot
    findings = run("A24", snap, budget=budget).findings
    return [b for f in findings for b in f.evidence["breaches"]]


def test_the_legal_basis_tells_an_exception_by_amount_from_one_by_cause() -> None:
    assert cites_art_42("LAASSP art. 42 párrafo primero") and not cites_art_41("art. 42")
    assert cites_art_41("LAASSP art. 41 fr. III") and not cites_art_42("art. 41 fr. III")
    assert not cites_art_42("LAASSP 2000, art. 4200") and not cites_art_42(None)
    assert not cites_art_42("arts. 41 fr. I y 42")  # by cause wins: may exceed the PEF


def test_the_2000_law_caps_art_42_awards_at_30_percent() -> None:
    assert FEDERAL.regime("LAASSP-2000").direct_award_budget_cap_percent == 30


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        pytest.param("300000.00", [], id="exactly 30 % of the budget"),
        pytest.param("300000.01", ["art42_share_exceeded"], id="one cent above"),
    ],
)
def test_a24_fires_when_the_art_42_share_exceeds_the_cap(total: str, expected: list) -> None:
    assert a24({**BUDGET, "art42_total": total}) == expected


def test_the_share_is_not_judged_without_a_budget_nor_for_an_exception_by_cause() -> None:
    assert a24(None) == []
    by_cause = {"legal_basis": "LAASSP art. 41 fr. I"}
    assert a24({**BUDGET, "art42_total": "900000.00"}, **by_cause) == []


@pytest.mark.parametrize(
    ("amount", "terms", "expected"),
    [
        pytest.param("300000.00", {}, [], id="at the PEF maximum"),
        pytest.param("300000.01", {}, ["above_pef_limit"], id="one cent above"),
        pytest.param("300000.01", {"legal_basis": "LAASSP art. 41 fr. I"}, [], id="by cause"),
        pytest.param(
            "2500000.01", {"procedure_type": "invitacion_tres"}, ["above_pef_limit"],
            id="invitation above its column",
        ),
        pytest.param("2500000.00", {"procedure_type": "invitacion_tres"}, [], id="invitation at"),
        pytest.param(
            "300000.01", {"pef_max_amount": "400000.00"}, [], id="the contract's own figure wins"
        ),
    ],
)  # fmt: skip
def test_a24_takes_the_pef_maximum_from_the_annex_bracket(
    amount: str, terms: dict[str, Any], expected: list[str]
) -> None:
    budget = {**BUDGET, "art42_total": "0.00"}
    assert a24(budget, amount=amount, **terms) == expected


def test_the_a24_evidence_names_the_budget_and_where_the_limit_came_from() -> None:
    snap = Contract(**{**ART42, "amount": "300000.01"}).snapshot
    (finding,) = run("A24", snap, budget={**BUDGET, "art42_total": "300000.01"}).findings
    evidence = finding.evidence
    assert evidence["pef_max_amount"] == "300000.00"
    assert evidence["pef_max_amount_source"] == "pef_annex"
    assert evidence["annual_budget"] == "1000000.00" and evidence["fiscal_year"] == 2024
    assert evidence["art42_share_percent"] == "30.00"  # 30.000001 % rounded for people
    assert evidence["breaches"] == ["above_pef_limit", "art42_share_exceeded"]


# --- A25: the market research's prices -----------------------------------------------------

PRICES = ["90000.00", "100000.00", "120000.00"]  # median 100,000.00; mean 103,333.33


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        pytest.param("110000.00", None, id="110 % of the median"),
        pytest.param("110000.01", ["unacceptable_price"], id="above 110 % of the median"),
        pytest.param("62000.00", None, id="60 % of the mean (62,000.00 of 103,333.33)"),
        pytest.param("61999.99", ["inconvenient_price"], id="below 60 % of the mean"),
    ],
)
def test_a25_compares_the_amount_with_the_research_prices(
    amount: str, expected: list[str] | None
) -> None:
    snap = Contract(amount=amount, market_research_prices=PRICES).snapshot
    findings = run("A25", snap).findings
    assert [f.evidence["breaches"] for f in findings] == ([expected] if expected else [])
    if findings:
        assert findings[0].evidence["market_median_amount"] == "100000.00"
        assert findings[0].evidence["market_average_amount"] == "103333.33"
        assert findings[0].evidence["market_research_prices"] == 3


def test_a_recorded_median_must_be_the_median_of_the_recorded_prices() -> None:
    with pytest.raises(InvalidPayload) as refused:
        Contract(market_research_prices=PRICES, market_median_amount="105000.00")
    assert refused.value.field == "payload.contract.market_median_amount"
    assert "100000.00" in refused.value.message
    Contract(market_research_prices=PRICES, market_median_amount="100000.00")  # agrees


def test_market_research_prices_must_be_positive_amounts() -> None:
    for bad in ([], ["0"], ["-5.00"], ["abc"]):
        with pytest.raises(InvalidPayload) as refused:
            Contract(market_research_prices=bad)
        assert refused.value.field.startswith("payload.contract.market_research_prices")


# --- A21: a second rescission within two years ---------------------------------------------


def rescinded(on: str) -> dict[str, Any]:
    contract = Contract()
    contract.add("rescission", {"stage": "notice", "date": "2025-07-01", "cause": "Atraso"},
                 "2025-07-01")  # fmt: skip
    contract.add("rescission", {"stage": "resolution", "date": on}, on)
    return contract.snapshot


def second(snap: dict[str, Any], *earlier: str, source: str = "import") -> list[Any]:
    found = {SUPPLIER_RFC: [{"date": d, "source": source, "contract": f"C-{d}",
                             "institution": "SSA"} for d in earlier]}  # fmt: skip
    return [f for f in run("A21", snap, rescissions=found).findings
            if f.subject.startswith("second_rescission:")]  # fmt: skip


@pytest.mark.parametrize(
    ("earlier", "fires"),
    [
        pytest.param("2023-07-15", True, id="exactly two years before"),
        pytest.param("2023-07-14", False, id="two years and a day before"),
        pytest.param("2025-07-15", True, id="the same day"),
        pytest.param("2025-07-16", False, id="later: the later contract carries it"),
    ],
)
def test_a21_fires_on_a_second_rescission_within_two_years(earlier: str, fires: bool) -> None:
    findings = second(rescinded("2025-07-15"), earlier)
    assert bool(findings) is fires
    if fires:
        (finding,) = findings
        assert finding.subject == f"second_rescission:{SUPPLIER_RFC}"
        assert finding.evidence["window_start"] == "2023-07-15"
        assert finding.evidence["earlier_rescissions"][0]["date"] == earlier
        assert str(finding.since) == "2025-07-15"


def test_a21_says_nothing_of_earlier_rescissions_while_the_contract_is_not_rescinded() -> None:
    assert second(Contract().snapshot, "2025-01-01") == []


def test_two_years_before_a_29_february_is_the_28th() -> None:
    assert str(two_years_before(dt.date(2028, 2, 29))) == "2026-02-28"


# --- A16: every art. 69 list counts ----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ART_69_LISTS))
def test_a16_counts_an_entry_on_any_art_69_list(name: str) -> None:
    snap = Contract().snapshot
    screening = {SUPPLIER_RFC: [{"list": name, "status": "firmes", "published": "2025-01-02"}]}
    (finding,) = run("A16", snap, screening=screening).findings
    assert finding.evidence["listings"][0]["list"] == name

"""Execution-phase red flags on hand-made snapshots: each row names the facts and the verdict."""

from __future__ import annotations

import pytest
from tests.risk.snapshots import (
    TODAY,
    amendment,
    payment,
    reception,
    schedule,
    snapshot,
)

from besa.logbook.state import initial_state
from besa.risk import execution, stats
from besa.risk.flag import Flag


def test_a_direct_award_pushed_over_the_competitive_threshold_by_an_amendment_raises_r054():
    state = snapshot(
        amendment("200000.00"),
        procedure_type="adjudicacion_directa",
        amount="900000.00",
        pef_max_amount="1000000.00",
    )
    flag = execution.r054_direct_award_over_threshold(state, TODAY)
    assert flag.value == 1.0
    assert flag.evidence["amendment_sequences"] == [2]
    assert flag.evidence["threshold"] == "1000000.00"
    assert flag.evidence["current_amount"] == "1100000.00"


@pytest.mark.parametrize(
    ("terms", "facts", "expected"),
    [
        ({"procedure_type": "adjudicacion_directa", "amount": "900000.00",
          "pef_max_amount": "1000000.00"}, [amendment("50000.00")], 0.0),
        ({"procedure_type": "adjudicacion_directa", "amount": "1200000.00",
          "pef_max_amount": "1000000.00"}, [amendment("50000.00")], 0.0),  # over from the start
        ({"procedure_type": "licitacion_publica", "amount": "900000.00",
          "pef_max_amount": "1000000.00"}, [amendment("500000.00")], 0.0),
        ({"procedure_type": "adjudicacion_directa", "amount": "900000.00"},
         [amendment("500000.00")], None),  # no threshold recorded
    ],
)  # fmt: skip
def test_r054_table(terms, facts, expected):
    assert execution.r054_direct_award_over_threshold(snapshot(*facts, **terms), TODAY).value == (
        expected
    )


def test_amendments_raise_r064_and_only_increases_raise_r069():
    cut = snapshot(amendment("-100000.00"))
    assert execution.r064_has_amendments(cut, TODAY).value == 1.0
    assert execution.r069_amendments_increase_price(cut, TODAY).value == 0.0
    raised = snapshot(amendment("-100000.00"), amendment("250000.00", amendment_id="M2"))
    r069 = execution.r069_amendments_increase_price(raised, TODAY)
    assert r069.value == 1.0
    assert r069.evidence["amendment_sequences"] == [3]
    assert r069.evidence["increase_percent"] == "25.0000"
    untouched = snapshot()
    assert execution.r064_has_amendments(untouched, TODAY).value == 0.0
    assert execution.r069_amendments_increase_price(untouched, TODAY).value == 0.0


@pytest.mark.parametrize(
    ("facts", "today", "expected", "days_late"),
    [
        ([schedule("2025-07-01"), reception("2025-07-05", "10", "10", "accepted")], TODAY, 1.0, 4),
        ([schedule("2025-07-01"), reception("2025-07-01", "10", "10", "accepted")], TODAY, 0.0,
         None),
        ([schedule("2025-07-01"), reception("2025-06-30", "10", "6", "partial")], TODAY, 1.0, 123),
        ([schedule("2025-12-01")], TODAY, 0.0, None),  # not yet due
        ([], TODAY, None, None),  # no schedule: not computable
    ],
)  # fmt: skip
def test_r067_delivery_failure_table(facts, today, expected, days_late):
    flag = execution.r067_delivery_failure(snapshot(*facts), today)
    assert flag.value == expected
    if days_late is not None:
        assert flag.evidence["failures"][0]["days_late"] == days_late


def test_r068_compares_payments_with_the_amended_amount():
    assert (
        execution.r068_transactions_exceed_amount(
            snapshot(payment("600000.00"), payment("400000.00")), TODAY
        ).value
        == 0.0
    )
    over = execution.r068_transactions_exceed_amount(
        snapshot(payment("600000.00"), payment("400000.03")),
        TODAY,  # a cent per payment is tolerated
    )
    assert over.value == 1.0
    assert over.evidence["paid_without_vat"] == "1000000.03"
    assert over.evidence["payment_sequences"] == [2, 3]
    # An amendment raises the ceiling.
    assert (
        execution.r068_transactions_exceed_amount(
            snapshot(amendment("100000.00"), payment("1050000.00")), TODAY
        ).value
        == 0.0
    )


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ([schedule("2025-07-01"), reception("2025-07-01", "10", "10", "accepted")], 0.0),
        ([schedule("2025-07-01"), reception("2025-07-01", "10", "0", "rejected")], 1.0),
        ([schedule("2025-07-01"), reception("2025-07-01", "10", "8", "deficient")], 1.0),
        ([schedule("2025-07-01")], None),
    ],
)
def test_r073_discrepancies_table(facts, expected):
    assert execution.r073_work_discrepancies(snapshot(*facts), TODAY).value == expected


def test_a_deduction_is_a_discrepancy_with_the_specifications():
    payload = {"description": "Faltante", "amount": "5000.00", "date": "2025-07-02"}
    deduction = ("deduction", payload, "2025-07-02")
    flag = execution.r073_work_discrepancies(snapshot(deduction), TODAY)
    assert flag.value == 1.0
    assert flag.evidence["deduction_sequences"] == [2]


def test_an_unregistered_contract_computes_no_flag():
    empty = initial_state("ocds-x")
    assert all(f.value is None for f in execution.per_contract_flags(empty, TODAY))
    assert execution.measure_r060(empty)[0] is None


def test_r059_and_r060_measure_the_difference_and_the_delay():
    figure, evidence = execution.measure_r059(snapshot(amendment("150000.00")))
    assert figure == 15.0
    assert evidence["final_basis"] == "amended amount"
    days, evidence = execution.measure_r060(snapshot(award_date="2025-05-01"))
    assert days == 40.0
    assert evidence == {"award_date": "2025-05-01", "signing_date": "2025-06-10", "days": 40}
    assert execution.measure_r060(snapshot(award_date=None))[0] is None


def test_a_population_flag_is_raised_at_the_upper_fence_and_never_for_zero():
    population = stats.fence([2, 3, 3, 4, 5, 5, 6, 30])
    assert population.upper is not None
    above = execution.fenced("R060", 30.0, {"days": 30}, population)
    assert above.value == 1.0
    assert above.fence is not None and above.fence["upper_fence"] == round(population.upper, 4)
    assert execution.fenced("R060", 5.0, {}, population).value == 0.0
    zeros = stats.fence([0, 0, 0, 0, 0])
    assert execution.fenced("R059", 0.0, {}, zeros).value == 0.0
    assert execution.fenced("R059", 0.1, {}, zeros).value == 1.0
    assert execution.fenced("R059", None, {}, zeros).value is None
    tiny = stats.fence([1, 2])
    assert execution.fenced("R059", 9.0, {}, tiny).value is None


def test_quartiles_use_cardinals_r8_estimator():
    # indicators-cardinal.md §5: Q1 of [0, 0, 100 × 7] is 66.6667 with R-8.
    fence = stats.fence([0, 0] + [100] * 7)
    assert fence.as_json()["q1"] == 66.6667
    assert fence.q3 == 100.0


def test_a_flag_is_raised_only_above_zero():
    assert Flag("X", 0.5).raised and not Flag("X", 0.0).raised and not Flag("X", None).raised

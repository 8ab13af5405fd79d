"""The CRI: the mean of available 0–1 components, missing ones excluded, never counted as 0."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from besa.risk import cri
from besa.risk.flag import Flag, missing


def test_missing_components_are_left_out_of_the_mean_not_counted_as_zero():
    score = cri.index([Flag("A", 1.0), missing("B", "no bids"), Flag("C", 0.0)])
    assert score.value == 0.5  # (1 + 0) / 2, not (1 + 0 + 0) / 3
    assert score.evidence["components"] == {"A": 1.0, "C": 0.0}
    assert score.evidence["missing"] == {"B": "no bids"}


def test_a_cri_with_no_available_component_is_missing_itself():
    score = cri.index([missing("A", "x"), missing("B", "y")])
    assert score.value is None
    assert set(score.evidence["missing"]) == {"A", "B"}


def test_an_aggregate_is_the_mean_of_known_cris():
    assert cri.mean_of("CRI", [0.2, None, 0.4]).value == 0.3
    assert cri.mean_of("CRI", [None]).value is None


@pytest.mark.parametrize(
    ("procedure", "value"),
    [("licitacion_publica", 0.0), ("invitacion_tres", 0.5), ("adjudicacion_directa", 1.0),
     ("open", 0.0), ("selective", 0.5), ("limited", 1.0), ("direct", 1.0), ("trueque", None)],
)  # fmt: skip
def test_procedure_levels_follow_gti_mexico(procedure, value):
    assert cri.procedure(procedure).value == value


def test_no_call_for_tenders_comes_from_the_data_when_given_else_from_the_procedure():
    assert cri.no_call_for_tenders("adjudicacion_directa").value == 1.0
    assert cri.no_call_for_tenders("licitacion_publica").value == 0.0
    assert cri.no_call_for_tenders("limited", published=True).value == 0.0


@pytest.mark.parametrize(
    ("days", "value"),
    [(30, 0.0), (19, 0.0), (18, 0.5), (7, 0.5), (6, 1.0), (1, 1.0),
     (0, None), (-3, None), (366, None), (None, None)],
)  # fmt: skip
def test_submission_period_bands(days, value):
    assert cri.submission_period(days).value == value


@pytest.mark.parametrize(
    ("days", "value"), [(3, 1.0), (5, 1.0), (6, 0.0), (15, 0.0), (16, 0.5), (400, None)]
)
def test_decision_period_bands(days, value):
    assert cri.decision_period(days).value == value


def test_single_bid():
    assert cri.single_bid(1).value == 1.0
    assert cri.single_bid(4).value == 0.0
    assert cri.single_bid(None).value is None


def test_buyer_share_needs_five_contracts_in_the_year():
    assert cri.buyer_share(Decimal(30), Decimal(100), 4, 2025).value is None
    share = cri.buyer_share(Decimal(30), Decimal(120), 5, 2025)
    assert share.value == 0.25
    assert share.evidence["buyer_contracts"] == 5


def _benford_amounts(n: int) -> list[Decimal]:
    # First digits in Benford's proportions (largest remainder), scaled to amounts.
    counts = [round(n * math.log10(1 + 1 / d)) for d in range(1, 10)]
    return [
        Decimal(d * 1000 + i) for d, k in zip(range(1, 10), counts, strict=True) for i in range(k)
    ]


def test_benford_conformity_bands():
    assert cri.benford(_benford_amounts(300)).value == 0.0
    assert cri.benford([Decimal(9000 + i) for i in range(150)]).value == 1.0
    assert cri.benford(_benford_amounts(50)).value is None  # too few amounts


@given(
    st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=12),
    st.integers(min_value=0, max_value=5),
)
def test_adding_missing_components_never_changes_the_cri(values, missing_count):
    flags = [Flag(f"C{n}", v) for n, v in enumerate(values)]
    absent = [missing(f"M{n}", "no data") for n in range(missing_count)]
    score = cri.index(flags + absent)
    assert score.value == cri.index(flags).value
    assert score.value is not None
    assert min(values) - 1e-4 <= score.value <= max(values) + 1e-4

"""R-8 quantiles, fused multiply-add fences and Meta rounding, as Cardinal (statrs, Rust f64)."""

from __future__ import annotations

import math
import statistics as stdlib_statistics

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from besa.cardinal.statistics import fma, lower_fence, quantile, quartiles, round4, upper_fence

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(
    st.lists(finite, min_size=1, max_size=60),
    st.sampled_from([0.0, 0.05, 0.25, 0.5, 0.75, 0.9, 1.0]),
)
def test_quantile_equals_numpy_median_unbiased(values: list[float], tau: float) -> None:
    expected = float(np.quantile(np.array(values), tau, method="median_unbiased"))
    assert math.isclose(quantile(sorted(values), tau), expected, rel_tol=1e-12, abs_tol=1e-6)


def test_quantile_of_the_documented_meta_example() -> None:
    # Cardinal's docs: Q1 66.6667, Q3 100.0 and lower fence 16.6667 for [0, 0, 100 × 7].
    q1, q3 = quartiles(sorted([0.0, 0.0] + [100.0] * 7))
    assert (round4(q1), round4(q3), round4(lower_fence(q1, q3))) == (66.6667, 100.0, 16.6667)


def test_an_empty_population_has_nan_quartiles_shown_as_null() -> None:
    q1, q3 = quartiles([])
    assert math.isnan(q1) and math.isnan(q3) and round4(upper_fence(q1, q3)) is None


def test_statistics_quantiles_and_numpy_default_would_give_other_quartiles() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 10.0]
    assert quantile(values, 0.25) != float(np.quantile(values, 0.25))  # R-7 differs
    assert quantile(values, 0.25) != stdlib_statistics.quantiles(values, n=4)[0]  # R-6 differs


def test_fma_differs_from_two_roundings_where_it_matters() -> None:
    a = 0.1
    assert fma(a, 3.0, -0.30000000000000004) != a * 3.0 - 0.30000000000000004


def test_round4_rounds_half_away_from_zero_and_keeps_floats() -> None:
    assert round4(0.00005) == 0.0001 and round4(-0.00005) == -0.0001
    assert round4(2.0) == 2.0 and round4(1 / 3) == 0.3333
    assert round4(float("nan")) is None

"""Population statistics exactly as Cardinal computes them (statrs 0.16, Rust ``f64``).

* :func:`quantile` is the R-8 "median-unbiased" estimator (numpy ``method="median_unbiased"``),
  not Python's ``statistics.quantiles`` nor numpy's default R-7: they give other fences.
* :func:`fma` is a fused multiply-add with one rounding, like Rust's ``mul_add``; fences are
  computed with it so a ratio lying exactly on a fence is decided as Cardinal decides it.
* :func:`round4` rounds half away from zero at 4 decimals, as the ``Meta`` values are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

NAN = float("nan")


def quantile(ordered: Sequence[float], tau: float) -> float:
    """R-8 quantile of an **ascending** sequence; NaN when it is empty."""
    n = len(ordered)
    if n == 0:
        return NAN
    h = (n + 1 / 3) * tau + 1 / 3
    hf = math.trunc(h)
    if hf <= 0:
        return float(ordered[0])
    if hf >= n:
        return float(ordered[-1])
    low = float(ordered[hf - 1])
    return low + (h - hf) * (float(ordered[hf]) - low)


def fma(a: float, b: float, c: float) -> float:
    """``a * b + c`` rounded once (exact rational arithmetic, then one rounding to ``float``)."""
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def quartiles(ordered: Sequence[float]) -> tuple[float, float]:
    """(Q1, Q3) of an ascending sequence."""
    return quantile(ordered, 0.25), quantile(ordered, 0.75)


def lower_fence(q1: float, q3: float) -> float:
    """``Q1 − 1.5·IQR``, as ``(q3 - q1).mul_add(-1.5, q1)``."""
    return fma(q3 - q1, -1.5, q1)


def upper_fence(q1: float, q3: float) -> float:
    """``Q3 + 1.5·IQR``, as ``(q3 - q1).mul_add(1.5, q3)``."""
    return fma(q3 - q1, 1.5, q3)


def round4(value: float) -> float | None:
    """A ``Meta`` value: rounded half away from zero to 4 decimals; NaN becomes ``None`` (null)."""
    if math.isnan(value):
        return None
    if math.isinf(value):
        return value
    scaled = value * 10000.0
    rounded = math.floor(abs(scaled) + 0.5)
    # floor(x + 0.5) rounds 0.49999999999999994 up; Rust's round() does not.
    if rounded - abs(scaled) > 0.5:
        rounded -= 1
    return math.copysign(rounded, scaled) / 10000.0


def percentile_fence(ordered: Sequence[float], percentile: int) -> float:
    """``percentile(p)`` of an ascending sequence: the R-8 quantile at ``p / 100`` (R025)."""
    return quantile(ordered, percentile / 100)

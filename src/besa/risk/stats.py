"""Quartiles and Tukey fences over a population, as OCP's Cardinal computes them.

Quantiles use the R-8 "median-unbiased" estimator (``indicators-cardinal.md`` §5), so that a
fence BESA stores for its own flags is computed like Cardinal's. Pure; rounding to 4 decimals
happens only in ``Fence.as_json``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Tukey's multiplier of the interquartile range.
TUKEY = 1.5
#: Fewer values than this give no fence (quartiles of two or three numbers explain nothing).
MIN_POPULATION = 4


def quantile(values: list[float], tau: float) -> float:
    """The R-8 quantile of sorted ``values`` (non-empty) at ``tau`` in [0, 1]."""
    n = len(values)
    h = (n + 1 / 3) * tau + 1 / 3
    hf = math.trunc(h)
    if hf <= 0:
        return values[0]
    if hf >= n:
        return values[-1]
    return values[hf - 1] + (h - hf) * (values[hf] - values[hf - 1])


@dataclass(frozen=True)
class Fence:
    """The quartiles of a population and its Tukey fences; all None when too small."""

    count: int
    q1: float | None
    q3: float | None
    lower: float | None
    upper: float | None

    def as_json(self) -> dict[str, Any]:
        def rounded(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "method": "tukey-r8",
            "count": self.count,
            "q1": rounded(self.q1),
            "q3": rounded(self.q3),
            "lower_fence": rounded(self.lower),
            "upper_fence": rounded(self.upper),
        }


def fence(population: Iterable[float | None]) -> Fence:
    """Quartiles and fences of the non-missing values of ``population``."""
    values = sorted(v for v in population if v is not None and not math.isnan(v))
    if len(values) < MIN_POPULATION:
        return Fence(len(values), None, None, None, None)
    q1, q3 = quantile(values, 0.25), quantile(values, 0.75)
    iqr = q3 - q1
    return Fence(len(values), q1, q3, q1 - TUKEY * iqr, q3 + TUKEY * iqr)

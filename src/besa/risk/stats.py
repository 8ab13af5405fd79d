"""Quartiles and Tukey fences over a population, as OCP's Cardinal computes them.

Quartiles and fences come from :mod:`besa.cardinal.statistics` (R-8 "median-unbiased"
quantiles, fences with one rounding), so that a fence BESA stores for its own flags is computed
exactly like Cardinal's. Pure; rounding to 4 decimals
happens only in ``Fence.as_json``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from besa.cardinal import statistics

#: Tukey's multiplier of the interquartile range (as in besa.cardinal.statistics).
TUKEY = 1.5
#: Fewer values than this give no fence (quartiles of two or three numbers explain nothing).
MIN_POPULATION = 4


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
    q1, q3 = statistics.quartiles(values)
    lower, upper = statistics.lower_fence(q1, q3), statistics.upper_fence(q1, q3)
    return Fence(len(values), q1, q3, lower, upper)

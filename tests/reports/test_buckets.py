"""Report histograms: a value falls in the first bucket whose upper limit it does not pass."""

from __future__ import annotations

import pytest

from besa.reports.tables import bucket, bucket_rows

LIMITS = ((20, "up to 20"), (30, "21 to 30"), (60, "31 to 60"))


@pytest.mark.parametrize(
    ("value", "index"), [(-1, 0), (0, 0), (20, 0), (21, 1), (30, 1), (60, 2), (61, 3), (900, 3)]
)
def test_a_value_on_a_limit_counts_in_that_limits_bucket(value: int, index: int) -> None:
    assert bucket(value, LIMITS) == index


def test_every_bucket_has_a_row_and_the_last_holds_the_values_past_every_limit() -> None:
    assert bucket_rows(LIMITS, "over 60", {0: 4, 3: 1}, "payments") == [
        {"key": "0", "label": "up to 20", "payments": 4},
        {"key": "1", "label": "21 to 30", "payments": 0},
        {"key": "2", "label": "31 to 60", "payments": 0},
        {"key": "3", "label": "over 60", "payments": 1},
    ]

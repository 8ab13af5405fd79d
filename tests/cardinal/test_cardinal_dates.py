"""R003's timestamps as chrono reads them, one at a time and as a column."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.cardinal.helpers import process, run

from besa.cardinal.dates import days_between, instants, parse_rfc3339, whole_days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1970-01-01T00:00:00Z", (0, 0)),
        ("1970-01-01t00:00:00z", (0, 0)),
        ("1970-01-01 05:00:00+05:00", (0, 0)),
        ("1969-12-31T19:00:00-05:00", (0, 0)),
        ("1970-01-01T00:00:00.1234567891Z", (0, 123456789)),  # nanoseconds: 9 digits kept
        ("1970-01-01T00:00:60Z", (59, 1_000_000_000)),  # a leap second, at any minute
        ("0000-01-01T00:00:00Z", (-62167219200, 0)),  # year 0 exists in chrono's calendar
        ("2023-08-02T03:00:00+23:59", (1690945200 - 86340, 0)),
    ],
)
def test_chrono_accepts(text: str, expected: tuple[int, int]) -> None:
    assert parse_rfc3339(text) == expected
    frame = instants(pl.Series([text]))
    assert (frame.item(0, "seconds"), frame.item(0, "nanos")) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2023-02-29T00:00:00Z",
        "2023-08-02T24:00:00Z",
        "2023-08-02T03:00:61Z",
        "2023-08-02T03:00:00+24:00",
        "2023-08-02T03:00:00",
        "2023-08-02",
        "2023-08-02T03:00Z",
        "x",
    ],
)
def test_chrono_refuses(text: str) -> None:
    assert parse_rfc3339(text) is None
    assert instants(pl.Series([text])).item(0, "seconds") is None


def test_whole_days_truncate_toward_zero_at_the_nanosecond() -> None:
    day = 86400
    assert days_between((0, 1), (15 * day, 0)) == 14  # 15 days less a nanosecond
    assert days_between((0, 0), (15 * day, 0)) == 15
    assert days_between((15 * day, 0), (0, 1)) == -14
    # A leap second on the earlier side counts: 23:59:60 to 00:00:00 the next day is 0 s.
    assert days_between((day - 1, 1_000_000_000), (day, 0)) == 0


def test_r003_follows_chrono_for_a_leap_second_and_for_nanoseconds() -> None:
    def tender(start: str, end: str) -> dict[str, object]:
        return {"tenderPeriod": {"startDate": start, "endDate": end}}

    data = [
        process("nano", tender=tender("2020-01-01T00:00:00.000000001Z", "2020-01-16T00:00:00Z")),
        process("whole", tender=tender("2020-01-01T00:00:00Z", "2020-01-16T00:00:00Z")),
        process("leap", tender=tender("2020-01-01T23:59:60Z", "2020-01-16T23:59:59Z")),
    ]
    assert run(data, "[R003]") == {"OCID": {"nano": {"R003": 1.0}, "leap": {"R003": 1.0}}}


_STAMPS = st.builds(
    "{:04d}-{:02d}-{:02d}{}{:02d}:{:02d}:{:02d}{}{}".format,
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from(["T", "t", " ", "x"]),
    st.integers(0, 25),
    st.integers(0, 60),
    st.integers(0, 61),
    st.sampled_from(["", ".5", ".000000001", ".1234567891"]),
    st.sampled_from(["Z", "z", "+00:00", "-05:00", "+23:59", "+24:00", "-00:60", ""]),
)


@given(st.lists(st.tuples(_STAMPS, _STAMPS), min_size=1, max_size=30))
def test_the_column_path_equals_the_scalar_path(pairs: list[tuple[str, str]]) -> None:
    starts = instants(pl.Series([start for start, _ in pairs]))
    ends = instants(pl.Series([end for _, end in pairs]))
    frame = pl.DataFrame(
        {
            "start_s": starts.get_column("seconds"),
            "start_n": starts.get_column("nanos"),
            "end_s": ends.get_column("seconds"),
            "end_n": ends.get_column("nanos"),
        }
    )
    days = frame.select(whole_days("start_s", "start_n", "end_s", "end_n")).to_series().to_list()
    for (start, end), got in zip(pairs, days, strict=True):
        a, b = parse_rfc3339(start), parse_rfc3339(end)
        assert got == (None if a is None or b is None else days_between(a, b))

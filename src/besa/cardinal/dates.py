"""RFC 3339 timestamps as chrono's ``DateTime::parse_from_rfc3339`` reads them, and R003's days.

Cardinal's R003 counts whole days between two strict RFC 3339 timestamps with chrono; anything
else gives no flag. chrono keeps nanoseconds (the first 9 fraction digits), reads second 60 as
a leap second (second 59 plus a second of nanoseconds, at any minute), accepts year 0 and
offsets up to ±23:59, and subtracts two instants counting a leap second only on the earlier
side. An instant here is ``(seconds since the epoch in UTC, nanoseconds)`` with nanoseconds in
``[0, 2e9)``, which is what that subtraction needs.

:func:`instants` parses a whole column: the usual shapes (whole seconds 00–59, ``Z`` or an
offset, year 1 or later) with Polars, and only the few unusual distinct strings with
:func:`parse_rfc3339`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

import polars as pl

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"([Zz]|([+-])(\d{2}):(\d{2}))\Z",
    re.ASCII,
)
#: The shapes Polars parses as chrono does, to the second.
_USUAL = (
    r"^([1-9]\d{3}|0[1-9]\d{2}|00[1-9]\d|000[1-9])-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)
_EPOCH_DAY = date(1970, 1, 1).toordinal()
#: Days from 0000-01-01 to 0004-01-01 (year 0 is a leap year in the proleptic calendar).
_YEAR_0_TO_4 = 1461
_NANOS = 1_000_000_000
_DAY = 86_400

Instant = tuple[int, int]


def _epoch_day(year: int, month: int, day: int) -> int | None:
    """Days from 1970-01-01 of a proleptic Gregorian date (year 0 included), or ``None``."""
    leap_alike = year if year else 400  # year 0 has year 400's calendar
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(leap_alike, month)[1]:
        return None
    if year == 0:
        return date(4, month, day).toordinal() - _YEAR_0_TO_4 - _EPOCH_DAY
    return date(year, month, day).toordinal() - _EPOCH_DAY


def parse_rfc3339(text: object) -> Instant | None:
    """(epoch seconds in UTC, nanoseconds) as chrono holds the timestamp, or ``None``."""
    match = _RFC3339.match(text) if type(text) is str else None
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, _, sign, offset_hours, offset_minutes = match.groups()[6:]
    days = _epoch_day(year, month, day)
    if days is None or hour > 23 or minute > 59 or second > 60:
        return None
    offset = 0
    if sign:
        if int(offset_hours) > 23 or int(offset_minutes) > 59:
            return None
        offset = int(offset_hours) * 3600 + int(offset_minutes) * 60
        offset = -offset if sign == "-" else offset
    nanos = int((fraction or "0")[:9].ljust(9, "0"))
    if second == 60:  # a leap second: second 59 and one more second of nanoseconds
        second, nanos = 59, nanos + _NANOS
    return days * _DAY + hour * 3600 + minute * 60 + second - offset, nanos


def days_between(start: Instant, end: Instant) -> int:
    """chrono's ``(end - start).num_days()``: whole days, truncated toward zero."""
    seconds = end[0] - start[0] + _leap(start[0] % _DAY, start[1], end[0] % _DAY, end[1])
    return _whole_days(seconds, end[1] - start[1])


def _leap(start_second: int, start_nanos: int, end_second: int, end_nanos: int) -> int:
    # NaiveTime::signed_duration_since: a leap second not yet counted on the earlier side.
    if end_second > start_second and start_nanos >= _NANOS:
        return 1
    if end_second < start_second and end_nanos >= _NANOS:
        return -1
    return 0


def _whole_days(seconds: int, nanos: int) -> int:
    """Whole days in ``seconds`` s + ``nanos`` ns (|nanos| < 2e9), truncated toward zero."""
    carry = nanos // _NANOS
    seconds, nanos = seconds + carry, nanos - carry * _NANOS  # now 0 <= nanos < 1e9
    if seconds >= 0:
        return seconds // _DAY
    return -((-seconds - (nanos > 0)) // _DAY)


def instants(column: pl.Series) -> pl.DataFrame:
    """Columns ``seconds`` and ``nanos`` (Int64) for each RFC 3339 string; null where invalid."""
    usual = column.str.contains(_USUAL).fill_null(False)
    fast = (
        column.str.replace(r"Z$", "+00:00")
        .str.strptime(pl.Datetime("us", "UTC"), "%Y-%m-%dT%H:%M:%S%:z", strict=False)
        .dt.epoch("s")
    )
    null = pl.Series(dtype=pl.Int64)
    seconds = fast.zip_with(usual, null.extend_constant(None, len(column)))
    nanos = null.extend_constant(0, len(column))
    nanos = nanos.zip_with(usual, null.extend_constant(None, len(column)))
    unusual = column.filter(~usual).drop_nulls().unique()
    if not unusual.is_empty():
        parsed = {text: parse_rfc3339(text) for text in unusual.to_list()}  # a few strings
        keys = list(parsed)
        slow_seconds = column.replace_strict(
            keys, [p and p[0] for p in parsed.values()], default=None, return_dtype=pl.Int64
        )
        slow_nanos = column.replace_strict(
            keys, [p and p[1] for p in parsed.values()], default=None, return_dtype=pl.Int64
        )
        seconds = seconds.zip_with(usual, slow_seconds)
        nanos = nanos.zip_with(usual, slow_nanos)
    parsed_ok = pl.col("seconds").is_not_null()
    return pl.DataFrame({"seconds": seconds, "nanos": nanos}).with_columns(
        pl.when(parsed_ok).then("nanos").alias("nanos")
    )


def whole_days(start_s: str, start_n: str, end_s: str, end_n: str) -> pl.Expr:
    """:func:`days_between` over columns (start and end seconds and nanoseconds)."""
    start_second = pl.col(start_s) - (pl.col(start_s) // _DAY) * _DAY
    end_second = pl.col(end_s) - (pl.col(end_s) // _DAY) * _DAY
    leap = (
        pl.when((end_second > start_second) & (pl.col(start_n) >= _NANOS))
        .then(1)
        .when((end_second < start_second) & (pl.col(end_n) >= _NANOS))
        .then(-1)
        .otherwise(0)
    )
    nanos = pl.col(end_n) - pl.col(start_n)
    carry = nanos // _NANOS
    seconds = pl.col(end_s) - pl.col(start_s) + leap + carry
    rest = nanos - carry * _NANOS
    return (
        pl.when(seconds >= 0)
        .then(seconds // _DAY)
        .otherwise(-((-seconds - (rest > 0).cast(pl.Int64)) // _DAY))
    )

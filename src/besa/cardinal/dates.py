"""RFC 3339 timestamps as chrono's ``parse_from_rfc3339`` reads them, one value or a column.

Cardinal's R003 counts whole days between two strict RFC 3339 timestamps; anything else gives
no flag. :func:`instants` parses a whole column with Polars for the usual shapes and leaves
only the unusual distinct strings (fractions of a second, a lowercase ``t``…) to
:func:`parse_rfc3339`, so both paths agree by construction.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import polars as pl

#: A date, ``T`` (or ``t`` or a space), a time with seconds and an offset ``Z`` or ``±hh:mm``.
_RFC3339 = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})\Z", re.ASCII
)
#: The shapes Polars parses exactly like :func:`parse_rfc3339` (year 0 and hour 24 excluded:
#: Python's datetime refuses them, chrono would not).
_USUAL = (
    r"^([1-9]\d{3}|0[1-9]\d{2}|00[1-9]\d|000[1-9])-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_DAY_US = 86_400_000_000


def parse_rfc3339(text: object) -> datetime | None:
    """A strict RFC 3339 timestamp, or ``None`` (Cardinal then raises no flag)."""
    if type(text) is not str:
        return None
    match = _RFC3339.match(text)
    if match is None:
        return None
    day, clock, fraction, offset = match.groups()
    micro = ("." + (fraction + "00000")[:6]) if fraction else ""
    offset = "+00:00" if offset in ("Z", "z") else offset
    try:
        return datetime.fromisoformat(f"{day}T{clock}{micro}{offset}")
    except ValueError:
        return None


def whole_days(start: datetime, end: datetime) -> int:
    """``(end - start)`` in whole days, truncated toward zero (chrono ``num_days``)."""
    delta = end - start
    seconds = delta.days * 86400 + delta.seconds
    if seconds < 0 and delta.microseconds:
        seconds += 1  # chrono truncates the fractional second toward zero
    days = abs(seconds) // 86400
    return days if seconds >= 0 else -days


def _micros(text: str) -> int | None:
    moment = parse_rfc3339(text)
    return None if moment is None else (moment - _EPOCH) // _MICROSECOND


def instants(column: pl.Series) -> pl.Series:
    """Microseconds since the epoch (UTC) for each RFC 3339 string; null where it is not one."""
    usual = column.str.contains(_USUAL)
    fast = (
        column.str.replace(r"Z$", "+00:00")
        .str.strptime(pl.Datetime("us", "UTC"), "%Y-%m-%dT%H:%M:%S%:z", strict=False)
        .dt.epoch("us")
    )
    unusual = column.filter(~usual.fill_null(True)).drop_nulls().unique()
    if unusual.is_empty():
        return fast.zip_with(usual.fill_null(False), pl.Series([None], dtype=pl.Int64))
    parsed = {text: _micros(text) for text in unusual.to_list()}  # a few distinct strings
    slow = column.replace_strict(
        list(parsed), list(parsed.values()), default=None, return_dtype=pl.Int64
    )
    return fast.zip_with(usual.fill_null(False), slow)


def days_between(start_us: pl.Expr, end_us: pl.Expr) -> pl.Expr:
    """Whole days from ``start`` to ``end`` (microsecond columns), truncated toward zero."""
    delta = end_us - start_us
    return pl.when(delta >= 0).then(delta // _DAY_US).otherwise(-((-delta) // _DAY_US))

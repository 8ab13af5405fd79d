"""Strict, typed reading of one parsed TOML table, naming every bad key by its dotted path.

A jurisdiction file sets legal deadlines, so a typo must never fall back to a default. A
``StrictTable`` therefore rejects keys it was not told about (suggesting the closest expected
key), reports a missing key by name, and reports a value of the wrong TOML type together with
the type it found. Value ranges are not checked here; the model checks them on construction.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from difflib import get_close_matches

from besa.exceptions import JurisdictionError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def toml_type(value: object) -> str:
    """Name the TOML type of a value produced by ``tomllib`` (floats parsed as Decimal)."""
    # Order matters: bool is an int, and datetime is a date.
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal | float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, datetime):
        return "date-time"
    if isinstance(value, date):
        return "date"
    if isinstance(value, time):
        return "time"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "table"
    return type(value).__name__


def _show(value: object) -> str:
    """Render a value as it would be written in the file, shortened for an error message."""
    if isinstance(value, date | time):
        shown = value.isoformat()
    elif isinstance(value, bool):
        shown = str(value).lower()
    elif isinstance(value, Decimal | int):
        shown = str(value)
    else:
        shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _as_date(key: str, value: object) -> date:
    """Accept a TOML date (``2025-04-17``) or the same written as a quoted string."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise JurisdictionError(key, f"{value!r} is not a valid date; write it as YYYY-MM-DD")
    raise JurisdictionError(
        key, f"expected a date such as 2025-04-17, got {toml_type(value)} {_show(value)}"
    )


class StrictTable:
    """A read-only view of one TOML table at dotted path ``path`` ("" for the document root).

    Contract: if ``allowed`` is given, construction raises ``JurisdictionError`` for the first
    key (in file order) that is not allowed. If it is ``None`` the keys are data (regime codes,
    years) and any key is accepted. Each getter raises ``JurisdictionError`` naming the key
    when it is missing or of the wrong type. Getters never modify the underlying data.
    """

    def __init__(
        self, data: Mapping[str, object], path: str, allowed: Collection[str] | None
    ) -> None:
        self._data = data
        self._path = path
        if allowed is not None:
            for name in data:
                if name not in allowed:
                    self._reject_unknown(name, allowed)

    @property
    def path(self) -> str:
        """The dotted path of this table ("" for the document root)."""
        return self._path

    def key(self, name: str) -> str:
        """Return the dotted path of ``name`` inside this table."""
        return f"{self._path}.{name}" if self._path else name

    def names(self) -> list[str]:
        """Return this table's keys in file order."""
        return list(self._data)

    def has(self, name: str) -> bool:
        """Tell whether ``name`` is set."""
        return name in self._data

    def text(self, name: str) -> str:
        """Return a string value."""
        value = self._get(name)
        if not isinstance(value, str):
            raise self._wrong_type(name, "a string", value)
        return value

    def integer(self, name: str) -> int:
        """Return an integer value; a boolean or a float such as ``20.0`` is rejected."""
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong_type(name, "an integer", value)
        return value

    def number(self, name: str) -> Decimal:
        """Return an integer or float value as an exact ``Decimal``.

        The loader parses TOML floats with ``parse_float=Decimal``, so ``12.5`` stays exactly
        12.5 instead of passing through a binary float.
        """
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self._wrong_type(name, "a number", value)
        return Decimal(value)

    def day(self, name: str) -> date:
        """Return a date value (a TOML date, or the same as a ``YYYY-MM-DD`` string)."""
        return _as_date(self.key(name), self._get(name))

    def optional_day(self, name: str) -> date | None:
        """Return a date value, or ``None`` when the key is absent (never when misspelled,
        because an ``allowed`` table rejects unknown keys)."""
        return self.day(name) if name in self._data else None

    def days(self, name: str) -> list[date]:
        """Return an array of dates; a bad item is named ``<key>[<index>]``."""
        value = self._get(name)
        if not isinstance(value, list):
            raise self._wrong_type(name, "an array of dates", value)
        return [_as_date(f"{self.key(name)}[{i}]", item) for i, item in enumerate(value)]

    def table(self, name: str, allowed: Collection[str] | None = None) -> StrictTable:
        """Return a sub-table, strict about its keys when ``allowed`` is given."""
        value = self._get(name)
        if not isinstance(value, dict):
            raise self._wrong_type(name, "a table", value)
        return StrictTable(value, self.key(name), allowed)

    def tables(self, name: str, allowed: Collection[str]) -> list[StrictTable]:
        """Return an array of tables (``[[name]]`` in the file); item ``i`` is ``<key>[i]``."""
        value = self._get(name)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self._wrong_type(name, "an array of tables", value)
        return [StrictTable(v, f"{self.key(name)}[{i}]", allowed) for i, v in enumerate(value)]

    def _get(self, name: str) -> object:
        try:
            return self._data[name]
        except KeyError:
            raise JurisdictionError(self.key(name), "missing") from None

    def _wrong_type(self, name: str, expected: str, value: object) -> JurisdictionError:
        return JurisdictionError(
            self.key(name), f"expected {expected}, got {toml_type(value)} {_show(value)}"
        )

    def _reject_unknown(self, name: str, allowed: Collection[str]) -> None:
        unset = [a for a in allowed if a not in self._data]
        guess = get_close_matches(name, unset or list(allowed), n=1)
        hint = f"did you mean {guess[0]!r}?" if guess else f"expected: {', '.join(allowed)}"
        raise JurisdictionError(self.key(name), f"unknown key; {hint}")

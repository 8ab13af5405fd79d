"""Text typed into a query string or a form, made safe to search with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: C0 control characters and DEL: no search term holds them, and PostgreSQL refuses NUL.
_CONTROLS = dict.fromkeys([*range(0x20), 0x7F])


def typed(values: Mapping[str, Any], name: str) -> str:
    """``values[name]`` as typed, without control characters or surrounding blanks ("" when
    absent), so that no parameter can turn into a database error."""
    return str(values.get(name, "")).translate(_CONTROLS).strip()

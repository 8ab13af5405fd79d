"""Dates as Mexican government files write them. Pure."""

from __future__ import annotations

import datetime as dt
import re

from besa.interop.lists.csvtext import fold

MONTHS = {
    name: number
    for number, name in enumerate(
        ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre"),
        start=1,
    )
}  # fmt: skip
MONTHS["setiembre"] = 9

_SPANISH = re.compile(r"(\d{1,2}) de ([a-z]+) de (\d{4})")
_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y")


def parse_day(value: str) -> dt.date:
    """``dd/mm/yyyy``, ``yyyy-mm-dd`` (optionally with a time, or ``GMT``) or "30 de
    noviembre de 2022". Raises ``ValueError`` for anything else."""
    text = value.strip().removesuffix(" GMT")
    for form in _FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    found = spanish_day(text)
    if found is None:
        raise ValueError(f"fecha no reconocida / unrecognised date: {value!r}")
    return found


def optional_day(value: str) -> dt.date | None:
    return parse_day(value) if value.strip() else None


def spanish_day(text: str) -> dt.date | None:
    """The first "30 de noviembre de 2022" in ``text``, or None."""
    match = _SPANISH.search(fold(text))
    if match is None or match.group(2) not in MONTHS:
        return None
    day, month, year = match.groups()
    return dt.date(int(year), MONTHS[month], int(day))

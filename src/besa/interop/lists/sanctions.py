"""The Directorio de Proveedores y Contratistas Sancionados (SFP/SABG). Pure: no Django.

UTF-8 (a byte-order mark is tolerated), one row per sanction: Proveedor, Dependencia,
Número de Expediente, Hechos, Objeto Social, Sentido de Resolución, Fecha de Notificación,
FechadeResolucion, Plazo ("1 AÑO 6 MESES", "TRES MESES"), Monto, and optionally RFC.

Each row becomes an entry with ``status``:

- ``inhabilitado`` when the resolution debars the supplier for a term (a ``Plazo`` is
  given): ``start`` is the notification date (else the resolution date) and ``end`` the
  day before the term runs out (start + term − 1 day);
- ``multa`` (fine only), ``absolutoria`` (acquitted) or ``sancionatoria`` otherwise, with
  no term: rule A18 ignores these, since only a debarment bars contracting.

``key`` is a digest of the normalised name, institution and case file, stable across
snapshots, so a match confirmed once stays confirmed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from besa.exceptions import InvalidInput
from besa.interop.lists.csvtext import Row, check_width, decode, fold, read_rows, require_columns
from besa.interop.lists.dates import optional_day
from besa.interop.lists.entries import ListEntry, ParsedList, Skipped
from besa.interop.lists.names import normalise
from besa.interop.lists.sat69b import RFC

LABEL = "sancionados"
COLUMNS = (
    "proveedor",
    "dependencia",
    "numero de expediente",
    "sentido de resolucion",
    "fecha de notificacion",
    "fechaderesolucion",
    "plazo",
)
ALIASES = {"plazo anos - meses": "plazo", "fecha de resolucion": "fechaderesolucion"}
#: Statuses that are a debarment (the only ones rule A18 counts).
DEBARRED = "inhabilitado"
_NUMBERS = {
    "un": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15,
}  # fmt: skip
_TERM = re.compile(r"(\d+|[a-z]+)\s+(anos?|mes(?:es)?|dias?)")


def parse(data: bytes) -> ParsedList:
    """Parse the directory. Raises ``InvalidInput`` (naming the line) for a file that is not
    UTF-8, lacks a column or is truncated; unusable rows come back in ``skipped``."""
    rows = read_rows(decode(data, "utf-8", label=LABEL), label=LABEL)
    if not rows:
        raise InvalidInput("file", f"{LABEL}: archivo vacío / empty file")
    header = rows[0]
    index = require_columns(header, COLUMNS, label=LABEL, aliases=ALIASES)
    body = rows[1:]
    check_width(body, max(index.values()) + 1, label=LABEL)
    parsed = ParsedList("sanctions")
    seen: set[str] = set()
    for row in body:
        entry = _entry(row, index)
        if isinstance(entry, Skipped):
            parsed.skipped.append(entry)
        elif entry.key in seen:
            parsed.skipped.append(Skipped(row.line, "renglón repetido / repeated row"))
        else:
            seen.add(entry.key)
            parsed.entries.append(entry)
    return parsed


def term(text: str) -> tuple[int, int, int] | None:
    """A debarment term as (years, months, days): "2 AÑOS 6 MESES" → (2, 6, 0), "TRES
    MESES" → (0, 3, 0). None when empty; ``ValueError`` when unreadable."""
    folded = fold(text).replace(",", " ").replace(" y ", " ")
    if not folded:
        return None
    years = months = days = 0
    found = _TERM.findall(folded)
    if not found or not re.fullmatch(r"(?:\s*(?:\d+|[a-z]+)\s+(?:anos?|mes(?:es)?|dias?))+\s*",
                                     folded):  # fmt: skip
        raise ValueError(f"plazo no reconocido / unreadable term {text!r}")
    for amount, unit in found:
        number = int(amount) if amount.isdigit() else _NUMBERS.get(amount)
        if number is None:
            raise ValueError(f"plazo no reconocido / unreadable term {text!r}")
        if unit.startswith("ano"):
            years += number
        elif unit.startswith("mes"):
            months += number
        else:
            days += number
    return years, months, days


def add_term(start: dt.date, years: int, months: int, days: int) -> dt.date:
    """The last day of a term starting on ``start`` (month ends clamp: Jan 31 + 1 month →
    Feb 28/29, then minus one day)."""
    month = start.month - 1 + months + 12 * years
    year, month = start.year + month // 12, month % 12 + 1
    last = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    end = dt.date(year, month, min(start.day, last)) + dt.timedelta(days=days)
    return end - dt.timedelta(days=1)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _entry(row: Row, index: dict[str, int]) -> ListEntry | Skipped:
    def cell(name: str) -> str:
        at = index.get(name)
        return row.cells[at].strip() if at is not None and at < len(row.cells) else ""

    name = " ".join(cell("proveedor").split())[:300]
    if not name:
        return Skipped(row.line, "sin nombre del proveedor / no supplier name")
    rfc = cell("rfc").upper()
    if rfc and not RFC.fullmatch(rfc):
        return Skipped(row.line, f"RFC con formato inválido / malformed RFC {rfc!r}")
    try:
        notified = optional_day(cell("fecha de notificacion"))
        resolved = optional_day(cell("fechaderesolucion"))
        length = term(cell("plazo"))
    except ValueError as exc:
        return Skipped(row.line, str(exc))
    resolution = fold(cell("sentido de resolucion"))
    start = notified or resolved
    end = None
    if length is not None and any(length):
        if start is None:
            return Skipped(row.line, "inhabilitación sin fecha / debarment without a date")
        status = DEBARRED
        end = add_term(start, *length)
    elif "inhabilita" in resolution:
        return Skipped(row.line, "inhabilitación sin plazo / debarment without a term")
    elif "absolutoria" in resolution:
        status = "absolutoria"
    elif "multa" in resolution:
        status = "multa"
    else:
        status = "sancionatoria"
    name_key = normalise(name)
    identity = "|".join((name_key, fold(cell("dependencia")), fold(cell("numero de expediente"))))
    key = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return ListEntry(row.line, key, rfc, name, name_key, status, start, start, end)

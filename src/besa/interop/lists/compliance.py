"""The compliance opinions CSV (BESA's own layout, docs/interop/lists.md). Pure: no Django.

UTF-8 (BOM tolerated), a header row naming the columns (any order, case-insensitive):

``rfc``, ``source`` (``sat_32d``, ``imss``, ``infonavit``), ``result`` (``positive`` /
``negative``, or ``positiva`` / ``negativa``), ``issued_on`` (YYYY-MM-DD or DD/MM/YYYY),
``valid_until`` (optional, same forms), ``folio``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from besa.exceptions import InvalidInput
from besa.interop.lists.csvtext import check_width, decode, fold, read_rows, require_columns
from besa.interop.lists.dates import optional_day, parse_day
from besa.interop.lists.entries import Skipped
from besa.interop.lists.sat69b import RFC

LABEL = "opiniones de cumplimiento"
COLUMNS = ("rfc", "source", "result", "issued_on", "valid_until", "folio")
SOURCES = ("sat_32d", "imss", "infonavit")
RESULTS = {"positive": "positive", "positiva": "positive", "negative": "negative",
           "negativa": "negative"}  # fmt: skip


@dataclass(frozen=True)
class Opinion:
    line: int
    rfc: str
    source: str
    result: str
    issued_on: dt.date
    valid_until: dt.date | None
    folio: str


@dataclass
class ParsedOpinions:
    opinions: list[Opinion] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def parse(data: bytes) -> ParsedOpinions:
    """Parse the file; ``InvalidInput`` (naming the line) for a wrong encoding, a missing
    column or a truncated file; unusable rows come back in ``skipped``."""
    rows = read_rows(decode(data, "utf-8", label=LABEL), label=LABEL)
    if not rows:
        raise InvalidInput("file", f"{LABEL}: archivo vacío / empty file")
    index = require_columns(rows[0], COLUMNS, label=LABEL)
    check_width(rows[1:], max(index.values()) + 1, label=LABEL)
    parsed = ParsedOpinions()
    seen: set[tuple[str, str, str]] = set()
    for row in rows[1:]:

        def cell(name: str, cells: tuple[str, ...] = row.cells) -> str:
            return cells[index[name]].strip()

        rfc, source, folio = cell("rfc").upper(), fold(cell("source")), cell("folio")
        result = RESULTS.get(fold(cell("result")))
        problem = None
        if not RFC.fullmatch(rfc):
            problem = f"RFC con formato inválido / malformed RFC {rfc!r}"
        elif source not in SOURCES:
            problem = f"emisor desconocido / unknown source {cell('source')!r}"
        elif result is None:
            problem = f"sentido desconocido / unknown result {cell('result')!r}"
        elif not folio:
            problem = "sin folio / no folio"
        elif (rfc, source, folio) in seen:
            problem = f"folio repetido / repeated folio {folio}"
        if problem is None:
            try:
                issued = parse_day(cell("issued_on"))
                until = optional_day(cell("valid_until"))
            except ValueError as exc:
                problem = str(exc)
            else:
                if until is not None and until < issued:
                    problem = "valid_until anterior a issued_on / valid_until before issued_on"
        if problem is not None or result is None:
            parsed.skipped.append(Skipped(row.line, problem or ""))
            continue
        seen.add((rfc, source, folio))
        parsed.opinions.append(Opinion(row.line, rfc, source, result, issued, until, folio))
    return parsed

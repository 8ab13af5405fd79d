"""The SAT list of taxpayers under CFF art. 69-B ("Listado completo"). Pure: no Django.

SAT publishes it in Latin-1/cp1252 with preamble lines before the header ("Información
actualizada al 30 de noviembre de 2022", a title); the header is the first row having an
``RFC`` and a ``Situación del contribuyente`` column. Statuses are normalised to
``presunto``, ``desvirtuado``, ``definitivo`` and ``sentencia_favorable``. An entry's
``published`` date is when the taxpayer was first published as presumed (SAT page, else
DOF): the day it appeared on the list, which is what rule A16 compares with signing.
"""

from __future__ import annotations

import re

from besa.exceptions import InvalidInput
from besa.interop.lists.csvtext import Row, check_width, decode, fold, read_rows, require_columns
from besa.interop.lists.dates import optional_day, spanish_day
from besa.interop.lists.entries import ListEntry, ParsedList, Skipped
from besa.interop.lists.names import normalise

LABEL = "SAT 69-B"
ENCODING = "cp1252"
STATUSES = {
    "presunto": "presunto",
    "desvirtuado": "desvirtuado",
    "definitivo": "definitivo",
    "sentencia favorable": "sentencia_favorable",
}
RFC = re.compile(r"[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}")
COLUMNS = ("rfc", "nombre del contribuyente", "situacion del contribuyente")
PRESUMED_SAT = "publicacion pagina sat presuntos"
PRESUMED_DOF = "publicacion dof presuntos"


def parse(data: bytes) -> ParsedList:
    """Parse the list file. Raises ``InvalidInput`` (naming the line) for a file in another
    encoding, with no header, missing columns or truncated; rows that cannot be used (bad
    RFC, unknown status, bad date, RFC repeated) are returned in ``skipped``."""
    rows = read_rows(decode(data, ENCODING, label=LABEL), label=LABEL)
    header_at = next((i for i, row in enumerate(rows) if _is_header(row)), None)
    if header_at is None:
        raise InvalidInput(
            "file",
            f"{LABEL}: no se encontró el encabezado (RFC, Situación del contribuyente) / "
            "header row not found",
        )
    header = rows[header_at]
    index = require_columns(header, COLUMNS, label=LABEL)
    body = rows[header_at + 1 :]
    check_width(body, max(index.values()) + 1, label=LABEL)
    parsed = ParsedList("sat_69b")
    for row in rows[:header_at]:
        parsed.stated_date = parsed.stated_date or spanish_day(" ".join(row.cells))
    seen: set[tuple[str, str, object]] = set()
    for row in body:
        entry = _entry(row, index)
        if isinstance(entry, Skipped):
            parsed.skipped.append(entry)
            continue
        # A taxpayer may be listed in several procedures (one row each); only a row that
        # repeats another's RFC, status and publication adds nothing.
        identity = (entry.rfc, entry.status, entry.published)
        if identity in seen:
            parsed.skipped.append(Skipped(row.line, f"renglón repetido / repeated row {entry.rfc}"))
            continue
        seen.add(identity)
        parsed.entries.append(entry)
    return parsed


def _is_header(row: Row) -> bool:
    folded = {fold(c) for c in row.cells}
    return "rfc" in folded and "situacion del contribuyente" in folded


def _entry(row: Row, index: dict[str, int]) -> ListEntry | Skipped:
    def cell(name: str) -> str:
        at = index.get(name)
        return row.cells[at].strip() if at is not None and at < len(row.cells) else ""

    rfc = cell("rfc").upper()
    if not RFC.fullmatch(rfc):
        return Skipped(row.line, f"RFC con formato inválido / malformed RFC {rfc!r}")
    status = STATUSES.get(fold(cell("situacion del contribuyente")))
    if status is None:
        situation = cell("situacion del contribuyente")
        return Skipped(row.line, f"situación desconocida / unknown status {situation!r}")
    try:
        published = optional_day(cell(PRESUMED_SAT)) or optional_day(cell(PRESUMED_DOF))
    except ValueError as exc:
        return Skipped(row.line, str(exc))
    # SAT appends court notes after " // " to some names.
    name = cell("nombre del contribuyente").split(" // ")[0].strip()[:300]
    return ListEntry(row.line, rfc, rfc, name, normalise(name), status, published)

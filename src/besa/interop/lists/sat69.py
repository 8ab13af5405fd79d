"""The SAT lists of taxpayers under CFF art. 69 (last paragraph). Pure: no Django.

SAT publishes seven files, each refreshed on its own day, so each is its own list (one
``ListName`` per file, ``PARTS``): a new Firmes file must not hide yesterday's No localizados.
They are Windows-1252 CSV with CRLF, the header on the first line and no preamble (so no
stated date: the snapshot date is the import's ``--date``). The files do not share one header:

- ``Firmes.csv``, ``No_localizados.csv``, ``Exigibles.csv``: ``RFC, RAZON SOCIAL, TIPO
  PERSONA, SUPUESTO, FECHA(S) DE PRIMERA PUBLICACION, ENTIDAD FEDERATIVA``;
- ``Sentencias.csv``: the same with ``RAZÓN SOCIAL`` and ``FECHAS DE PRIMERA PUBLICACION``;
- ``Cancelados.csv``: adds ``FECHA DE CANCELACION`` and ``MONTO``; its date is ``FECHA DE
  PUBLICACION``;
- ``EntespublicosydeGobiernoomisos.csv``: no ``TIPO PERSONA``; adds ``EJERCICIO``, ``PERIODO``;
- ``CSDsinefectos.csv``: ``NOMBRE O RAZON SOCIAL`` and ``SUPUESTO DE CANCELACION CSD``, no
  ``TIPO PERSONA`` nor ``ENTIDAD FEDERATIVA``.

Headers are compared folded (no accents, any case). An RFC may appear on several rows of one
file (several credits or periods of one taxpayer): the entry keeps the earliest publication.
Rows whose RFC SAT withheld (``XXXXXXXXXXXX``) or that are malformed are skipped with their
line; a file without the columns, in another encoding or truncated is refused whole.
"""

from __future__ import annotations

from besa.exceptions import InvalidInput
from besa.interop.lists.csvtext import Row, check_width, decode, fold, read_rows, require_columns
from besa.interop.lists.dates import optional_day
from besa.interop.lists.entries import ListEntry, ParsedList, Skipped
from besa.interop.lists.names import normalise
from besa.interop.lists.sat69b import RFC

LABEL = "SAT 69"
ENCODING = "cp1252"

#: ``--list`` value → (list name stored, SAT's file name folded without extension).
PARTS = {
    "firmes": ("sat_69_firmes", "firmes"),
    "no_localizados": ("sat_69_no_localizados", "no_localizados"),
    "exigibles": ("sat_69_exigibles", "exigibles"),
    "cancelados": ("sat_69_cancelados", "cancelados"),
    "sentencias": ("sat_69_sentencias", "sentencias"),
    "entes_omisos": ("sat_69_entes_omisos", "entespublicosydegobiernoomisos"),
    "csd_sin_efectos": ("sat_69_csd", "csdsinefectos"),
}
#: Folded header spellings of each logical column, in SAT's files.
NAME = ("razon social", "nombre o razon social", "nombre del contribuyente")
CASE = ("supuesto", "supuesto de cancelacion csd")
PUBLISHED = (
    "fecha de primera publicacion",
    "fechas de primera publicacion",
    "fecha de publicacion",
    "fecha de cancelacion csd",
)


def part_of(file_name: str) -> str | None:
    """The ``PARTS`` key SAT's file name stands for (``No_localizados.csv`` → ``no_localizados``),
    or None for a file renamed beyond recognition."""
    stem = fold(file_name.rsplit("/", 1)[-1]).removesuffix(".csv").replace(" ", "_")
    return next((key for key, (_, name) in PARTS.items() if stem == name), None)


def parse(data: bytes, part: str) -> ParsedList:
    """Parse one art. 69 file as list ``part`` (a ``PARTS`` key). Raises ``InvalidInput``
    naming the line for a file in another encoding, truncated, or whose first line lacks an
    ``RFC``, a name or a case (supuesto) column. The publication date column is read when
    present (``PUBLISHED``, the first spelling found)."""
    if part not in PARTS:
        raise InvalidInput("--list", f"{LABEL}: lista desconocida / unknown list {part!r}")
    rows = read_rows(decode(data, ENCODING, label=LABEL), label=LABEL)
    if not rows:
        raise InvalidInput("line 1", f"{LABEL}: archivo vacío / empty file")
    header = rows[0]
    index = require_columns(header, ("rfc",), label=LABEL)
    columns = {"rfc": index["rfc"]}
    for logical, spellings in (("name", NAME), ("case", CASE)):
        found = next((index[s] for s in spellings if s in index), None)
        if found is None:
            raise InvalidInput(
                f"line {header.line}",
                f"{LABEL}: faltan columnas / missing columns: {' | '.join(spellings)}",
            )
        columns[logical] = found
    # A file without a publication date still lists who is on it: A16 then counts the
    # entry as known at signing (an unknown publication counts, as for 69-B).
    dated = next((index[s] for s in PUBLISHED if s in index), None)
    if dated is not None:
        columns["published"] = dated
    body = rows[1:]
    check_width(body, max(columns.values()) + 1, label=LABEL)
    parsed = ParsedList(PARTS[part][0])
    at: dict[str, int] = {}
    for row in body:
        entry = _entry(row, columns)
        if isinstance(entry, Skipped):
            parsed.skipped.append(entry)
            continue
        if entry.rfc in at:  # another credit or period of a taxpayer already listed
            earlier = parsed.entries[at[entry.rfc]]
            if entry.published and (not earlier.published or entry.published < earlier.published):
                parsed.entries[at[entry.rfc]] = entry
            continue
        at[entry.rfc] = len(parsed.entries)
        parsed.entries.append(entry)
    return parsed


def _entry(row: Row, columns: dict[str, int]) -> ListEntry | Skipped:
    def cell(name: str) -> str:
        return row.cells[columns[name]].strip()

    rfc = cell("rfc").upper()
    if set(rfc) == {"X"}:
        return Skipped(row.line, "RFC suprimido por el SAT / RFC withheld by SAT")
    if not RFC.fullmatch(rfc):
        return Skipped(row.line, f"RFC con formato inválido / malformed RFC {rfc!r}")
    try:
        published = optional_day(cell("published")) if "published" in columns else None
    except ValueError as exc:
        return Skipped(row.line, str(exc))
    name = cell("name")[:300]
    case = " ".join(cell("case").split())[:40]
    return ListEntry(row.line, rfc, rfc, name, normalise(name), case.lower(), published)

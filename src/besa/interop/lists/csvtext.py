"""Reading the CSV files other systems publish: strict decoding, line numbers, truncation.

Pure: no Django. Every problem is an ``InvalidInput`` whose ``field`` names the line
(``line 14``) or the file, raised before anything is written.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from besa.exceptions import InvalidInput


@dataclass(frozen=True)
class Row:
    """One CSV record and the physical line it starts on (1-based, preamble included)."""

    line: int
    cells: tuple[str, ...]


def decode(data: bytes, encoding: str, *, label: str) -> str:
    """Decode ``data`` strictly; a UTF-8 byte-order mark is dropped. Raises ``InvalidInput``
    naming the line of the first undecodable byte, or of the first NUL (a UTF-16 file, or
    a binary one), so a file in the wrong encoding never imports as mojibake."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InvalidInput(
            f"line {line}",
            f"{label}: contiene bytes nulos: no es texto {encoding} (¿UTF-16?) / "
            f"NUL bytes: not {encoding} text (UTF-16?)",
        )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            f"line {line}",
            f"{label}: el archivo no está en {encoding} (byte {data[exc.start]:#04x}) / "
            f"file is not {encoding} (byte {data[exc.start]:#04x} at offset {exc.start})",
        ) from exc
    return text.removeprefix("\ufeff")


def read_rows(text: str, *, label: str) -> list[Row]:
    """Parse CSV text (comma, double quotes, CRLF or LF) into rows with their line numbers.

    A file whose last line has no line terminator, or that ends inside a quoted field, is
    reported as truncated: every export these importers read ends its last record with a
    newline, so a missing one means the download or copy was cut short.
    """
    if text and not text.endswith(("\n", "\r")):
        last = text.count("\n") + 1
        raise InvalidInput(
            f"line {last}",
            f"{label}: archivo truncado (la última línea no termina) / "
            "truncated file (the last line is unterminated)",
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    start = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append(Row(start, tuple(cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(
            f"line {start}",
            f"{label}: CSV mal formado o truncado ({exc}) / malformed or truncated CSV",
        ) from exc
    return rows


def fold(header: str) -> str:
    """A header cell folded for comparison: no accents, lower case, single spaces."""
    text = unicodedata.normalize("NFKD", header)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def require_columns(
    row: Row, wanted: Sequence[str], *, label: str, aliases: dict[str, str] | None = None
) -> dict[str, int]:
    """Map each wanted (folded) column name to its index in the header ``row``; raises
    ``InvalidInput`` naming every missing column at once."""
    index: dict[str, int] = {}
    for i, cell in enumerate(row.cells):
        name = fold(cell)
        name = (aliases or {}).get(name, name)
        index.setdefault(name, i)
    missing = [w for w in wanted if w not in index]
    if missing:
        raise InvalidInput(
            f"line {row.line}",
            f"{label}: faltan columnas / missing columns: {', '.join(missing)}",
        )
    return index


def check_width(rows: Sequence[Row], width: int, *, label: str) -> None:
    """Every data row must have at least the header's number of cells; a short one means
    a broken or truncated record (extra trailing empty cells are tolerated)."""
    for row in rows:
        if len(row.cells) < width:
            raise InvalidInput(
                f"line {row.line}",
                f"{label}: {len(row.cells)} columnas, se esperaban {width} (¿renglón truncado?) "
                f"/ {len(row.cells)} columns, expected {width} (truncated row?)",
            )

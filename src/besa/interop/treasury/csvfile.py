"""Reading a CSV export strictly: known encoding, a header with the required columns, and
the same number of fields on every line. Any fault raises ``InvalidInput`` naming the line
(``line N``) or ``header``, before a single row is used.

Pure: no Django, no I/O.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass

from besa.exceptions import InvalidInput

#: Encodings an export may be declared in (``--encoding``); UTF-8 is the default.
ENCODINGS = ("utf-8", "latin-1", "cp1252")


@dataclass(frozen=True)
class Row:
    """One data line: its 1-based line number in the file and its values by column name
    (surrounding blanks removed; columns absent from the file are absent here)."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def read_rows(
    data: bytes,
    *,
    required: Collection[str],
    known: Collection[str],
    encoding: str = "utf-8",
) -> list[Row]:
    """The data rows of ``data``. Header names are matched case-insensitively; unknown
    columns are refused (a typo would otherwise silently drop a value), as are missing
    required ones, lines with too few or too many fields (a truncated file), unclosed
    quotes, bytes invalid in ``encoding`` and a file with no data rows."""
    if encoding.lower() not in ENCODINGS:
        raise InvalidInput("encoding", f"use one of {', '.join(ENCODINGS)}, not {encoding!r}")
    text = _decode(data, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
    except csv.Error as exc:
        raise InvalidInput("line 1", f"CSV inválido / invalid CSV: {exc}") from exc
    if not any(header):
        raise InvalidInput("header", "el archivo está vacío / the file is empty")
    _check_header(header, required, known)
    rows = []
    try:
        for fields in reader:
            line = reader.line_num
            if not any(field.strip() for field in fields):
                continue
            if len(fields) != len(header):
                raise InvalidInput(
                    f"line {line}",
                    f"{len(fields)} campos, se esperaban {len(header)} (¿archivo truncado?) / "
                    f"{len(fields)} fields, expected {len(header)} (truncated file?)",
                )
            rows.append(Row(line, {n: v.strip() for n, v in zip(header, fields, strict=True)}))
    except csv.Error as exc:
        raise InvalidInput(
            f"line {reader.line_num}", f"CSV inválido / invalid CSV (truncated?): {exc}"
        ) from exc
    if not rows:
        raise InvalidInput("file", "el archivo no tiene filas de datos / the file has no data rows")
    return rows


def _decode(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            f"line {line}",
            f"bytes inválidos en {encoding} (byte {exc.start}); ¿otra codificación? "
            f"use --encoding / invalid {encoding} bytes (byte {exc.start}); another encoding? "
            "use --encoding",
        ) from exc
    return text.removeprefix("\ufeff")


def _check_header(header: list[str], required: Collection[str], known: Collection[str]) -> None:
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise InvalidInput("header", f"columnas repetidas / repeated columns: {duplicated}")
    unknown = [name for name in header if name not in known]
    if unknown:
        raise InvalidInput("header", f"columnas desconocidas / unknown columns: {unknown}")
    missing = [name for name in required if name not in header]
    if missing:
        raise InvalidInput("header", f"faltan columnas / missing columns: {missing}")

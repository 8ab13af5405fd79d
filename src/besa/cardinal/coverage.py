"""``coverage``: how many times each JSON path is non-empty, as ``ocdscardinal coverage``.

Paths: ``""`` is the line, a path ending in ``/`` is an object, ``[]`` an array element, other
paths are object members. Empty values are ``""``, ``[]``, ``{}``, ``null`` and containers that
hold only empty values; ``false`` and ``0`` are not empty. A duplicated member name counts once,
with its last value. Counts are per occurrence (two array elements count two). Keys are in
order of first appearance, children before their parent.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import msgspec

from besa.cardinal.engine import Source, blocks, check_file

_DECODER = msgspec.json.Decoder()


def _visit(value: Any, path: str, counts: dict[str, int]) -> bool:
    if isinstance(value, dict):
        nonempty = False
        for key, child in value.items():
            nonempty |= _visit(child, f"{path}/{key}", counts)
        if nonempty:
            counts[path + "/"] = counts.get(path + "/", 0) + 1
    elif isinstance(value, list):
        nonempty = False
        for child in value:
            nonempty |= _visit(child, path + "[]", counts)
    else:
        nonempty = value is not None and value != ""
    if nonempty:
        counts[path] = counts.get(path, 0) + 1
    return nonempty


def count(source: Source, warn: Callable[[str], None] | None = None) -> dict[str, int]:
    """Count non-empty paths over every JSON line of ``source``; invalid lines are skipped."""
    if isinstance(source, (str, os.PathLike)):
        check_file(source)
    counts: dict[str, int] = {}
    offset = 0
    for data in blocks(source):
        for number, line in enumerate(data.split(b"\n"), start=offset + 1):
            if not line.strip():
                continue
            try:
                document = _DECODER.decode(line)
            except msgspec.DecodeError as exc:
                if warn is not None:
                    warn(f"Line {number} is invalid JSON, skipping. [{exc}]")
                continue
            _visit(document, "", counts)
        offset += data.count(b"\n")
    return counts

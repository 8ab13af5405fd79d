"""Reading compiled OCDS releases from a file, whatever package shape it comes in.

Accepts a record package (each record's ``compiledRelease``), a release package (its
``releases``, taken as compiled: one per ocid, the last wins downstream), a single release
object, or JSON Lines of any of these; a ``.gz`` file is decompressed. Pure apart from
reading the file; errors name the file and line.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from besa.exceptions import InvalidInput


def _from_document(document: Any, where: str) -> Iterator[Mapping[str, Any]]:
    if not isinstance(document, Mapping):
        raise InvalidInput(where, "not a JSON object")
    if "records" in document:
        for position, record in enumerate(document["records"] or [], 1):
            compiled = record.get("compiledRelease") if isinstance(record, Mapping) else None
            if not isinstance(compiled, Mapping):
                raise InvalidInput(f"{where} records[{position}]", "has no compiledRelease")
            yield compiled
    elif "releases" in document:
        yield from document["releases"] or []
    elif "ocid" in document:
        yield document
    else:
        raise InvalidInput(where, "neither a record package, a release package nor a release")


def read_releases(path: str | Path) -> list[Mapping[str, Any]]:
    """Every compiled release in the file at ``path``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(str(path), exc.strerror or "cannot be read") from exc
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    try:
        return list(_from_document(orjson.loads(raw), str(path)))
    except orjson.JSONDecodeError:
        pass
    found: list[Mapping[str, Any]] = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            document = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise InvalidInput(f"{path} line {number}", f"not JSON: {exc}") from exc
        found.extend(_from_document(document, f"{path} line {number}"))
    return found

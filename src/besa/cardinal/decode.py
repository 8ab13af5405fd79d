"""Lenient decoding of OCDS compiled releases (JSON Lines) into typed ``msgspec`` Structs.

This is the exact path for blocks that Arrow's reader refuses (:mod:`besa.cardinal.table`).
Only the fields the indicators read are decoded. Leaves are typed ``Any`` so that a wrongly
typed value (an ``ocid`` that is a number, an amount that is a string) is kept and later read
as missing, exactly as Cardinal ignores it. A container of the wrong shape (``tenderers`` as an
object) is dropped by :func:`lenient` instead of losing the line. :func:`decode_chunk` returns
the releases of one block and the warnings (with line numbers relative to the block) for lines
that are not JSON or not UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import msgspec

#: Parse errors name a path like ``$.bids.details[0].tenderers``; the lenient decoder drops it.
_PATH = re.compile(r"at `\$(.*)`$")
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


class Ref(msgspec.Struct, gc=False):
    """An organisation reference or a classification: only its ``id``."""

    id: Any = None


class Value(msgspec.Struct, gc=False):
    amount: Any = None
    currency: Any = None


class Period(msgspec.Struct, gc=False):
    startDate: Any = None
    endDate: Any = None


class Tender(msgspec.Struct, gc=False):
    status: Any = None
    procurementMethod: Any = None
    procurementMethodDetails: Any = None
    numberOfTenderers: Any = None
    tenderPeriod: Period | None = None
    procuringEntity: Ref | None = None


class Bid(msgspec.Struct, gc=False):
    status: Any = None
    date: Any = None
    tenderers: list[Ref] | None = None
    value: Value | None = None


class Bids(msgspec.Struct, gc=False):
    details: list[Bid] | None = None


class Item(msgspec.Struct, gc=False):
    classification: Ref | None = None


class Award(msgspec.Struct, gc=False):
    status: Any = None
    suppliers: list[Ref] | None = None
    items: list[Item] | None = None


class Release(msgspec.Struct, gc=False):
    """The part of a compiled release that the indicators read."""

    ocid: Any = None
    tender: Tender | None = None
    bids: Bids | None = None
    awards: list[Award] | None = None
    buyer: Ref | None = None


_LINE_DECODER = msgspec.json.Decoder(Release)
_ANY_DECODER = msgspec.json.Decoder()


def lenient(document: Any) -> Release | None:
    """Convert a generic JSON document, dropping each member whose shape does not fit.

    Returns ``None`` when the document is not an object (Cardinal skips such lines).
    """
    if not isinstance(document, dict):
        return None
    for _ in range(1000):
        try:
            return msgspec.convert(document, Release)
        except msgspec.ValidationError as exc:
            match = _PATH.search(str(exc))
            if not match or not _drop(document, match.group(1)):
                return None
    return None


def _drop(document: Any, path: str) -> bool:
    """Drop the value at ``path`` (msgspec's ``.key[0].key`` notation); False if impossible."""
    steps: list[str | int] = [key if key else int(index) for key, index in _STEP.findall(path)]
    if not steps:
        return False
    parent = document
    for step in steps[:-1]:
        parent = parent[step]
    last = steps[-1]
    if isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        # An entry that is not an object still counts in the array's length (Cardinal checks
        # "exactly one tenderer/supplier" on the raw array): keep it, as an entry with no field.
        if parent[last] == {}:
            return False
        parent[last] = {}
        return True
    if isinstance(parent, dict) and last in parent:
        del parent[last]
        return True
    return False


def decode_line(line: bytes) -> Release | None:
    """One line → a release, or ``None`` if it is not a JSON object. Raises on invalid JSON."""
    try:
        return _LINE_DECODER.decode(line)
    except msgspec.ValidationError:
        return lenient(_ANY_DECODER.decode(line))


def decode_chunk(data: bytes) -> tuple[list[Release], list[tuple[int, str]]]:
    """Decode the lines of ``data``; returns (releases, [(line number in chunk, warning)]).

    Each line is decoded alone, as Cardinal does: joining lines into one array would let a
    release split over two lines, or two releases on one line, pass for valid lines.
    """
    releases: list[Release] = []
    warnings: list[tuple[int, str]] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            release = decode_line(line)
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:  # not JSON, or not UTF-8
            warnings.append((number, f"is invalid JSON, skipping. [{exc}]"))
            continue
        if release is not None:
            releases.append(release)
    return releases, warnings


def iter_lines_chunks(lines: Any, lines_per_chunk: int = 20000) -> Iterator[bytes]:
    """Group an iterable of lines (``str`` or ``bytes``) into newline-joined byte chunks."""
    batch: list[bytes] = []
    for line in lines:
        raw = line.encode() if isinstance(line, str) else line
        batch.append(raw.rstrip(b"\r\n"))
        if len(batch) >= lines_per_chunk:
            yield b"\n".join(batch) + b"\n"
            batch = []
    if batch:
        yield b"\n".join(batch) + b"\n"

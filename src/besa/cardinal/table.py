"""OCDS compiled releases (JSON Lines) as a columnar table of only the fields the indicators read.

:func:`read` turns a block of whole lines into a Polars DataFrame with :data:`SCHEMA`:

* The fast path is Arrow's native JSON reader with that explicit schema: it parses in C++
  without building a Python object per release, and it refuses (raises) as soon as a value
  does not have the expected type: an ``ocid`` that is a number, an amount that is a string,
  a ``numberOfTenderers`` of ``1.0``, an ``awards`` that is an object, an invalid line...
* Identifiers written as numbers (common in real data) are nulled and the block parsed again:
  Cardinal reads only string ids, so a number is no id.
* Any block the fast path refuses, or whose shape it cannot vouch for (a line that does not
  start with ``{``, a blank line, two documents on one line, ``NaN``, invalid UTF-8), is
  retried in pieces, and a refused piece is decoded line by line with ``msgspec``
  (:mod:`besa.cardinal.decode`), which keeps Cardinal's leniency: a leaf of the wrong type
  reads as missing, a member of the wrong shape is dropped (a list entry that is not an
  object stays, as an entry without fields), an invalid line is reported and skipped. The
  rows it builds follow the same schema, so one set of vectorised rules serves both paths.

Contract: a row per JSON object line, in file order; ``ocid`` null when it is not a string
(such rows are not read by any indicator); every leaf is of the schema type or null.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

import msgspec
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from besa.cardinal.decode import Award, Bid, Ref, Release, decode_chunk

_REF = pa.struct([pa.field("id", pa.string())])
_VALUE = pa.struct([pa.field("amount", pa.float64()), pa.field("currency", pa.string())])
_PERIOD = pa.struct([pa.field("startDate", pa.string()), pa.field("endDate", pa.string())])

#: The part of a compiled release that the indicators read.
SCHEMA = pa.schema(
    [
        pa.field("ocid", pa.string()),
        pa.field("buyer", _REF),
        pa.field(
            "tender",
            pa.struct(
                [
                    pa.field("status", pa.string()),
                    pa.field("procurementMethod", pa.string()),
                    pa.field("procurementMethodDetails", pa.string()),
                    pa.field("numberOfTenderers", pa.int64()),
                    pa.field("tenderPeriod", _PERIOD),
                    pa.field("procuringEntity", _REF),
                ]
            ),
        ),
        pa.field(
            "bids",
            pa.struct(
                [
                    pa.field(
                        "details",
                        pa.list_(
                            pa.struct(
                                [
                                    pa.field("status", pa.string()),
                                    pa.field("date", pa.string()),
                                    pa.field("tenderers", pa.list_(_REF)),
                                    pa.field("value", _VALUE),
                                ]
                            )
                        ),
                    )
                ]
            ),
        ),
        pa.field(
            "awards",
            pa.list_(
                pa.struct(
                    [
                        pa.field("status", pa.string()),
                        pa.field("suppliers", pa.list_(_REF)),
                        pa.field("items", pa.list_(pa.struct([pa.field("classification", _REF)]))),
                    ]
                )
            ),
        ),
    ]
)

_PARSE = pa_json.ParseOptions(explicit_schema=SCHEMA, unexpected_field_behavior="ignore")
_READ = pa_json.ReadOptions(use_threads=False)
_OFFSETS = struct.Struct("<qq")
#: Arrow's message for an ``id`` that is a number, and the pattern of such a member. Inside a
#: JSON string a quote is escaped, so ``{"id":`` or ``,"id":`` can only be a member name.
_NUMERIC_ID = "/id) changed from string to number"
_ID_NUMBER = r'([{,]\s*"id"\s*:\s*)-?[0-9][0-9.eE+-]*'
#: Lines of a piece when a refused block is retried piece by piece.
PIECE_LINES = 512
#: A currency that is not a string, kept distinct from every real currency code.
_NOT_A_STRING = "\x00"
_INT64 = range(-(1 << 63), 1 << 63)

Warnings = list[tuple[int, str]]


def newlines(data: bytes) -> int:
    """How many lines of ``data`` end in ``\\n``."""
    view = np.frombuffer(data, np.uint8)
    return sum(
        int(np.count_nonzero(view[at : at + _WINDOW] == _NEWLINE))
        for at in range(0, view.size, _WINDOW)
    )


def plain(data: bytes) -> bool:
    """Whether every line of ``data`` starts a JSON object and no ``NaN`` or ``Infinity`` occurs.

    Only then may Arrow's reader take the block: a line not starting with ``{`` may be blank, a
    top-level ``null`` or a value split over lines (Arrow would not reject them as Cardinal
    does), and ``NaN``/``Infinity`` are Arrow's JSON extensions, which serde_json and msgspec
    reject. This used to be one RE2 scan (``\\n[^{]|NaN|Infinity``, 0.56 s of CPU for 377 MB);
    byte comparisons over a NumPy view are about twice as fast and release the GIL. They run
    over windows of :data:`_WINDOW` bytes so that their temporary arrays stay small (a mask of
    a whole 24 MiB block per worker thread raised the 2-core peak by about 50 MiB).
    """
    view = np.frombuffer(data, np.uint8)
    if not view.size or view[0] != _BRACE:
        return False
    for at in range(0, view.size, _WINDOW):
        # The window reaches 7 bytes into the next one, for a word cut by the boundary.
        window = view[at : at + _WINDOW + 7]
        breaks = np.flatnonzero(window[:_WINDOW] == _NEWLINE) + 1
        breaks = breaks[breaks < window.size]
        if not (window[breaks] == _BRACE).all():
            return False
        if _occurs(window, b"NaN") or _occurs(window, b"Infinity"):
            return False
    return True


def _occurs(view: np.ndarray, word: bytes) -> bool:
    """Whether ``word`` occurs in ``view`` (candidates by its first byte, then the others)."""
    candidates = np.flatnonzero(view[: max(0, view.size - len(word) + 1)] == word[0])
    for offset, byte in enumerate(word[1:], start=1):
        if not candidates.size:
            return False
        candidates = candidates[view[candidates + offset] == byte]
    return bool(candidates.size)


_NEWLINE, _BRACE = ord("\n"), ord("{")
_WINDOW = 1 << 20


def read(data: bytes, newlines: int) -> tuple[pl.DataFrame, Warnings, int]:
    """A block of whole lines (``newlines`` of them end in ``\\n``) → (table, warnings, fast).

    Warnings are ``(line number in block, message)``; ``fast`` is the number of rows that the
    fast path read. A block the fast path refuses is retried in pieces of :data:`PIECE_LINES`
    lines, so that an odd line sends only its own piece to the lenient path.
    """
    frame = _read_fast(data, newlines)
    if frame is not None:
        return frame, [], frame.height
    if newlines <= PIECE_LINES:
        frame, warnings = _read_lenient(data)
        return frame, warnings, 0
    frames: list[pl.DataFrame] = []
    warnings = []
    fast = 0
    line = 0
    for piece in _pieces(data, PIECE_LINES):
        count = piece.count(b"\n")
        part = _read_fast(piece, count)
        if part is None:
            part, odd = _read_lenient(piece)
            warnings.extend((line + number, message) for number, message in odd)
        else:
            fast += part.height
        frames.append(part)
        line += count
    return pl.concat(frames), warnings, fast


def _pieces(data: bytes, lines: int) -> Iterator[bytes]:
    start = 0
    while start < len(data):
        end = start
        for _ in range(lines):
            end = data.find(b"\n", end) + 1
            if not end:
                end = len(data)
                break
        yield data[start:end]
        start = end


def _read_lenient(data: bytes) -> tuple[pl.DataFrame, Warnings]:
    releases, warnings = decode_chunk(data)
    return _from_releases(releases), warnings


def _read_fast(data: bytes, newlines: int) -> pl.DataFrame | None:
    """The block through Arrow's reader, or ``None`` where only the lenient path is exact."""
    if not plain(data):
        return None
    lines = newlines + (not data.endswith(b"\n"))
    buffer = pa.py_buffer(data)
    offsets = pa.py_buffer(_OFFSETS.pack(0, len(data)))
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, buffer])
    try:
        # Arrow's JSON reader does not check UTF-8 (msgspec does); the cast does.
        text = whole.cast(pa.large_string())
        try:
            table = _parse(buffer)
        except pa.ArrowInvalid as exc:
            if _NUMERIC_ID not in str(exc):
                raise
            # Publishers often write identifiers as numbers. Cardinal reads only string ids,
            # so a number is the same as no id: write null in its place and parse again.
            text = pc.replace_substring_regex(text, _ID_NUMBER, r"\1null")
            table = _parse(text[0].as_buffer())
    except pa.ArrowInvalid:
        return None
    if table.num_rows != lines:  # two documents on one line: Cardinal rejects that line
        return None
    return pl.from_arrow(table)  # type: ignore[return-value]


def _parse(buffer: pa.Buffer) -> pa.Table:
    return pa_json.read_json(pa.BufferReader(buffer), read_options=_READ, parse_options=_PARSE)


def _from_releases(releases: list[Release]) -> pl.DataFrame:
    """Rows of :data:`SCHEMA` from leniently decoded releases (wrongly typed leaves → null)."""
    rows = [_row(release) for release in releases]
    return pl.from_arrow(pa.Table.from_pylist(rows, schema=SCHEMA))  # type: ignore[return-value]


def _text(value: Any) -> str | None:
    return value if type(value) is str else None


def _ref(ref: Ref | None) -> dict[str, Any] | None:
    return None if ref is None else {"id": _text(ref.id)}


def _refs(refs: list[Ref] | None) -> list[dict[str, Any] | None] | None:
    return None if refs is None else [_ref(ref) for ref in refs]


def _amount(value: Any) -> float | None:
    if type(value) not in (int, float):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer beyond a double: serde_json's as_f64 gives infinity
        return float("inf") if value > 0 else float("-inf")


def _currency(value: Any) -> str | None:
    if value is None or type(value) is str:
        return value
    return _NOT_A_STRING + msgspec.json.encode(value).decode()


def _bid(bid: Bid) -> dict[str, Any]:
    value = bid.value
    return {
        "status": _text(bid.status),
        "date": _text(bid.date),
        "tenderers": _refs(bid.tenderers),
        "value": None
        if value is None
        else {"amount": _amount(value.amount), "currency": _currency(value.currency)},
    }


def _award(award: Award) -> dict[str, Any]:
    items = award.items
    return {
        "status": _text(award.status),
        "suppliers": _refs(award.suppliers),
        "items": None
        if items is None
        else [{"classification": _ref(item.classification)} for item in items],
    }


def _row(release: Release) -> dict[str, Any]:
    tender = release.tender
    bids = release.bids
    number = tender.numberOfTenderers if tender is not None else None
    return {
        "ocid": _text(release.ocid),
        "buyer": _ref(release.buyer),
        "tender": None
        if tender is None
        else {
            "status": _text(tender.status),
            "procurementMethod": _text(tender.procurementMethod),
            "procurementMethodDetails": _text(tender.procurementMethodDetails),
            # R018 wants the integer 1: 1.0, "1" and true read as missing.
            "numberOfTenderers": number if type(number) is int and number in _INT64 else None,
            "tenderPeriod": None
            if tender.tenderPeriod is None
            else {
                "startDate": _text(tender.tenderPeriod.startDate),
                "endDate": _text(tender.tenderPeriod.endDate),
            },
            "procuringEntity": _ref(tender.procuringEntity),
        },
        "bids": None
        if bids is None
        else {"details": None if bids.details is None else [_bid(bid) for bid in bids.details]},
        "awards": None if release.awards is None else [_award(award) for award in release.awards],
    }


def is_currency(column: pl.Expr) -> pl.Expr:
    """Whether a currency cell holds a real (string) currency code."""
    return column.is_not_null() & ~column.str.starts_with(_NOT_A_STRING)

"""Stream OCDS items out of a file, whatever its shape, in memory flat in the file size.

Accepted shapes (detected, never declared): a release package (``releases``), a record
package (``records``), a single release or record, a JSON array of releases or records, and
JSON Lines where each line is any of those. Any of them may be gzip-compressed (detected by
the magic bytes). Packages are read with ijson, so only one release is in memory at a time.

Fatal problems raise ``InvalidInput`` naming the file and the place (line or byte offset):
truncated or invalid JSON, bytes that are not UTF-8, and files larger than ``max_bytes`` once
decompressed, and a single JSON value (a string or a number) longer than ``MAX_TOKEN_BYTES``.
A file that cannot be read at all (a truncated or corrupt gzip stream, a
UTF-16/32 byte order mark) raises ``UnreadableFile`` naming it. The caller must not have
written anything by then: ``besa.interop.importer`` reads every file to the end before its
first write.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson
import orjson

from besa.exceptions import InvalidInput, UnreadableFile

_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = {
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\xfe\xff": "UTF-16",
    b"\xff\xfe": "UTF-16",
}
#: Longest JSON Lines line sniffed when detecting the format (a minified package is longer).
_MAX_LINE = 1 << 24
#: The longest single JSON token (string or number) read. The streaming parser (yajl, behind
#: ijson) lexes a token that spans its reads again from its start on every read, so a token of
#: n bytes costs O(n²): a 200 MB line took 148 s. No OCDS field comes near this size.
MAX_TOKEN_BYTES = 4 * 1024**2
#: ijson's read size: fewer re-lexings of a long token (up to ``MAX_TOKEN_BYTES``) than 64 KiB.
_PARSE_BUFFER = 1 << 20
_QUOTE = re.compile(rb'(?<!\\)"')
_LAST_QUOTE = re.compile(rb'(?s).*(?<!\\)"')
#: Package keys whose array holds the items to import.
_ITEM_KEYS = ("releases", "records")
#: Keys that make an object a release or a record, not a package (records have no ocid in
#: some real files, but always a compiled or versioned release, or both).
_RECORD_OR_RELEASE_KEYS = frozenset({"ocid", "compiledRelease", "versionedRelease"})


@dataclass(frozen=True)
class Item:
    """One release or record as read: ``line`` is its JSON Lines line (else ``None``) and
    ``path`` where it sits in its document (``releases[3]``, ``records[0]``, ``""``)."""

    line: int | None
    path: str
    data: Any
    publisher: str | None


class _Counted(io.RawIOBase):
    """A byte stream that counts what it delivered and stops past ``limit``."""

    def __init__(self, inner: IO[bytes], limit: int, name: str, raw: IO[bytes]) -> None:
        self.inner = inner
        self.raw = raw
        self.limit = limit
        self.name_for_errors = name
        self.position = 0
        #: Bytes since the last unescaped double quote (every token but a number or a
        #: literal ends or starts at one; an object's keys are quoted).
        self.since_quote = 0
        self.ended_in_backslash = False

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self.inner.close()
            self.raw.close()
        super().close()

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.inner.read(len(buffer))
        except (EOFError, OSError, zlib.error) as exc:
            raise UnreadableFile(
                self.name_for_errors, f"gzip truncado o dañado / truncated or corrupt gzip: {exc}"
            ) from None
        self.position += len(data)
        if self.position > self.limit:
            raise InvalidInput(
                self.name_for_errors,
                f"el archivo excede el límite de {self.limit} bytes / the file exceeds the "
                f"limit of {self.limit} bytes (BESA_IMPORT_MAX_BYTES)",
            )
        if data:
            self._check_tokens(data)
        buffer[: len(data)] = data
        return len(data)

    def _check_tokens(self, data: bytes) -> None:
        """Refuse a run of more than ``MAX_TOKEN_BYTES`` without an unescaped double quote:
        a string or number that long (two regular-expression searches per read: the cost is
        nothing beside parsing)."""
        first = _QUOTE.search(data)
        if first is not None and first.start() == 0 and self.ended_in_backslash:
            first = _QUOTE.search(data, 1)  # the quote is escaped by the previous read's end
        self.ended_in_backslash = data.endswith(b"\\")
        if first is None:
            self.since_quote += len(data)
            run = self.since_quote
        else:
            run = self.since_quote + first.start()
            last = _LAST_QUOTE.match(data)
            self.since_quote = len(data) - (last.end() if last else first.end())
        if run > MAX_TOKEN_BYTES:
            raise InvalidInput(
                f"{self.name_for_errors}: byte ~{self.position - len(data) + min(run, len(data))}",
                f"un solo valor JSON (texto o número) de más de {MAX_TOKEN_BYTES} bytes; "
                "ningún campo OCDS es tan largo / a single JSON value (string or number) "
                f"longer than {MAX_TOKEN_BYTES} bytes; no OCDS field is that long",
            )


def read(path: Path, *, max_bytes: int) -> Iterator[Item]:
    """Yield every release or record in ``path``, in file order.

    Raises ``InvalidInput`` (field: the file name plus line or byte) on a fatal problem,
    possibly after yielding earlier items.
    """
    name = path.name
    size = path.stat().st_size
    if size > max_bytes:
        raise InvalidInput(
            name,
            f"el archivo pesa {size} bytes, más que el límite de {max_bytes} / the file has "
            f"{size} bytes, more than the limit of {max_bytes} (BESA_IMPORT_MAX_BYTES)",
        )
    head = _head(path, 4096)
    if head is None or not head.strip():
        raise InvalidInput(name, "archivo vacío / empty file")
    for bom, encoding in _OTHER_BOMS.items():
        if head.startswith(bom):
            raise UnreadableFile(
                name,
                f"codificación {encoding}; conviértalo a UTF-8 / encoded as {encoding}; "
                "OCDS files must be UTF-8",
            )
    if _is_json_lines(path):
        yield from _json_lines(path, name, max_bytes)
    else:
        yield from _document(path, name, max_bytes)


def _open(path: Path, max_bytes: int) -> _Counted:
    raw = path.open("rb")  # closed by the returned stream
    inner: IO[bytes] = raw
    if raw.read(2) == _GZIP_MAGIC:
        raw.seek(0)
        inner = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
    else:
        raw.seek(0)
    stream = _Counted(inner, max_bytes, path.name, raw)
    if _peek_bom(path):
        stream.read(len(_UTF8_BOM))  # a UTF-8 BOM is harmless noise: skip it
    return stream


def _head(path: Path, size: int) -> bytes | None:
    with path.open("rb") as raw:
        start = raw.read(2)
        raw.seek(0)
        try:
            if start == _GZIP_MAGIC:
                with gzip.open(raw) as unzipped:
                    return unzipped.read(size)
            return raw.read(size)
        except (OSError, EOFError) as exc:
            raise UnreadableFile(path.name, f"gzip inválido / invalid gzip: {exc}") from None


def _peek_bom(path: Path) -> bool:
    head = _head(path, 3)
    return bool(head and head.startswith(_UTF8_BOM))


def _is_json_lines(path: Path) -> bool:
    """JSON Lines when the first non-blank line is a complete JSON object or array by itself
    and more content follows it (a one-line file is read as a document: same result)."""
    with _open(path, 1 << 62) as stream, io.BufferedReader(stream) as buffered:
        while raw := buffered.readline(_MAX_LINE):
            if not raw.strip():
                continue
            if not raw.endswith(b"\n") and len(raw) >= _MAX_LINE:
                return False  # a long minified document, not a line of JSON Lines
            try:
                orjson.loads(raw)
            except orjson.JSONDecodeError:
                return False
            while rest := buffered.readline(_MAX_LINE):
                if rest.strip():
                    return True
            return False
    return False


def _json_lines(path: Path, name: str, max_bytes: int) -> Iterator[Item]:
    with _open(path, max_bytes) as stream, io.BufferedReader(stream, 1 << 16) as buffered:
        for number, raw in enumerate(buffered, start=1):
            if not raw.strip():
                continue
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                # orjson refuses bad UTF-8 too: decode only now, to say which of the two.
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as bad:
                    raise InvalidInput(
                        f"{name}: line {number}",
                        f"bytes que no son UTF-8 en la posición {bad.start} / not UTF-8 at "
                        f"column {bad.start}",
                    ) from None
                raise InvalidInput(
                    f"{name}: line {number}",
                    f"JSON inválido o truncado / invalid or truncated JSON: {exc}",
                ) from None
            for item in _unpack(data, ""):
                yield Item(number, item.path, item.data, item.publisher)


def _unpack(data: Any, path: str) -> Iterator[Item]:
    """The items of one parsed JSON value (a package yields its releases or records)."""
    if isinstance(data, list):
        for index, element in enumerate(data):
            yield from _unpack(element, f"{path}[{index}]")
        return
    if isinstance(data, dict):
        for key in _ITEM_KEYS:
            if isinstance(data.get(key), list) and not _RECORD_OR_RELEASE_KEYS & data.keys():
                publisher = _publisher_name(data.get("publisher"))
                prefix = f"{path}." if path else ""
                for index, element in enumerate(data[key]):
                    yield Item(None, f"{prefix}{key}[{index}]", element, publisher)
                return
    yield Item(None, path, data, None)


def _publisher_name(publisher: Any) -> str | None:
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        return publisher["name"]
    return None


def _document(path: Path, name: str, max_bytes: int) -> Iterator[Item]:
    """A JSON document: a package is streamed item by item; anything else is one value."""
    key, publisher = _package_key(path, name, max_bytes)
    with _open(path, max_bytes) as stream:
        try:
            if key is None:
                for value in ijson.items(stream, "", use_float=True, buf_size=_PARSE_BUFFER):
                    yield from _unpack(value, "")
                return
            for index, value in enumerate(
                ijson.items(stream, f"{key}.item", use_float=True, buf_size=_PARSE_BUFFER)
            ):
                yield Item(None, f"{key}[{index}]", value, publisher)
            # ijson stops reading after the last item: read to the end, so that a file
            # truncated after its array is still caught.
            for _ in ijson.parse(_rest(stream)):
                pass
        except ijson.JSONError as exc:
            raise _json_error(name, stream.position, exc) from None


def _rest(stream: _Counted) -> Iterator[bytes]:
    while chunk := stream.read(1 << 16):
        yield chunk


def _package_key(path: Path, name: str, max_bytes: int) -> tuple[str | None, str | None]:
    """The package key (``releases``/``records``) of a JSON object document, and the
    publisher's name if it comes before the items; ``(None, None)`` for a lone release or
    record or an array."""
    publisher: str | None = None
    with _open(path, max_bytes) as stream:
        try:
            events = ijson.parse(stream, use_float=True, buf_size=_PARSE_BUFFER)
            for prefix, event, value in events:
                if prefix == "" and event == "start_array":
                    return None, None
                if prefix == "publisher.name" and event == "string":
                    publisher = value
                if prefix == "" and event == "map_key" and value in _RECORD_OR_RELEASE_KEYS:
                    return None, None
                if prefix in _ITEM_KEYS and event == "start_array":
                    return prefix, publisher
        except ijson.JSONError as exc:
            raise _json_error(name, stream.position, exc) from None
    return None, None


def _json_error(name: str, position: int, exc: Exception) -> InvalidInput:
    text = str(exc)
    if "UTF8" in text or "UTF-8" in text:
        return InvalidInput(
            f"{name}: byte ~{position}",
            "bytes que no son UTF-8; los archivos OCDS deben estar en UTF-8 / bytes that are "
            "not UTF-8; OCDS files must be UTF-8",
        )
    if "premature EOF" in text or "EOF" in text:
        return InvalidInput(
            f"{name}: byte ~{position}",
            "JSON truncado: el archivo termina a la mitad / truncated JSON: the file ends "
            "in the middle of a value",
        )
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return InvalidInput(f"{name}: byte ~{position}", f"JSON inválido / invalid JSON: {first}")

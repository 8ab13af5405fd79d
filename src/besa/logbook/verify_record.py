#!/usr/bin/env python3
"""Check a BESA verifiable contract record: one file, Python 3.10+, standard library only.

Usage::

    python3 verify_record.py registro.json --checkpoints checkpoints.json
    python3 verify_record.py registro.json --key <hex Ed25519 public key>

``registro.json`` is a contract's verifiable record (the citizens' portal, "Registro
verificable"); ``checkpoints.json`` is your own copy of the deployment's published signed
checkpoints (``/api/opendata/checkpoints.json``), or ``--key`` names the public key you trust.
Without either, the keys inside the record are used and the result says that it only proves
the record is consistent with itself, not that it comes from the deployment.

What it checks, and what a failure means:

1. **Each entry's content against its hash**: ``hash == sha256(prev_hash + canonical JSON of
   the content)`` (canonical: sorted keys, no spaces, UTF-8). Personal data in the content
   is a salted commitment ``{"$commitment": …}``, so the hash can be recomputed without it.
   A mismatch names the entry (sequence and id): its content was changed.
2. **The chain**: sequences 1, 2, 3… without gaps, each ``prev_hash`` the previous entry's
   hash (the first one 64 zeros). A break names the entry where it happens.
3. **The checkpoints**: each one the record relies on is signed (Ed25519) by a trusted key,
   and, with ``--checkpoints``, equal to your copy of the same number.
4. **Each entry's inclusion proof**: the Merkle path (RFC 6962 leaf and node hashing) from
   the entry's hash leads to the signed root of its checkpoint. A failure names the entry.
   Entries newer than the last checkpoint carry no proof; they are reported as "not yet
   covered by a checkpoint" (only checks 1-2 apply to them), and an entry that says so
   although a checkpoint in the record covers it fails.

Signatures are checked with the ``cryptography`` package when it is installed, else with the
pure-Python Ed25519 verification below (RFC 8032, section 6; slow but exact; tested against
``cryptography``'s signatures). Exit status: 0 verified, 1 not verified, 2 unreadable input.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

FORMAT = "besa-verifiable-record/1"
GENESIS = "0" * 64
NOT_COVERED = "not yet covered by a checkpoint"

# --- Ed25519 verification (RFC 8032 section 6, verification only) ------------------------

_P = 2**255 - 19
_Q = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
Point = tuple[int, int, int, int]


def _add(a: Point, b: Point) -> Point:
    x = (a[1] - a[0]) * (b[1] - b[0]) % _P
    y = (a[1] + a[0]) * (b[1] + b[0]) % _P
    c = 2 * a[3] * b[3] * _D % _P
    d = 2 * a[2] * b[2] % _P
    e, f, g, h = y - x, d - c, d + c, y + x
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _mul(scalar: int, point: Point) -> Point:
    result: Point = (0, 1, 1, 0)
    while scalar > 0:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _equal(a: Point, b: Point) -> bool:
    return (a[0] * b[2] - b[0] * a[2]) % _P == 0 and (a[1] * b[2] - b[1] * a[2]) % _P == 0


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


def _decompress(data: bytes) -> Point | None:
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_GY = 4 * pow(5, _P - 2, _P) % _P
_GX = _recover_x(_GY, 0) or 0
_G: Point = (_GX, _GY, 1, _GX * _GY % _P)


def ed25519_verify_pure(public: bytes, message: bytes, signature: bytes) -> bool:
    """RFC 8032 Ed25519 verification in pure Python (cofactorless, as the RFC writes it)."""
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _Q:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _Q
    return _equal(_mul(s, _G), _add(r, _mul(h, a)))


def ed25519_backend() -> str:
    """Which implementation checks signatures here: the ``cryptography`` package or the
    pure-Python code above."""
    try:
        import cryptography  # noqa: F401
    except ImportError:
        return "pure-Python Ed25519"
    return "the cryptography package"


def ed25519_verify(public_hex: str, message: bytes, signature_hex: str) -> bool:
    """Ed25519 verification: the ``cryptography`` package when installed, else pure Python."""
    try:
        public, signature = bytes.fromhex(public_hex), bytes.fromhex(signature_hex)
    except ValueError:
        return False
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        return ed25519_verify_pure(public, message, signature)
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# --- hashes, Merkle paths, checkpoint messages --------------------------------------------


def canonical(content: Mapping[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes an entry's hash is taken over."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(content)).hexdigest()


def root_from_path(leaf_hash: str, index: int, size: int, path: Sequence[str]) -> str | None:
    """The Merkle root the path leads to (None if its length does not fit the position).
    Leaves are ``sha256(0x00 + hash)``, nodes ``sha256(0x01 + left + right)``; the last node
    of a level with an odd count goes up unchanged, so it has no sibling at that level."""
    if not 0 <= index < size:
        return None
    node = hashlib.sha256(b"\x00" + bytes.fromhex(leaf_hash)).digest()
    steps = iter(path)
    width = size
    while width > 1:
        if index ^ 1 < width:
            step = next(steps, None)
            if step is None:
                return None
            other = bytes.fromhex(step)
            pair = other + node if index % 2 else node + other
            node = hashlib.sha256(b"\x01" + pair).digest()
        index //= 2
        width = (width + 1) // 2
    if next(steps, None) is not None:
        return None
    return node.hex()


def checkpoint_messages(c: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """What a checkpoint was signed as: version 2 (with its time), or version 1 (older)."""
    fields = ":".join(
        str(c[k])
        for k in ("number", "first_seq", "last_seq", "entry_count", "merkle_root", "previous_root")
    )
    return (
        f"besa-checkpoint:v2:{fields}:{c['created_at']}".encode(),
        f"besa-checkpoint:v1:{fields}".encode(),
    )


# --- the check ----------------------------------------------------------------------------


@dataclass
class Result:
    """What was checked. ``problems`` empty means verified."""

    ocid: str = ""
    entries: int = 0
    covered: int = 0
    not_covered: list[int] = field(default_factory=list)
    withheld: list[int] = field(default_factory=list)
    checkpoints: int = 0
    key_source: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return "NOT VERIFIED: " + self.problems[0]
        text = (
            f"VERIFIED: {self.ocid}: {self.entries} entries; {self.covered} proven included in "
            f"{self.checkpoints} signed checkpoint(s) ({self.key_source}; signatures checked "
            f"with {ed25519_backend()})"
        )
        if self.not_covered:
            seqs = ", ".join(str(s) for s in self.not_covered)
            text += f"; entries {seqs} {NOT_COVERED} (hash chain checked only)"
        if self.withheld:
            seqs = ", ".join(str(s) for s in self.withheld)
            text += (
                f"; entries {seqs} predate commitments: their content is withheld, their "
                "hash is proven included but cannot be recomputed"
            )
        return text


Key = tuple[str, int | None]


def _keys(items: Iterable[Any]) -> list[Key]:
    keys = []
    for item in items:
        if isinstance(item, Mapping):
            until = item.get("until_checkpoint")
            keys.append((str(item["key"]).lower(), int(until) if until is not None else None))
        else:
            text, _, until = str(item).partition("@")
            keys.append((text.strip().lower(), int(until) if until else None))
    return keys


def _signed_by(checkpoint: Mapping[str, Any], keys: Sequence[Key]) -> bool:
    number = int(checkpoint["number"])
    messages = checkpoint_messages(checkpoint)
    signature = str(checkpoint.get("signature", ""))
    return any(
        (until is None or number <= until)
        and any(ed25519_verify(key, m, signature) for m in messages)
        for key, until in keys
    )


def _name(entry: Mapping[str, Any]) -> str:
    return f"entry sequence {entry.get('sequence')} (id {entry.get('id')})"


def verify(
    record: Mapping[str, Any],
    keys: Sequence[Key] | None = None,
    published: Sequence[Mapping[str, Any]] | None = None,
    key_source: str = "",
) -> Result:
    """Check ``record`` (the parsed ``registro.json``). ``keys``: trusted ``(hex, until)``
    pairs; ``published``: your copy of the published checkpoints. See the module docstring."""
    result = Result(ocid=str(record.get("ocid", "")))
    problems = result.problems
    if record.get("format") != FORMAT:
        problems.append(f"not a BESA verifiable record (format {record.get('format')!r})")
        return result
    if keys is None:
        keys = _keys(record.get("public_keys") or [])
        key_source = (
            "keys taken from the record itself: this proves the record is consistent, not "
            "that it comes from the deployment; pass --checkpoints or --key"
        )
    result.key_source = key_source or "trusted keys given"
    mine = {int(c["number"]): dict(c) for c in published or []}

    checkpoints: dict[int, Mapping[str, Any]] = {}
    for c in record.get("checkpoints") or []:
        number = int(c["number"])
        if not _signed_by(c, keys):
            problems.append(f"checkpoint {number} is not signed by a trusted key")
        elif published is not None and mine.get(number) != dict(c):
            problems.append(
                f"checkpoint {number} is not in your copy of the checkpoints, or differs"
            )
        checkpoints[number] = c
    result.checkpoints = len(checkpoints)
    last_covered = max((int(c["last_seq"]) for c in checkpoints.values()), default=0)

    previous = GENESIS
    for position, entry in enumerate(record.get("entries") or [], 1):
        result.entries += 1
        name = _name(entry)
        if entry.get("sequence") != position:
            problems.append(f"{name}: expected sequence {position} (an entry is missing)")
        if entry.get("prev_hash") != previous:
            problems.append(f"{name}: prev_hash does not link to the previous entry")
        content = entry.get("content")
        if content is None:
            result.withheld.append(position)
        elif not isinstance(content, Mapping):
            problems.append(f"{name}: content is not an object")
        else:
            for key, wanted in (
                ("id", entry.get("id")),
                ("sequence", entry.get("sequence")),
                ("kind", entry.get("kind")),
                ("ocid", result.ocid),
            ):
                if content.get(key) != wanted:
                    problems.append(f"{name}: content {key} is {content.get(key)!r}")
            if entry_hash(str(entry.get("prev_hash", "")), content) != entry.get("hash"):
                problems.append(f"{name}: content does not match its hash (altered)")
        proof = entry.get("proof")
        seq = int(entry.get("seq", 0))
        if proof is not None and not isinstance(proof, Mapping):
            problems.append(f"{name}: proof is not an object")
        elif proof is None:
            if seq <= last_covered:
                problems.append(f"{name}: no inclusion proof although a checkpoint covers it")
            if entry.get("coverage") != NOT_COVERED:
                problems.append(f"{name}: coverage {entry.get('coverage')!r} without a proof")
            result.not_covered.append(position)
        else:
            checkpoint = checkpoints.get(int(proof.get("checkpoint", 0)))
            if checkpoint is None:
                problems.append(f"{name}: its checkpoint {proof.get('checkpoint')} is missing")
            elif not _placed(entry, proof, checkpoint):
                problems.append(
                    f"{name}: its seq, coverage or proof does not fit checkpoint "
                    f"{checkpoint['number']}"
                )
            else:
                try:
                    root = root_from_path(
                        str(entry.get("hash")),
                        int(proof["leaf_index"]),
                        int(checkpoint["entry_count"]),
                        list(proof["path"]),
                    )
                except (KeyError, TypeError, ValueError):
                    root = None
                if root != checkpoint["merkle_root"]:
                    problems.append(
                        f"{name}: inclusion proof does not lead to the signed root of "
                        f"checkpoint {checkpoint['number']}"
                    )
                else:
                    result.covered += 1
        previous = str(entry.get("hash"))
    if not result.entries:
        problems.append("the record has no entries")
    if record.get("not_yet_covered") != len(result.not_covered):
        problems.append(f"not_yet_covered says {record.get('not_yet_covered')!r}")
    return result


def _placed(entry: Mapping[str, Any], proof: Mapping[str, Any], c: Mapping[str, Any]) -> bool:
    """Whether an entry's global ``seq``, ``coverage`` and proof agree with its checkpoint:
    the seq lies in the checkpoint's range, no further from its start than the leaf's index
    allows (seq numbers may skip, never repeat), and the tree size is the checkpoint's."""
    try:
        seq, index = int(entry["seq"]), int(proof["leaf_index"])
        first, last = int(c["first_seq"]), int(c["last_seq"])
    except (KeyError, TypeError, ValueError):
        return False
    return (
        first <= seq <= last
        and index <= seq - first
        and proof.get("tree_size") == c["entry_count"]
        and entry.get("coverage") == f"checkpoint {c['number']}"
    )


def _read_checkpoints(where: str) -> Any:
    """The published checkpoints from a file, or downloaded from an http(s) URL."""
    if where.startswith(("https://", "http://")):
        import urllib.request

        with urllib.request.urlopen(where, timeout=30) as response:
            return json.loads(response.read())
    with open(where, encoding="utf-8") as handle:
        return json.load(handle)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("record", help="the contract's verifiable record (registro.json)")
    parser.add_argument(
        "--checkpoints",
        help="your copy of the published checkpoints (checkpoints.json), or its https:// URL",
    )
    parser.add_argument(
        "--key", action="append", default=[], help="a trusted public key (hex), repeatable"
    )
    args = parser.parse_args(argv)
    try:
        with open(args.record, encoding="utf-8") as handle:
            record = json.load(handle)
        published = None
        keys: list[Key] | None = _keys(args.key) if args.key else None
        source = "keys given with --key" if args.key else ""
        if args.checkpoints:
            copy = _read_checkpoints(args.checkpoints)
            published = copy.get("checkpoints", []) if isinstance(copy, Mapping) else copy
            if keys is None and isinstance(copy, Mapping):
                keys = _keys(copy.get("public_keys") or [])
                source = f"keys of {args.checkpoints}"
    except (OSError, ValueError, KeyError, TypeError) as exc:  # URLError is an OSError
        print(f"cannot read the input: {exc}", file=sys.stderr)
        return 2
    if not isinstance(record, Mapping):
        print("cannot read the input: the record is not a JSON object", file=sys.stderr)
        return 2
    try:
        result = verify(record, keys, published, source)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        print(f"NOT VERIFIED: the record is malformed ({exc!r})", file=sys.stderr)
        return 1
    stream = sys.stdout if result.verified else sys.stderr
    print(result.summary(), file=stream)
    for problem in result.problems[1:20]:
        print(f"  also: {problem}", file=stream)
    return 0 if result.verified else 1


if __name__ == "__main__":
    sys.exit(main())

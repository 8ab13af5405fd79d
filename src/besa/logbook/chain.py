"""The hash chain: canonical bytes of an entry and its SHA-256 link to the previous one.

``hash = sha256(prev_hash + canonical JSON of the entry)``, where the canonical JSON has sorted
keys, no insignificant white space and UTF-8 text (orjson with ``OPT_SORT_KEYS``). Every field
that states a fact is hashed; the global sequence and the idempotency key are bookkeeping and
are not. Changing any hashed field of any entry, or removing one, breaks the chain from there on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import orjson

#: prev_hash of the first entry of every contract.
GENESIS = "0" * 64

#: The entry fields covered by the hash, in the dict handed to ``entry_hash``.
HASHED_FIELDS = (
    "id",
    "ocid",
    "sequence",
    "kind",
    "occurred_at",
    "recorded_at",
    "actor",
    "payload",
    "documents",
)


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The canonical JSON bytes of the hashed fields of ``entry``."""
    return orjson.dumps({k: entry[k] for k in HASHED_FIELDS}, option=orjson.OPT_SORT_KEYS)


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """The hex SHA-256 of ``prev_hash`` (hex text) followed by the canonical entry."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(canonical(entry))
    return digest.hexdigest()

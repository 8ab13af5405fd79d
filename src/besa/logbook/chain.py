"""The hash chain: canonical bytes of an entry and its SHA-256 link to the previous one.

``hash = sha256(prev_hash + canonical JSON of the entry's hashed form)``, where the canonical
JSON has sorted keys, no insignificant white space and UTF-8 text (orjson with
``OPT_SORT_KEYS``), and the hashed form is the entry with the values the public may not see
replaced by salted commitments (``besa.logbook.disclosure``). Every field that states a fact
is hashed; the global sequence and the idempotency key are bookkeeping and are not. Changing
any hashed field of any entry (or a hidden value, which changes its commitment), or removing
an entry, breaks the chain from there on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import orjson

from besa.logbook.disclosure import hashed_form

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
    """The canonical JSON bytes of the hashed fields of ``entry`` (already in hashed form)."""
    return orjson.dumps({k: entry[k] for k in HASHED_FIELDS}, option=orjson.OPT_SORT_KEYS)


def entry_hash(prev_hash: str, entry: Mapping[str, Any], salt: str = "") -> str:
    """The hex SHA-256 of ``prev_hash`` (hex text) followed by the canonical hashed form of
    ``entry`` under ``salt`` (an empty salt: the entry as it is, for entries made before
    commitments)."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(canonical(hashed_form(entry, salt)))
    return digest.hexdigest()

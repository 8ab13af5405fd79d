"""The hash chain and Merkle roots (pure)."""

from __future__ import annotations

import hashlib

from besa.logbook.chain import GENESIS, canonical, entry_hash
from besa.logbook.merkle import EMPTY_ROOT, merkle_root

ENTRY = {
    "id": "0b9f3c1e-0000-4000-8000-000000000001",
    "ocid": "ocds-besa00-x",
    "sequence": 1,
    "kind": "payment",
    "occurred_at": "2025-06-10T12:00:00.000000+00:00",
    "recorded_at": "2025-06-10T12:00:01.000000+00:00",
    "actor": {"user": "oper", "role": "operator", "institution": ""},
    "payload": {"amount": "10.00", "date": "2025-06-10"},
    "documents": [],
    "prev_hash": GENESIS,
    "hash": "ignored",
}


def test_the_canonical_form_ignores_key_order_and_bookkeeping() -> None:
    shuffled = dict(reversed(list(ENTRY.items())))
    shuffled["hash"] = "something else"
    assert canonical(shuffled) == canonical(ENTRY)


def test_the_hash_covers_the_previous_hash_and_every_fact() -> None:
    base = entry_hash(GENESIS, ENTRY)
    assert base == hashlib.sha256(GENESIS.encode() + canonical(ENTRY)).hexdigest()
    assert entry_hash("1" * 64, ENTRY) != base
    for field, value in [
        ("payload", {"amount": "10.01", "date": "2025-06-10"}),
        ("sequence", 2),
        ("kind", "penalty"),
        ("occurred_at", "2025-06-11T12:00:00.000000+00:00"),
    ]:
        assert entry_hash(GENESIS, {**ENTRY, field: value}) != base, field


def test_a_merkle_root_commits_to_order_and_length() -> None:
    hashes = [hashlib.sha256(bytes([i])).hexdigest() for i in range(5)]
    root = merkle_root(hashes)
    assert merkle_root(hashes) == root
    assert merkle_root(list(reversed(hashes))) != root
    assert merkle_root(hashes[:4]) != root
    assert merkle_root(hashes + hashes[-1:]) != root  # duplicating the odd leaf is not a no-op
    assert merkle_root([]) == EMPTY_ROOT

"""Merkle roots over entry hashes (RFC 6962 tree hashing: domain-separated leaves and nodes).

The leaf and node prefixes keep a leaf from ever being confused with an inner node, so a root
commits to the exact ordered list of entry hashes and to its length.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def merkle_root(hashes: Iterable[str]) -> str:
    """The hex Merkle root of the given hex hashes, in order. Empty input gives ``EMPTY_ROOT``."""
    level = [hashlib.sha256(b"\x00" + bytes.fromhex(h)).digest() for h in hashes]
    if not level:
        return EMPTY_ROOT
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])  # an odd node is promoted unchanged, as in RFC 6962
        level = paired
    return level[0].hex()

"""Merkle roots over entry hashes (RFC 6962 tree hashing: domain-separated leaves and nodes).

The leaf and node prefixes keep a leaf from ever being confused with an inner node, so a root
commits to the exact ordered list of entry hashes and to its length.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator

EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def leaf(hash_hex: str) -> bytes:
    """A leaf: ``sha256(0x00 + hash)``."""
    return hashlib.sha256(b"\x00" + bytes.fromhex(hash_hex)).digest()


def node(left: bytes, right: bytes) -> bytes:
    """An inner node: ``sha256(0x01 + left + right)``."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def levels(hashes: Iterable[str]) -> Iterator[list[bytes]]:
    """Each level of the tree over the given hex hashes, leaves first, the root's level (one
    node) last; nothing for no hashes. An odd node is promoted unchanged, as in RFC 6962."""
    level = [leaf(h) for h in hashes]
    if not level:
        return
    yield level
    while len(level) > 1:
        paired = [node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
        yield level


def merkle_root(hashes: Iterable[str]) -> str:
    """The hex Merkle root of the given hex hashes, in order. Empty input gives ``EMPTY_ROOT``."""
    last = deque(levels(hashes), maxlen=1)  # keeps one level at a time, then the root's
    return last[0][0].hex() if last else EMPTY_ROOT

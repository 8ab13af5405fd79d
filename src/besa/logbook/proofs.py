"""Merkle inclusion proofs: that one entry's hash is a leaf of a signed checkpoint's root.

A checkpoint signs the root of the tree ``besa.logbook.merkle.merkle_root`` builds over the
hashes of entries ``first_seq..last_seq`` (global order): leaves ``sha256(0x00 + hash)``,
nodes ``sha256(0x01 + left + right)``, and an odd node at the end of a level promoted
unchanged to the next level. A proof is the list of sibling hashes from the leaf up to the
root; its shape (which side each sibling is on, where a level has no sibling) follows from
the leaf's index and the tree's size alone, so a verifier derives the sides itself. The
index is the entry's position among the checkpoint's entries in ``seq`` order (``seq`` may
have gaps: PostgreSQL does not reuse the number of a rolled-back insert).

Walking a path back up to its root is the standalone verifier's ``root_from_path``
(``besa.logbook.verify_record``, standard library only): every proof handed out is checked
with the very function citizens run; tests check the paths against ``merkle_root``.

Cost: the first proof in a checkpoint builds that checkpoint's whole tree from its stored
hashes (32,251 leaves: 0.1–0.2 s here) and keeps it for the process's life (about 220 bytes per
leaf; eight checkpoints at most). The worker checkpoints every few minutes, so trees stay
small, but a first checkpoint over a large imported history (millions of entries) would make
that first proof slow and memory-hungry: such a deployment would store the tree's levels.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from besa.logbook import merkle
from besa.logbook.models import Checkpoint, Entry
from besa.logbook.verify_record import root_from_path


def tree_levels(hashes: Sequence[str]) -> list[list[bytes]]:
    """Every level of the tree over ``hashes`` (hex), leaves first, the root level last."""
    return list(merkle.levels(hashes))


def inclusion_path(levels: Sequence[Sequence[bytes]], index: int) -> list[str]:
    """The sibling hashes (hex) of leaf ``index``, bottom up; a level where the node is the
    promoted odd one contributes nothing."""
    path = []
    for level in levels[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(level[sibling].hex())
        index //= 2
    return path


@lru_cache(maxsize=8)
def _checkpoint_tree(
    number: int, first_seq: int, last_seq: int, root: str
) -> tuple[dict[int, int], list[list[bytes]]]:
    # A checkpoint never changes (append-only rows), so its tree is cached; its range and
    # root are part of the key so that another database (a test's, a restored copy) never
    # reuses a stale tree.
    rows = list(
        Entry.objects.filter(seq__gte=first_seq, seq__lte=last_seq)
        .order_by("seq")
        .values_list("seq", "hash")
    )
    return {seq: i for i, (seq, _) in enumerate(rows)}, tree_levels([h for _, h in rows])


def proofs_for(seqs_and_hashes: Sequence[tuple[int, str]]) -> dict[int, dict[str, object]]:
    """Inclusion proofs for the given entries (global ``seq``, ``hash``), keyed by ``seq``;
    entries newer than the last checkpoint have none.

    Each proof: ``checkpoint`` (number), ``leaf_index`` (the entry's position among the
    checkpoint's entries), ``tree_size`` (the checkpoint's ``entry_count``) and ``path``
    (sibling hashes, bottom up). Each covering checkpoint's tree is built once from the
    entries' stored hashes; a proof is checked against the checkpoint's signed root before
    it is handed out, so a database whose hashes no longer match its checkpoints gives no
    proof rather than a false one."""
    if not seqs_and_hashes:
        return {}
    low = min(s for s, _ in seqs_and_hashes)
    high = max(s for s, _ in seqs_and_hashes)
    covering = list(
        Checkpoint.objects.filter(last_seq__gte=low, first_seq__lte=high).order_by("number")
    )
    found: dict[int, dict[str, object]] = {}
    for seq, hash_hex in seqs_and_hashes:
        checkpoint = next((c for c in covering if c.first_seq <= seq <= c.last_seq), None)
        if checkpoint is None:
            continue
        positions, levels = _checkpoint_tree(
            checkpoint.number, checkpoint.first_seq, checkpoint.last_seq, checkpoint.merkle_root
        )
        index = positions.get(seq)
        if index is None:
            continue
        path = inclusion_path(levels, index)
        size = len(levels[0])
        if root_from_path(hash_hex, index, size, path) != checkpoint.merkle_root:
            continue
        found[seq] = {
            "checkpoint": checkpoint.number,
            "leaf_index": index,
            "tree_size": size,
            "path": path,
        }
    return found

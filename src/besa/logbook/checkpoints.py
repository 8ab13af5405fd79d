"""Making checkpoints: a signed Merkle root over every entry since the previous checkpoint."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from besa.logbook import signing
from besa.logbook.merkle import EMPTY_ROOT, merkle_root
from besa.logbook.models import Checkpoint, Entry


def make_checkpoint(now: dt.datetime | None = None) -> Checkpoint | None:
    """Checkpoint all entries after the last checkpoint; None when there are none.

    Safe to call from several processes at once: on PostgreSQL the entry table is locked
    against inserts for the duration (so no entry with a lower ``seq`` can commit after the
    root is taken), and SQLite serialises writers anyway.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Entry._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        last = Checkpoint.objects.order_by("-number").first()
        after = last.last_seq if last else 0
        hashes = list(
            Entry.objects.filter(seq__gt=after).order_by("seq").values_list("seq", "hash")
        )
        if not hashes:
            return None
        checkpoint = Checkpoint(
            first_seq=hashes[0][0],
            last_seq=hashes[-1][0],
            entry_count=len(hashes),
            merkle_root=merkle_root(h for _, h in hashes),
            previous_root=last.merkle_root if last else EMPTY_ROOT,
            created_at=now or timezone.now(),
            public_key=signing.public_key_hex(),
        )
        # The number is part of the signed message, so take it before signing.
        checkpoint.number = (last.number if last else 0) + 1
        checkpoint.signature = signing.sign(checkpoint.message())
        checkpoint.save(force_insert=True)
        return checkpoint


def checkpoint_job(now: dt.datetime) -> int:
    """Worker job: make a checkpoint when there are new entries. Returns entries covered."""
    checkpoint = make_checkpoint(now)
    return checkpoint.entry_count if checkpoint else 0

"""Making checkpoints: a signed Merkle root over every entry since the previous checkpoint,
copied at once to the published place outside the database (``besa.logbook.publication``)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from besa.exceptions import PublicationError
from besa.logbook import publication, signing
from besa.logbook.merkle import EMPTY_ROOT, merkle_root
from besa.logbook.models import Checkpoint, Entry


def make_checkpoint(now: dt.datetime | None = None) -> Checkpoint | None:
    """Checkpoint all entries after the last checkpoint; None when there are none.

    Safe to call from several processes at once: on PostgreSQL the entry table is locked
    against inserts for the duration (so no entry with a lower ``seq`` can commit after the
    root is taken), and SQLite serialises writers anyway. Refuses (``ConfigurationError``) to
    sign with a key the deployment does not trust. The checkpoint is published once its
    transaction is done; when the published place cannot be reached it stays pending and the
    next call publishes it (``publish_pending``).
    """
    signing.check_signing_key()
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
            checkpoint = None
        else:
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
    # Published after the transaction, never before: a checkpoint that rolled back must not
    # stand in the published copy. (Called inside an outer transaction, as in tests, it is
    # published when this function returns.)
    publish_pending()
    return checkpoint


def publish_pending() -> int:
    """Publish the checkpoints the published copy does not hold yet; returns how many.

    Idempotent. Only checkpoints signed by a trusted key are published, so a row forged in
    the database never reaches the published copy. Returns 0 (and logs) when the place cannot
    be reached; nothing is lost, the next call tries again."""
    log = publication.configured()
    try:
        last = log.last_number()
    except PublicationError as exc:
        publication.logger.warning("checkpoints not published: %s", exc)
        return 0
    keys = signing.trusted_keys()
    published = 0
    for checkpoint in Checkpoint.objects.filter(number__gt=last).order_by("number"):
        if (
            signing.signed_by_trusted(
                checkpoint.number, checkpoint.messages(), checkpoint.signature, keys
            )
            is None
        ):
            publication.logger.warning("checkpoint %s is not signed by a trusted key", checkpoint)
            break
        if not publication.publish(checkpoint.as_published(), log):
            break
        published += 1
    return published


def checkpoint_job(now: dt.datetime) -> int:
    """Worker job: make a checkpoint when there are new entries (and publish any pending).
    Returns the entries covered."""
    checkpoint = make_checkpoint(now)
    return checkpoint.entry_count if checkpoint else 0

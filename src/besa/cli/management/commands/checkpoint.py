from typing import Any

from django.core.management.base import BaseCommand

from besa.exceptions import PublicationError
from besa.logbook import publication
from besa.logbook.checkpoints import make_checkpoint


class Command(BaseCommand):
    help = (
        "Make a signed Merkle checkpoint of every entry since the last checkpoint and publish "
        "it (with any still pending) to BESA_CHECKPOINT_LOG."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = make_checkpoint()
        log = publication.configured()
        if checkpoint is None:
            self.stdout.write(f"no new entries since the last checkpoint (published: {log.where})")
            return
        try:
            published = log.last_number() >= checkpoint.number
        except PublicationError:
            published = False
        self.stdout.write(
            f"checkpoint {checkpoint.number}: entries {checkpoint.first_seq}–{checkpoint.last_seq}"
            f" ({checkpoint.entry_count}), root {checkpoint.merkle_root}, "
            f"key {checkpoint.public_key}, "
            + (f"published to {log.where}" if published else f"NOT yet published to {log.where}")
        )

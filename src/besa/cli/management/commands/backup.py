import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from besa import backup
from besa.exceptions import BackupError


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump), the evidence documents and "
        "the published checkpoints into a new directory; safe while BESA runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            metavar="DIR",
            help="a new or empty directory (default ./besa-backup-<UTC time>)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"] or backup.now_label())
        try:
            summary = backup.take(out)
        except BackupError as exc:
            self.stderr.write(f"besa backup: {exc}")
            sys.exit(2)
        self.stdout.write(f"backup written to {out}: {summary.describe()}")
        for sha in summary.missing_documents[:10]:
            self.stderr.write(f"warning: document {sha} is in the database but not in storage")

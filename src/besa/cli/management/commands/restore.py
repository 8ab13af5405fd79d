import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from besa import backup
from besa.exceptions import BackupError


class Command(BaseCommand):
    # The target is empty: the start-up checks (the logbook's triggers) would refuse it.
    requires_system_checks: list[str] = []
    help = (
        "Restore a backup made by `besa backup` into the empty database of BESA_DATABASE_URL, "
        "with its documents and published checkpoints; then run `besa verify`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", metavar="DIR", help="the backup directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup.restore(Path(options["source"]))
        except BackupError as exc:
            self.stderr.write(f"besa restore: {exc}")
            sys.exit(2)
        self.stdout.write(f"restored {summary.describe()}; now run `besa verify`")

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from besa.logbook.rebuild import rebuild


class Command(BaseCommand):
    help = "Recompute every contract state projection and registry row from the logbook alone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="only report differences; exit 1 if any"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = rebuild(write=not options["check"])
        self.stdout.write(
            f"{report.contracts} contracts, {report.entries} entries folded; "
            f"{len(report.changed)} projections differed"
        )
        for ocid in report.changed[:20]:
            self.stdout.write(f"  differed: {ocid}")
        for ocid, what in report.registry_rows[:20]:
            self.stdout.write(f"  registry row differed: {ocid}: {what}")
        if options["check"] and report.changed:
            sys.exit(1)

import sys
from typing import Any

from django.core.management.base import BaseCommand

from besa.logbook.verify import verify


class Command(BaseCommand):
    help = "Recompute every entry hash, chain link and checkpoint; exit 1 naming the first break."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify()
        if report.intact:
            self.stdout.write(
                f"intact: {report.entries} entries in {report.contracts} contracts, "
                f"{report.checkpoints} checkpoints verified"
            )
            return
        first = report.breaks[0]
        self.stderr.write(f"BROKEN: {first.describe()}")
        if len(report.breaks) > 1:
            self.stderr.write(f"({len(report.breaks) - 1} more breaks after the first)")
        sys.exit(1)

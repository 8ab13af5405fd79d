import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from besa.exceptions import ConfigurationError
from besa.logbook import publication
from besa.logbook.verify import verify


class Command(BaseCommand):
    # It reports missing triggers itself instead of being stopped by the start-up check.
    requires_system_checks: list[str] = []
    help = (
        "Recompute every entry hash, chain link and checkpoint and compare the checkpoints "
        "with their published copy; exit 1 naming the first break."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            metavar="DIR|URL",
            help="another published copy of the checkpoints (a directory, or a URL such as "
            "https://…/api/opendata/checkpoints.json); default BESA_CHECKPOINT_LOG",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        against = publication.open_log(options["against"]) if options["against"] else None
        try:
            report = verify(against=against)
        except ConfigurationError as exc:
            self.stderr.write(f"besa verify: {exc}")
            sys.exit(2)
        if report.intact:
            self.stdout.write(
                f"intact: {report.entries} entries in {report.contracts} contracts, "
                f"{report.checkpoints} checkpoints verified, {report.published} published "
                f"checkpoints matched ({report.against})"
            )
            return
        first = report.breaks[0]
        self.stderr.write(f"BROKEN: {first.describe()}")
        for other in report.breaks[1:10]:
            self.stderr.write(f"        {other.describe()}")
        if len(report.breaks) > 10:
            self.stderr.write(f"({len(report.breaks) - 10} more breaks)")
        sys.exit(1)

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from besa.exceptions import ConfigurationError, PublicationError
from besa.logbook import publication, signing, verify_record
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
        parser.add_argument(
            "--record",
            metavar="FILE",
            help="check a downloaded verifiable contract record (registro.json) instead: "
            "its entries' hashes, chain and inclusion proofs, against the trusted keys "
            "(BESA_CHECKPOINT_PUBLIC_KEY) and the published checkpoints",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["record"]:
            self._record(options["record"], options["against"])
            return
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

    def _record(self, path: str, against: str | None) -> None:
        """``--record``: the standalone verifier's check (``besa.logbook.verify_record``)
        with the deployment's trusted keys and its published copy of the checkpoints."""
        try:
            with open(path, encoding="utf-8") as handle:
                record = json.load(handle)
            keys = [(k.hex, k.until) for k in signing.trusted_keys()]
            log = publication.open_log(against) if against else publication.configured()
            published = log.read()
        except (OSError, ValueError) as exc:
            self.stderr.write(f"besa verify: {path}: {exc}")
            sys.exit(2)
        except (ConfigurationError, PublicationError) as exc:
            self.stderr.write(f"besa verify: {exc}")
            sys.exit(2)
        try:
            result = verify_record.verify(
                record, keys, published, f"trusted keys, checkpoints published at {log.where}"
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self.stderr.write(f"NOT VERIFIED: the record is malformed ({exc!r})")
            sys.exit(1)
        if result.verified:
            self.stdout.write(result.summary())
            return
        self.stderr.write(result.summary())
        for problem in result.problems[1:20]:
            self.stderr.write(f"  also: {problem}")
        sys.exit(1)

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from besa.ocds.publish import write_package
from besa.registry.models import Contract


class Command(BaseCommand):
    help = "Export open data. `besa export ocds --records|--releases --out FILE`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["ocds"])
        kind = parser.add_mutually_exclusive_group(required=True)
        kind.add_argument("--records", action="store_true", help="a record package")
        kind.add_argument("--releases", action="store_true", help="a release package")
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--institution", help="only this institution's contracts (code)")

    def handle(self, *args: Any, **options: Any) -> None:
        contracts = Contract.objects.filter(state__last_sequence__gt=0)
        if options["institution"]:
            contracts = contracts.filter(buying_unit__institution__code=options["institution"])
        out: Path = options["out"]
        tmp = out.with_name(out.name + ".partial")
        try:
            with tmp.open("wb") as handle:
                count = write_package(handle, contracts, records=options["records"])
            tmp.replace(out)  # never leave a half-written package under the final name
        except OSError as exc:
            raise CommandError(f"--out: {exc}") from exc
        what = "records" if options["records"] else "releases"
        self.stdout.write(f"{count} {what} written to {out}")

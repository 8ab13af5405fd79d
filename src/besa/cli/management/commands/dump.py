"""``besa dump --out DIR [--date YYYY-MM-DD]``: the daily bulk dump of public open data.

Writes ``DIR/<date>/`` (OCDS packages, CSV, XLSX, ``manifest.json`` with SHA-256 and counts)
atomically; ``--date`` defaults to today and means "as recorded by the end of that day".
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from besa.exceptions import InvalidInput
from besa.jurisdiction import from_env
from besa.opendata.dump import dump
from besa.opendata.selection import parse_day


class Command(BaseCommand):
    help = "Write the bulk open-data dump of one day: `--out DIR [--date YYYY-MM-DD]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--date", help="the day (default: today in the jurisdiction)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        try:
            day = parse_day("--date", options["date"]) or now.astimezone(from_env().zone).date()
            manifest = dump(options["out"], day, now)
        except InvalidInput as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        for item in manifest["files"]:
            self.stdout.write(f"{item['name']}: {item['count']} ({item['bytes']} bytes)")
        self.stdout.write(f"dump of {day} written to {options['out'] / day.isoformat()}")

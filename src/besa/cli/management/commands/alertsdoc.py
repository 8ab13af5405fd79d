from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from besa.jurisdiction import load
from besa.rules.document import catalogue_markdown


class Command(BaseCommand):
    help = "Write the alert catalogue (docs/alerts.md) from the rule definitions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=Path("docs/alerts.md"))
        parser.add_argument("--jurisdiction", default="mx-federal")

    def handle(self, *args: Any, **options: Any) -> None:
        options["out"].write_text(catalogue_markdown(load(options["jurisdiction"])))
        self.stdout.write(f"wrote {options['out']}")

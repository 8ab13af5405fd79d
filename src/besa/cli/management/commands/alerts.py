from typing import Any

import orjson
from django.core.management.base import BaseCommand, CommandParser

from besa.alerts.models import AlertState
from besa.alerts.queries import as_item, visible_alerts


class Command(BaseCommand):
    help = "List alerts (all institutions: this is an operator's console command)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--institution", help="institution code, e.g. IMSS")
        parser.add_argument("--rule", help="rule code, e.g. A12")
        parser.add_argument("--state", choices=[s.value for s in AlertState])
        parser.add_argument("--ocid")
        parser.add_argument("--limit", type=int, default=0, help="at most this many (0: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        alerts = visible_alerts(
            None,
            institution=options["institution"],
            rule=options["rule"],
            state=options["state"],
            ocid=options["ocid"],
        )
        if options["limit"]:
            alerts = alerts[: options["limit"]]
        if options["format"] == "json":
            items = [as_item(a) for a in alerts.iterator(chunk_size=500)]
            self.stdout.write(orjson.dumps(items, option=orjson.OPT_INDENT_2).decode())
            return
        count = 0
        for alert in alerts.iterator(chunk_size=500):
            count += 1
            self.stdout.write(
                f"{alert.rule} {alert.severity} {alert.state:<13} {alert.ocid} "
                f"{alert.subject} {alert.summary[:80]}"
            )
        self.stdout.write(f"{count} alerts")

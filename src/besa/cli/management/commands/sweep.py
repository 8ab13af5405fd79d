import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from besa.alerts.escalation import escalate
from besa.alerts.sweep import sweep


class Command(BaseCommand):
    help = "One deadline pass: re-evaluate due contracts and escalate unattended alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO-8601 moment to sweep as of (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"--now: not an ISO-8601 moment: {options['now']!r}") from exc
            if now.tzinfo is None:
                raise CommandError("--now: give a time zone offset, e.g. 2026-01-31T09:00-06:00")
        report = sweep(now)
        escalated = escalate(now)
        self.stdout.write(
            f"{report.contracts} contracts evaluated, {report.opened} alerts opened, "
            f"{report.corrected} corrected, {escalated} escalated"
        )

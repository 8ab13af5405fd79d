import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from besa.cli import worker


class Command(BaseCommand):
    help = "Run the background worker (periodic jobs) until SIGTERM/SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run every job once and exit")
        parser.add_argument(
            "--every",
            action="append",
            default=[],
            metavar="JOB=SECONDS",
            help="run JOB at this interval instead of its default (repeatable), e.g. "
            "--every notify=2 --every checkpoint=60",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for item in options["every"]:
            name, _, seconds = item.partition("=")
            try:
                worker.set_interval(name.strip(), float(seconds))
            except KeyError:
                raise CommandError(
                    f"--every {item}: no job named {name!r} (jobs: {', '.join(worker.names())})"
                ) from None
            except ValueError:
                raise CommandError(f"--every {item}: give JOB=SECONDS, seconds > 0") from None
        if options["once"]:
            for name, count in worker.run_once().items():
                self.stdout.write(f"{name}: {count}")
            return
        stop = threading.Event()
        worker.install_signal_handlers(stop)
        worker.loop(stop)

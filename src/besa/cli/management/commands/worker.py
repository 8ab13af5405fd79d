import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from besa.cli import worker


class Command(BaseCommand):
    help = "Run the background worker (periodic jobs) until SIGTERM/SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            for name, count in worker.run_once().items():
                self.stdout.write(f"{name}: {count}")
            return
        stop = threading.Event()
        worker.install_signal_handlers(stop)
        worker.loop(stop)

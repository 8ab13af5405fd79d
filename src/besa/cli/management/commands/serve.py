from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from besa.cli.server import serve


class Command(BaseCommand):
    help = "Serve the web application and API with a production WSGI server (waitress)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        serve(options["host"], options["port"], options["threads"])

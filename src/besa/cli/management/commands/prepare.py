"""``besa prepare``: Cardinal-compatible; the work is in :mod:`besa.cardinal.cli`.

``besa prepare`` is normally dispatched before Django starts (see ``besa/__main__.py``); this
command makes the same interface available to ``call_command`` and ``django-admin``. Its
parser is Cardinal's alone: Django's own ``--settings`` would clash with Cardinal's.
"""

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from besa.cardinal.cli import COMMANDS

NAME = "prepare"


class Command(BaseCommand):
    help = COMMANDS[NAME][0]

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = CommandParser(prog=f"{prog_name} {subcommand}", description=self.help, **kwargs)
        COMMANDS[NAME][1](parser)
        parser.set_defaults(
            force_color=False, no_color=False, skip_checks=True, traceback=False, verbosity=1
        )
        return parser

    def handle(self, *args: Any, **options: Any) -> None:
        status = COMMANDS[NAME][2](argparse.Namespace(**options), self.stdout, self.stderr)
        if status:
            sys.exit(status)

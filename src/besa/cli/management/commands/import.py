"""``besa import SOURCE FILE…``: one front door for every importer.

Each source lives in its own module under :mod:`besa.cli.imports` that defines
``add_arguments(parser)`` and ``handle(options, stdout) -> int`` (the exit status). The
table below is the only place that lists them, so adding a source touches one line here.

A file that cannot be read at all (missing, unreadable, truncated or corrupt gzip, wrong
encoding: ``UnreadableFile`` or an ``OSError`` with a file name) ends every source the same
way: one line on standard error naming the file, exit status 2, nothing written.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from besa.exceptions import UnreadableFile

#: Exit status of an input file that cannot be read.
UNREADABLE = 2

#: subcommand → module under besa.cli.imports
SOURCES = {
    "ocds": "ocds",
    "compranet-csv": "compranet",
    "sat-69b": "sat69b",
    "sat-69": "sat69",
    "budgets": "budgets",
    "pef-limits": "peflimits",
    "rescissions": "rescissions",
    "market-research": "marketresearch",
    "sanctions": "sanctions",
    "cfdi": "cfdi",
    "tesofe": "tesofe",
    "sicop": "sicop",
    "compliance": "compliance",
}


class Command(BaseCommand):
    help = "Import data from other systems: " + ", ".join(SOURCES) + "."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        for name, module in SOURCES.items():
            try:
                source = importlib.import_module(f"besa.cli.imports.{module}")
            except ModuleNotFoundError as exc:
                if exc.name != f"besa.cli.imports.{module}":
                    raise
                continue  # not built yet: the subcommand is simply absent
            doc = (source.__doc__ or "").strip().splitlines()
            child = sub.add_parser(name, help=doc[0] if doc else None)
            source.add_arguments(child)

    def handle(self, *args: Any, **options: Any) -> None:
        module = importlib.import_module(f"besa.cli.imports.{SOURCES[options['source']]}")
        try:
            status = module.handle(options, self.stdout)
        except UnreadableFile as exc:
            self._unreadable(exc.path, exc.reason)
        except OSError as exc:
            if exc.filename is None:
                raise
            self._unreadable(str(exc.filename), exc.strerror or str(exc))
        if status:
            sys.exit(status)

    def _unreadable(self, path: str, reason: str) -> None:
        line = " ".join(f"error: {path}: {reason}".split())  # one line, whatever the reason
        self.stderr.write(f"{line}; nada fue importado / nothing was imported")
        sys.exit(UNREADABLE)

"""``besa indicators|coverage|prepare``: the command lines of ``ocdscardinal`` 0.0.8.

Thin: parse the arguments, call one function of :mod:`besa.cardinal`, print. The same parser is
used by ``python -m besa`` (which dispatches here before Django starts, because start-up time
matters for batch runs) and by the Django management commands of the same names.

Exit status: 0 on success; 1 when the input file cannot be read; 2 for bad arguments or bad
settings (the message names the key, e.g. ``R024.threshold``), as Cardinal's exit codes.
Invalid JSON lines are not errors: they are skipped with a ``WARN Line N …`` on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from besa.exceptions import InvalidInput


class Writer(Protocol):
    """Where a command writes text: ``sys.stdout`` or Django's ``OutputWrapper``."""

    def write(self, text: str, /) -> Any: ...


Runner = Callable[[argparse.Namespace, Writer, Writer], int]


def add_indicators_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="compiled releases as JSON Lines, or - for stdin"
    )
    parser.add_argument(
        "-s", "--settings", help="the settings file (INI); without it nothing is computed"
    )
    parser.add_argument(
        "-c", "--count", action="store_true", help="print the number of results per group to stderr"
    )
    parser.add_argument("--no-meta", action="store_true", help="exclude the Meta key")
    parser.add_argument("--map", action="store_true", help="include the Maps key")
    parser.add_argument(
        "-j",
        "--workers",
        type=int,
        default=None,
        help="worker threads (default: available cores)",
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="accepted for compatibility"
    )


def add_coverage_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="JSON Lines, or - for stdin")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="accepted for compatibility"
    )


def add_prepare_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="compiled releases as JSON Lines, or - for stdin"
    )
    parser.add_argument("-s", "--settings", help="the settings file (INI)")
    parser.add_argument(
        "-o", "--output", required=True, help="the prepared JSON Lines (- for stdout)"
    )
    parser.add_argument(
        "-e", "--errors", required=True, help="the data quality issues as CSV (- for stdout)"
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="accepted for compatibility"
    )


def _os_error(exc: OSError, name: str) -> str:
    """``notfound: No such file or directory (os error 2)``, as Cardinal words it."""
    if isinstance(exc, IsADirectoryError):
        return f"{exc.filename or name}: {exc.strerror}"
    return f"{exc.filename or name}: {exc.strerror or exc} (os error {exc.errno})"


def _source(name: str) -> Any:
    return sys.stdin.buffer.read() if name == "-" else name


def run_indicators(options: argparse.Namespace, stdout: Writer, stderr: Writer) -> int:
    if options.workers != 1 and "polars" not in sys.modules:
        # The engine's worker threads (one per core) are the parallelism: Polars' own pool
        # on top of them only adds buffers in flight (peak 511 → 448 MiB on 2 cores, same CPU).
        os.environ.setdefault("POLARS_MAX_THREADS", "1")
    from besa.cardinal import engine, output, settings

    def warn(message: str) -> None:
        stderr.write(message if message.startswith(("WARN", "INFO")) else f"WARN {message}")
        stderr.write("\n")

    try:
        loaded = settings.load(options.settings)
        # Streamed: the document of a big file is never built as Python objects. Each chunk
        # is whole UTF-8 (orjson output), so it decodes alone.
        counts = engine.write(
            _source(options.file),
            loaded,
            lambda chunk: stdout.write(chunk.decode()),
            workers=options.workers,
            meta=not options.no_meta,
            maps=options.map,
            warn=warn,
        )
    except InvalidInput as exc:
        stderr.write(f"error: settings: {exc}\n")
        return 2
    except OSError as exc:
        stderr.write(f"error: {_os_error(exc, options.file)}\n")
        return 1
    stdout.write("\n")
    if options.count:
        for line in output.count_lines(counts):
            stderr.write(line + "\n")
    return 0


def run_coverage(options: argparse.Namespace, stdout: Writer, stderr: Writer) -> int:
    import orjson

    from besa.cardinal import coverage

    try:
        counts = coverage.count(_source(options.file), warn=lambda m: stderr.write(f"WARN {m}\n"))
    except OSError as exc:
        stderr.write(f"error: {_os_error(exc, options.file)}\n")
        return 1
    stdout.write(orjson.dumps(counts).decode() + "\n")
    return 0


def run_prepare(options: argparse.Namespace, stdout: Writer, stderr: Writer) -> int:
    from besa.cardinal import prepare, settings

    try:
        loaded = settings.load(options.settings)
        return prepare.run(
            _source(options.file), loaded, options.output, options.errors, stdout, stderr
        )
    except InvalidInput as exc:
        stderr.write(f"error: settings: {exc}\n")
        return 2
    except OSError as exc:
        stderr.write(f"error: {_os_error(exc, options.file)}\n")
        return 1


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Runner]] = {
    "indicators": (
        "Calculate Cardinal's indicators from OCDS compiled releases",
        add_indicators_arguments,
        run_indicators,
    ),
    "coverage": (
        "Count the number of times each field is non-empty",
        add_coverage_arguments,
        run_coverage,
    ),
    "prepare": (
        "Correct quality issues in OCDS compiled releases",
        add_prepare_arguments,
        run_prepare,
    ),
}


def main(argv: Sequence[str]) -> int:
    """``argv[0]`` is the command name (``indicators``, ``coverage`` or ``prepare``)."""
    name, *rest = argv
    description, add_arguments, runner = COMMANDS[name]
    parser = argparse.ArgumentParser(prog=f"besa {name}", description=description)
    add_arguments(parser)
    options = parser.parse_args(rest)
    return runner(options, sys.stdout, sys.stderr)


def django_command(name: str) -> type:
    """The Django management command ``name`` (``besa.cli.management.commands``), built on the
    same parser: Cardinal's alone, since Django's own ``--settings`` would clash with it."""
    from django.core.management.base import BaseCommand, CommandParser

    description, add_arguments, runner = COMMANDS[name]

    class Command(BaseCommand):
        help = description

        def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
            parser = CommandParser(
                prog=f"{prog_name} {subcommand}", description=self.help, **kwargs
            )
            add_arguments(parser)
            parser.set_defaults(
                force_color=False, no_color=False, skip_checks=True, traceback=False, verbosity=1
            )
            return parser

        def handle(self, *args: Any, **options: Any) -> None:
            status = runner(argparse.Namespace(**options), self.stdout, self.stderr)
            if status:
                sys.exit(status)

    return Command

"""OCDS release or record packages, or JSON Lines, plain or gzip, into the registry and logbook.

``besa import ocds FILE… [--report PATH] [--publisher NAME] [--max-bytes N]``. Thin: parses
the options, calls ``besa.interop.importer.import_ocds`` and prints the summary. A progress
line on standard error only when it is a terminal. Exit status 0 on success, 2 on a fatal
input error (nothing written); a file that cannot be read (missing, truncated gzip, UTF-16)
is one line on standard error.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from besa.exceptions import InvalidInput, UnreadableFile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument(
        "--report",
        type=Path,
        help="write every skipped, repaired, kept or missing item here (JSON Lines)",
    )
    parser.add_argument(
        "--publisher", help="publisher name; its slug prefixes ocids that have no OCDS prefix"
    )
    parser.add_argument(
        "--max-bytes", type=int, help="size limit per file, decompressed (BESA_IMPORT_MAX_BYTES)"
    )


def handle(options: dict[str, Any], stdout: Any) -> int:
    from besa.interop.importer import import_ocds

    files: list[Path] = options["files"]
    for path in files:
        if not path.is_file():
            raise UnreadableFile(str(path), "no existe / no such file")
    progress = _progress if sys.stderr.isatty() else None
    with ExitStack() as stack:
        report: IO[bytes] | None = None
        if options.get("report"):
            report = stack.enter_context(options["report"].open("wb"))
        try:
            summary = import_ocds(
                files,
                publisher=options.get("publisher"),
                report=report,
                max_bytes=options.get("max_bytes"),
                progress=progress,
            )
        except InvalidInput as exc:
            if progress is not None:
                sys.stderr.write("\n")
            stdout.write(
                f"error: {exc.field}: {exc.message}\nnada fue importado / nothing was imported\n"
            )
            return 2
    if progress is not None:
        sys.stderr.write("\n")
    c = summary.counts
    stdout.write(
        f"{c['releases']} releases, {c['processes']} processes ({c['written']} written, "
        f"{c['unchanged']} unchanged), {c['registered']} contracts registered, "
        f"{c['entries']} entries appended; report: {c['skipped']} skipped, "
        f"{c['repaired']} repaired, {c['kept']} kept, {c['missing']} missing information\n"
    )
    return 0


def _progress(phase: str, done: int, total: int | None) -> None:
    if total:
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\r{phase}: [{bar}] {done}/{total}")
    else:
        sys.stderr.write(f"\r{phase}: {done} releases")
    sys.stderr.flush()

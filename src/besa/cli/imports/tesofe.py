"""Import TESOFE payments (CSV) as payment entries matched to contracts and CFDIs.

``besa import tesofe FILE [--encoding utf-8|latin-1|cp1252]``. Layout:
docs/interop/cfdi-treasury.md. Exit status: 0 when every row was imported (now or before),
2 when some rows were not (each listed with its line and reason), 1 when the file was
refused (nothing written); a file that cannot be read is one line on standard error, 2.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from besa.cli.imports.listreport import read
from besa.exceptions import InvalidInput
from besa.interop.treasury.csvfile import ENCODINGS
from besa.interop.treasury.importing import ImportReport, import_payments

#: Exit status when the file was imported but some rows were left out (see the report).
UNMATCHED = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the CSV export")
    parser.add_argument(
        "--encoding", default="utf-8", choices=ENCODINGS, help="the file's encoding"
    )


def handle(options: dict[str, Any], stdout: TextIO) -> int:
    return run(import_payments, options, stdout)


def run(importer: Callable[..., ImportReport], options: dict[str, Any], stdout: TextIO) -> int:
    """Read the file, import it, print the report; shared with ``besa import sicop``."""
    data = read(Path(options["file"]))  # UnreadableFile: one line, status 2 (``besa import``)
    try:
        report = importer(data, encoding=options["encoding"])
    except InvalidInput as exc:
        stdout.write(f"error: {exc.field}: {exc.message}\nnothing was written\n")
        return 1
    stdout.write(
        f"{report.source}: {report.rows} rows; {report.appended} appended, "
        f"{report.unchanged} already imported, {len(report.unmatched)} not imported\n"
    )
    for item in report.unmatched:
        stdout.write(f"  line {item.line}: {item.reason}\n")
    return UNMATCHED if report.unmatched else 0

"""Suppliers' contracts rescinded before BESA (CSV), for A21's second rescission in two years."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils import timezone

from besa.cli.imports.listreport import read, write_input_report
from besa.exceptions import InvalidInput
from besa.interop.lists.ruleinputs import parse_rescissions
from besa.registry.ruleinputs import record_prior_rescissions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the CSV file (UTF-8)")


def handle(options: dict[str, Any], stdout: Any) -> int:
    try:
        data = read(options["file"])
        report = record_prior_rescissions(
            parse_rescissions(data), source=options["file"].name, now=timezone.now()
        )
    except InvalidInput as exc:
        stdout.write(f"error: {exc.field}: {exc.message}; nothing was imported")
        return 2
    write_input_report(stdout, "rescissions", report)
    return 0

"""The PEF annex of maximum amounts for direct awards and invitations, by budget bracket (A24)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils import timezone

from besa.cli.imports.listreport import read, write_input_report
from besa.exceptions import InvalidInput
from besa.interop.lists.ruleinputs import parse_pef
from besa.registry.ruleinputs import set_pef_limits


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the CSV file (UTF-8)")
    parser.add_argument(
        "--unit",
        choices=("miles", "pesos"),
        default="miles",
        help="what the amounts are in: thousands of pesos as the decree prints them (default) "
        "or pesos",
    )


def handle(options: dict[str, Any], stdout: Any) -> int:
    try:
        data = read(options["file"])
        rows = parse_pef(data, thousands=options["unit"] == "miles")
        report = set_pef_limits(rows, source=options["file"].name, now=timezone.now())
    except InvalidInput as exc:
        stdout.write(f"error: {exc.field}: {exc.message}; nothing was imported")
        return 2
    write_input_report(stdout, "PEF brackets", report)
    return 0

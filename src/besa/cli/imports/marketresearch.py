"""Contracts' market-research prices (CSV: ocid, precio[, fuente]) into registrations (A25)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils import timezone

from besa.cli.imports.listreport import read
from besa.exceptions import InvalidInput
from besa.interop.lists.ruleinputs import parse_market_research
from besa.registry.ruleinputs import record_market_research


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the CSV file (UTF-8)")


def handle(options: dict[str, Any], stdout: Any) -> int:
    try:
        data = read(options["file"])
        report = record_market_research(
            parse_market_research(data), source=options["file"].name, now=timezone.now()
        )
    except InvalidInput as exc:
        stdout.write(f"error: {exc.field}: {exc.message}; nothing was imported")
        return 2
    stdout.write(
        f"market research: {report.created} contracts given prices, {report.changed} replaced, "
        f"{report.unchanged} already recorded (unchanged); each a rectification of the "
        "registration, evaluated at once"
    )
    return 0

"""Institutions' annual acquisitions budgets (CSV: institucion, ejercicio, presupuesto) for A24."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils import timezone

from besa.cli.imports.listreport import read, write_input_report
from besa.exceptions import InvalidInput
from besa.interop.lists.ruleinputs import parse_budgets
from besa.registry.ruleinputs import set_budgets


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the CSV file (UTF-8)")


def handle(options: dict[str, Any], stdout: Any) -> int:
    try:
        data = read(options["file"])
        report = set_budgets(parse_budgets(data), source=options["file"].name, now=timezone.now())
    except InvalidInput as exc:
        stdout.write(f"error: {exc.field}: {exc.message}; nothing was imported")
        return 2
    write_input_report(stdout, "budgets", report)
    return 0

"""Compliance opinions (SAT 32-D, IMSS, INFONAVIT) recorded on suppliers, from a CSV."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils import timezone

from besa.cli.imports.listreport import read, write_rescreen, write_skipped
from besa.exceptions import InvalidInput
from besa.interop.lists import compliance
from besa.interop.lists.opinions import record_opinions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, help="CSV: rfc,source,result,issued_on,valid_until,folio"
    )
    parser.add_argument("--show-skipped", type=int, default=50)


def handle(options: dict[str, Any], stdout: Any) -> int:
    try:
        parsed = compliance.parse(read(options["file"]))
        report = record_opinions(parsed, timezone.now())
    except InvalidInput as exc:
        stdout.write(f"error: {exc.field}: {exc.message}; nothing was imported")
        return 2
    stdout.write(
        f"compliance opinions: {report.created} recorded, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.skipped)} rows skipped"
    )
    write_skipped(stdout, report.skipped, options["show_skipped"])
    write_rescreen(stdout, report.rescreen)
    return 0

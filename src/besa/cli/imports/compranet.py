"""CompraNet flat "Contratos" CSV: register the contracts BESA must track, report the rest."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils import timezone

from besa.cli.imports.listreport import read, write_skipped
from besa.exceptions import InvalidInput
from besa.interop.compranet import contracts
from besa.interop.compranet.register import import_contracts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the Contratos CSV (UTF-8)")
    parser.add_argument("--show-skipped", type=int, default=50)


def handle(options: dict[str, Any], stdout: Any) -> int:
    try:
        parsed = contracts.parse(read(options["file"]))
        report = import_contracts(parsed, timezone.now())
    except InvalidInput as exc:
        stdout.write(f"error: {exc.field}: {exc.message}; nothing was imported")
        return 2
    stdout.write(
        f"CompraNet: {len(parsed.contracts) + len(parsed.skipped)} rows; "
        f"{len(report.registered)} contracts registered, {report.already} already registered, "
        f"{report.below_threshold} below the registration threshold (not stored), "
        f"{len(report.skipped)} skipped"
    )
    write_skipped(stdout, report.skipped, options["show_skipped"])
    return 0

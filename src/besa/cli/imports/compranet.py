"""CompraNet flat "Contratos" CSV: register the contracts BESA must track, keep every row for
risk analytics, report the rest."""

from __future__ import annotations

import argparse
import hashlib
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
        data = read(options["file"])
        parsed = contracts.parse(data)
        report = import_contracts(
            parsed,
            timezone.now(),
            digest=hashlib.sha256(data).hexdigest(),
            file_name=options["file"].name,
        )
    except InvalidInput as exc:
        stdout.write(f"error: {exc.field}: {exc.message}; nothing was imported")
        return 2
    stdout.write(
        f"CompraNet: {len(parsed.contracts) + len(parsed.skipped)} rows; "
        f"{len(report.registered)} contracts registered, {report.already} already registered, "
        f"{report.below_threshold} below the registration threshold, "
        f"{len(report.skipped)} skipped; {report.processes} processes kept for risk analytics"
    )
    write_skipped(stdout, report.skipped, options["show_skipped"])
    if report.missing:
        stdout.write(
            f"{len(report.missing)} datos faltantes que las unidades compradoras deben completar"
            f" / missing information the buying units must complete:"
        )
        for item in report.missing[: options["show_skipped"]]:
            stdout.write(f"  línea {item.line} / line {item.line}: {item.reason}")
    return 0

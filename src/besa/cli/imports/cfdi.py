"""Record CFDI 4.0 invoices (XML files) on a contract's logbook.

``besa import cfdi --contract OCID FILE…``: every file is verified first (size, encoding,
no DTD, XSD, totals, seal), then all are appended in one transaction, so a bad file leaves
nothing written. The same file imported twice changes nothing. Exit status 0 on success,
1 when anything was refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any, TextIO

from besa.cli.imports.listreport import read
from besa.exceptions import InvalidInput
from besa.interop.cfdi.upload import upload_cfdis
from besa.logbook.actor import Actor
from besa.registry.models import Contract


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--contract", required=True, metavar="OCID", help="the contract's ocid")
    parser.add_argument(
        "--received",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="date the entity received the CFDIs (default: today)",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="CFDI 4.0 XML files")


def handle(options: dict[str, Any], stdout: TextIO) -> int:
    contract = Contract.objects.filter(ocid=options["contract"]).first()
    if contract is None:
        stdout.write(f"error: contrato no encontrado / contract not found: {options['contract']}\n")
        return 1
    # UnreadableFile: one line on standard error, status 2 (``besa import``).
    files = [(name, read(Path(name))) for name in options["files"]]
    try:
        results = upload_cfdis(
            contract, files, actor=Actor.system("import:cfdi"), date_received=options["received"]
        )
    except InvalidInput as exc:
        stdout.write(f"error: {exc.field}: {exc.message}\nnothing was written\n")
        return 1
    for (name, _), result in zip(files, results, strict=True):
        action = "recorded" if result.created else "already recorded, unchanged"
        status = result.sat_status or "not checked"
        stdout.write(
            f"{name}: CFDI {result.uuid} {action} as entry #{result.entry.sequence} "
            f"(SAT status: {status})\n"
        )
        for line in result.not_verified:
            stdout.write(f"  not verified: {line}\n")
    return 0

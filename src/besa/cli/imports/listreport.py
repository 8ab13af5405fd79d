"""Report lines shared by the list importers (``sat-69b``, ``sat-69``, ``sanctions``,
``compliance``) and the rule-input importers (``budgets``, ``pef-limits``, ``rescissions``)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from besa.exceptions import UnreadableFile
from besa.interop.lists.entries import Skipped
from besa.interop.lists.rescreen import RescreenReport
from besa.interop.lists.snapshots import ImportReport


def add_file_arguments(parser: argparse.ArgumentParser, *, date_help: str) -> None:
    parser.add_argument("file", type=Path, help="the CSV file")
    parser.add_argument("--date", type=dt.date.fromisoformat, help=date_help)
    parser.add_argument(
        "--show-skipped", type=int, default=50, help="list at most this many skipped rows"
    )


def read(path: Path) -> bytes:
    """The bytes of ``path``; ``UnreadableFile`` naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(
            str(path), f"no se puede leer / cannot read: {exc.strerror or exc}"
        ) from None


def write_skipped(stdout: Any, skipped: Sequence[Skipped], limit: int) -> None:
    for item in list(skipped)[:limit]:
        stdout.write(f"  omitido línea {item.line} / skipped line {item.line}: {item.reason}")
    if len(skipped) > limit:
        stdout.write(f"  … {len(skipped) - limit} more skipped rows")


def write_rescreen(stdout: Any, report: RescreenReport) -> None:
    rules = ", ".join(f"{rule} {n}" for rule, n in sorted(report.opened_by_rule.items()))
    stdout.write(
        f"re-evaluated {report.contracts} running contracts: {report.opened} alerts opened"
        f"{' (' + rules + ')' if rules else ''}, {report.updated} updated, "
        f"{report.corrected} corrected"
    )


def write_list_report(stdout: Any, report: ImportReport, limit: int) -> None:
    snap = report.snapshot
    if report.already:
        stdout.write(
            f"{snap.list} {snap.snapshot_date}: this file was already imported "
            f"(snapshot {snap.pk}); nothing new written"
        )
    else:
        stdout.write(
            f"{snap.list} {snap.snapshot_date}: snapshot {snap.pk}, {report.rows} entries "
            f"stored, {len(report.skipped)} rows skipped, "
            f"{len(report.changed_rfcs)} RFCs new or changed since the previous snapshot"
        )
    write_skipped(stdout, report.skipped, limit)
    if report.matches.by_rfc or report.matches.pending:
        stdout.write(
            f"matches: {report.matches.by_rfc} by RFC (counting now), {report.matches.pending}"
            " by name pending confirmation (besa sanctions list)"
        )
    write_rescreen(stdout, report.rescreen)


def write_input_report(stdout: Any, what: str, report: Any) -> None:
    """The report of a rule-input import (``besa.registry.ruleinputs.InputReport``)."""
    stdout.write(
        f"{what}: {report.created} new, {report.changed} replaced, "
        f"{report.unchanged} already recorded (unchanged)"
    )
    rules = ", ".join(f"{rule} {n}" for rule, n in sorted(report.opened_by_rule.items()))
    stdout.write(
        f"re-evaluated {report.reevaluated} contracts: {report.opened} alerts opened"
        f"{' (' + rules + ')' if rules else ''}, {report.corrected} corrected"
    )

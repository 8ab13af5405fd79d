"""SAT art. 69-B list (Latin-1 CSV with preamble) as a dated snapshot, then re-screening."""

from __future__ import annotations

import argparse
from typing import Any

from besa.cli.imports.listreport import add_file_arguments, read, write_list_report
from besa.exceptions import InvalidInput
from besa.interop.lists import sat69b
from besa.interop.lists.snapshots import import_list


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_file_arguments(parser, date_help="snapshot date (default: the date in the preamble)")


def handle(options: dict[str, Any], stdout: Any) -> int:
    try:
        data = read(options["file"])
        parsed = sat69b.parse(data)
        report = import_list(
            parsed, data, file_name=options["file"].name, snapshot_date=options["date"]
        )
    except InvalidInput as exc:
        stdout.write(f"error: {exc.field}: {exc.message}; nothing was imported")
        return 2
    write_list_report(stdout, report, options["show_skipped"])
    return 0

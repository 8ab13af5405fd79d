"""SAT art. 69 lists (one of SAT's seven CSV files) as a dated snapshot, then re-screening."""

from __future__ import annotations

import argparse
from typing import Any

from besa.cli.imports.listreport import add_file_arguments, read, write_list_report
from besa.exceptions import InvalidInput
from besa.interop.lists import sat69
from besa.interop.lists.snapshots import import_list


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_file_arguments(parser, date_help="snapshot date (required: SAT's art. 69 files state none)")
    parser.add_argument(
        "--list",
        choices=sorted(sat69.PARTS),
        help="which art. 69 list the file is (default: from SAT's file name, e.g. Firmes.csv)",
    )


def handle(options: dict[str, Any], stdout: Any) -> int:
    try:
        part = options["list"] or sat69.part_of(options["file"].name)
        if part is None:
            raise InvalidInput(
                "--list",
                "no se reconoce la lista por el nombre del archivo: use --list / the file name "
                "does not say which list it is: use --list",
            )
        data = read(options["file"])
        parsed = sat69.parse(data, part)
        report = import_list(
            parsed, data, file_name=options["file"].name, snapshot_date=options["date"]
        )
    except InvalidInput as exc:
        stdout.write(f"error: {exc.field}: {exc.message}; nothing was imported")
        return 2
    write_list_report(stdout, report, options["show_skipped"])
    return 0

"""Import SICOP budget commitments (CSV) as budget sufficiency entries of contracts.

``besa import sicop FILE [--encoding utf-8|latin-1|cp1252]``. Layout:
docs/interop/cfdi-treasury.md. Exit status as for ``besa import tesofe``: 0 all imported,
2 some rows not imported (listed), 1 file refused (nothing written).
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from besa.cli.imports import tesofe
from besa.interop.treasury.importing import import_commitments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    tesofe.add_arguments(parser)


def handle(options: dict[str, Any], stdout: TextIO) -> int:
    return tesofe.run(import_commitments, options, stdout)

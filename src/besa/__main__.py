"""The ``besa`` command: a thin front door to BESA's management commands.

``besa migrate``, ``besa demo``, ``besa serve``, ``besa worker`` and every later subcommand are
Django management commands; this module only points Django at BESA's settings first, so the
same command works from a checkout, a wheel or ``python -m besa``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run one ``besa`` subcommand; exits with the command's status."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "besa.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["demo"]:
        # The demo is a local trial: debug on, development secret, localhost only.
        os.environ.setdefault("BESA_DEBUG", "1")
    execute_from_command_line(["besa", *args])


if __name__ == "__main__":
    main()

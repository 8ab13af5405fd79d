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
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["indicators"], ["coverage"], ["prepare"]):
        # Cardinal-compatible batch commands need no database: skip Django's start-up.
        from besa.cardinal.cli import main as cardinal_main

        sys.exit(cardinal_main(args))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "besa.settings")
    from django.core.management import execute_from_command_line

    if args[:1] == ["demo"]:
        # The demo is a local trial on http://127.0.0.1: a throw-away secret, localhost only,
        # cookies over plain HTTP. Debug stays off (it would also log every query of the load).
        os.environ.setdefault("BESA_SECRET_KEY", "besa-demo-only-" + os.urandom(16).hex())
        os.environ.setdefault("BESA_ALLOWED_HOSTS", "127.0.0.1,localhost")
        os.environ.setdefault("BESA_SECURE_COOKIES", "0")
    execute_from_command_line(["besa", *args])


if __name__ == "__main__":
    main()

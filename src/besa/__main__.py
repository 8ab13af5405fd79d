"""The ``besa`` command: a thin front door to BESA's management commands.

``besa migrate``, ``besa demo``, ``besa serve``, ``besa worker`` and every later subcommand are
Django management commands; this module only points Django at BESA's settings first, so the
same command works from a checkout, a wheel or ``python -m besa``.

A missing or wrong setting (``ConfigurationError``, including a malformed jurisdiction file)
stops every subcommand before it does anything, with one line on stderr naming the setting and
exit status 2; no traceback.
"""

from __future__ import annotations

import os
import sys

from besa.exceptions import ConfigurationError

#: Exit status of a command stopped by its configuration (argparse uses 2 for bad usage too).
CONFIGURATION_ERROR = 2
#: The long-running processes that send e-mail, which ``check_production`` must pass; one-off
#: commands (migrate, import, check, ...) send none and need no backend.
SENDS_EMAIL = frozenset({"serve", "worker"})


def main(argv: list[str] | None = None) -> None:
    """Run one ``besa`` subcommand; exits with the command's status."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["indicators"], ["coverage"], ["prepare"]):
        # Cardinal-compatible batch commands need no database: skip Django's start-up.
        from besa.cardinal.cli import main as cardinal_main

        sys.exit(cardinal_main(args))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "besa.settings")
    if args[:1] == ["demo"]:
        # The demo is a local trial on http://127.0.0.1: a throw-away secret, localhost only,
        # cookies over plain HTTP, e-mails printed. Debug stays off (it would also log every
        # query of the load).
        os.environ.setdefault("BESA_SECRET_KEY", "besa-demo-only-" + os.urandom(32).hex())
        os.environ.setdefault("BESA_ALLOWED_HOSTS", "127.0.0.1,localhost")
        os.environ.setdefault("BESA_SECURE_COOKIES", "0")
        os.environ.setdefault("BESA_EMAIL_BACKEND", "console")
        # The sign-in pages show the demo accounts' second-factor codes (besa.signin.views).
        os.environ.setdefault("BESA_DEMO", "1")
    try:
        _run(args)
    except ConfigurationError as exc:
        print(f"besa: configuration error: {exc}", file=sys.stderr)
        sys.exit(CONFIGURATION_ERROR)


def _run(args: list[str]) -> None:
    import django
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from besa.cli.startup import check_production

    django.setup()  # reads the settings and the jurisdiction file: their errors surface here
    if args[:1] and args[0] in SENDS_EMAIL:
        check_production(settings)
    execute_from_command_line(["besa", *args])


if __name__ == "__main__":
    main()

"""Checks that every ``besa`` process makes before it starts work, beyond reading settings.

``besa.settings`` already refuses missing and malformed values. What it cannot refuse, because
test runs import the same settings, is a production deployment that never chose how to send
e-mail: the console backend would print alert e-mails to a log nobody reads. ``besa serve``,
``besa worker`` and the WSGI entry point (the processes that send e-mail) call
``check_production`` after loading the settings.
"""

from __future__ import annotations

from typing import Any

from besa.exceptions import ConfigurationError


def check_production(settings: Any) -> None:
    """Raise ``ConfigurationError`` when production (``DEBUG`` off) would use the console
    e-mail backend without ``BESA_EMAIL_BACKEND`` stating it. May be called repeatedly."""
    if settings.DEBUG or settings.BESA_EMAIL_BACKEND_CHOSEN:
        return
    raise ConfigurationError(
        "BESA_EMAIL_BACKEND is not set: production must send alert e-mails by SMTP "
        "(BESA_EMAIL_BACKEND=smtp with BESA_EMAIL_HOST, ...) or state "
        "BESA_EMAIL_BACKEND=console to print them"
    )

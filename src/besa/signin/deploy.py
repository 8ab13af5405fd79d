"""BESA's own deployment checks, run by ``besa check --deploy`` next to Django's.

Django's checks cover HTTPS, HSTS, cookies and the secret's length; these cover what only BESA
knows: the demo's public second-factor key, the lock-out by address behind a proxy, the
Content Security Policy and the choice of an e-mail backend.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

DEMO_ON = "besa.E101"
PROXY_WITHOUT_TRUSTED = "besa.W102"
INLINE_SCRIPT = "besa.E103"
NO_EMAIL_BACKEND = "besa.E104"
DEMO_DEVICES = "besa.E105"
LONG_SESSIONS = "besa.W106"


def deployment_checks(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []
    if settings.BESA_DEMO:
        found.append(
            checks.Error(
                "BESA_DEMO is on: the sign-in pages show the demo accounts' second-factor codes",
                hint="unset BESA_DEMO (only `besa demo` sets it)",
                id=DEMO_ON,
            )
        )
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.BESA_TRUSTED_PROXIES:
        found.append(
            checks.Warning(
                "BESA_PROXY_SSL_HEADER is on but BESA_TRUSTED_PROXIES is empty: every request "
                "seems to come from the proxy, so a few wrong passwords lock everybody out",
                hint="set BESA_TRUSTED_PROXIES to the reverse proxy's address(es)",
                id=PROXY_WITHOUT_TRUSTED,
            )
        )
    scripts = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("script-src", [])
    if any(source in ("'unsafe-inline'", "'unsafe-eval'", "*") for source in scripts):
        found.append(
            checks.Error(
                "the Content Security Policy allows inline or foreign scripts",
                hint="keep script-src to 'self' (besa.settings)",
                id=INLINE_SCRIPT,
            )
        )
    if not settings.BESA_EMAIL_BACKEND_CHOSEN:
        found.append(
            checks.Error(
                "BESA_EMAIL_BACKEND is not set: alert e-mails would only be printed",
                hint="BESA_EMAIL_BACKEND=smtp with BESA_EMAIL_HOST, ... (docs/operations.md)",
                id=NO_EMAIL_BACKEND,
            )
        )
    if settings.SESSION_COOKIE_AGE > 8 * 3600:
        found.append(
            checks.Warning(
                f"sessions last {settings.SESSION_COOKIE_AGE // 60} minutes without activity",
                hint="BESA_SESSION_IDLE_MINUTES of 30 (the default) to 480 at most",
                id=LONG_SESSIONS,
            )
        )
    return found


def demo_devices(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """An account whose authenticator has the demo's public key has no second factor at all.
    A database check: ``besa check --deploy --database default``."""
    from django.db import DatabaseError
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from besa.signin.devices import DEMO_KEY

    try:
        users = sorted(
            TOTPDevice.objects.filter(key=DEMO_KEY).values_list("user__username", flat=True)
        )
    except DatabaseError:  # no database yet (before `besa migrate`): nothing to look at
        return []
    if not users:
        return []
    return [
        checks.Error(
            f"accounts {', '.join(users)} use the demo's public second-factor key",
            hint="delete their devices in /admin/ (OTP TOTP devices) and let them enrol again",
            id=DEMO_DEVICES,
        )
    ]

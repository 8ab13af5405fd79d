"""Signing a test client in "fully": past the password and the second factor.

``verify_second_factor(client, user)`` is what ``client.force_login`` does in this suite (the
autouse fixture in tests/conftest.py): for a user who needs a second factor
(``besa.signin.policy``) or has one, it gives them a confirmed authenticator if they have none
and marks the client's session as verified with it, as ``django_otp.login`` does after a correct
code. Browser tests type a real code instead (``tests.e2e.browser.login``).
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from besa.signin import devices
from besa.signin.policy import requires_second_factor


def verify_second_factor(client: Client, user: Any) -> None:
    """Mark ``client``'s session as past the second factor of ``user`` (see the module)."""
    if not (requires_second_factor(user) or user_has_device(user)):
        return
    device = devices.authenticator(user) or TOTPDevice.objects.create(
        user=user, name=devices.AUTHENTICATOR, confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

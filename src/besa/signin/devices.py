"""The second factor's devices: one TOTP device (an authenticator app) per person, and a set
of single-use recovery codes for when the phone is lost.

Enrolment creates an unconfirmed TOTP device; the first correct code confirms it and issues
the recovery codes, which are shown once. ``current_code`` is what an authenticator app would
show: the demo uses it to print the demo accounts' codes, the tests to type them.
"""

from __future__ import annotations

import base64
import time

from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from besa.registry.models import User

#: The name of the authenticator device and of the recovery-code set of each person.
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"
#: How many recovery codes a person gets (each works once).
RECOVERY_CODES = 10
#: The demo accounts' shared TOTP key (RFC 6238's test key, base32
#: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ): public on purpose, refused by ``besa check --deploy``.
DEMO_KEY = "3132333435363738393031323334353637383930"
#: ``DEMO_KEY`` as an authenticator app takes it.
DEMO_KEY_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def authenticator(user: User, *, confirmed: bool | None = True) -> TOTPDevice | None:
    """The person's TOTP device (``confirmed=None``: confirmed or not)."""
    devices = TOTPDevice.objects.filter(user=user, name=AUTHENTICATOR)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("-confirmed", "-id").first()


def start_enrolment(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled, created with a fresh random key if there is none
    (reloading the enrolment page keeps the key the person may already have scanned)."""
    device = TOTPDevice.objects.filter(user=user, name=AUTHENTICATOR, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


@transaction.atomic
def confirm_enrolment(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm ``device`` with the first code it shows; on success the person's older devices
    are removed and new recovery codes are returned (shown once). None: wrong code."""
    if not device.verify_token(code.strip()):
        return None
    TOTPDevice.objects.filter(user=device.user, name=AUTHENTICATOR).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes by ``RECOVERY_CODES`` fresh ones (returned once;
    the previous ones stop working)."""
    StaticDevice.objects.filter(user=user, name=RECOVERY).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY).count()


def key_text(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it when typed: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def give_demo_device(user: User) -> TOTPDevice:
    """A confirmed TOTP device with ``DEMO_KEY`` (``besa demo``'s oversight and admin)."""
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, key=DEMO_KEY, confirmed=True)


def current_code(device: TOTPDevice, at: float | None = None, *, step_offset: int = 0) -> str:
    """The code an authenticator app with ``device``'s key shows at ``at`` (now by default),
    ``step_offset`` time steps later."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + step_offset)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def time_step(device: TOTPDevice, at: float | None = None) -> int:
    """The TOTP time step (``t``) at ``at`` (now by default), drift included."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return int(totp.t())

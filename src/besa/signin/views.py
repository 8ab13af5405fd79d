"""The sign-in pages beyond the password: the lock-out answer, verification of the second
factor, enrolment of an authenticator app, and the account's security page (recovery codes).

Thin views: the devices' rules are in ``besa.signin.devices``, who needs a second factor in
``besa.signin.policy``.
"""

from __future__ import annotations

import math
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from besa.signin import devices
from besa.signin.policy import is_verified, requires_second_factor


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a sign-in while the account or the address is locked: the login
    page again, status 429, saying how long to wait (the password was not even checked)."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    form = AuthenticationForm(request, data=None)
    context = {"form": form, "locked_minutes": minutes, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def _demo_code(user: Any) -> str | None:
    """The demo accounts' current code, shown on the page in ``besa demo`` only."""
    if not settings.BESA_DEMO:
        return None
    device = devices.authenticator(user)
    if device is None or device.key != devices.DEMO_KEY:
        return None
    return devices.current_code(device)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the authenticator's code (or a recovery code) after the password."""
    user = request.user
    if is_verified(user):
        return redirect(_next(request))
    if not user_has_device(user):
        return redirect(f"{reverse('signin:enrol')}?next={_next(request)}")
    error = ""
    status = 200
    if request.method == "POST":
        code = "".join(request.POST.get("code", "").split())
        device = match_token(user, code) if code else None
        if device is not None:
            otp_login(request, device)
            if device.name == devices.RECOVERY:
                left = devices.recovery_codes_left(user)  # type: ignore[arg-type]
                messages.warning(
                    request,
                    _(
                        "Entró con un código de recuperación; le quedan %(n)d. Si perdió su "
                        "teléfono, dé de alta otro en Seguridad de la cuenta."
                    )
                    % {"n": left},
                )
            return redirect(_next(request))
        status = 422
        error = (
            _("Escriba el código de seis dígitos de su aplicación autenticadora.")
            if not code
            else _(
                "El código no es correcto o ya se usó: escriba el código que su aplicación "
                "muestra ahora, o uno de sus códigos de recuperación. Tras varios errores "
                "seguidos, espere unos segundos antes de volver a intentar."
            )
        )
    context = {"error": error, "next": _next(request), "demo_code": _demo_code(user)}
    return render(request, "signin/verify.html", context, status=status)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: a QR code and the key in text, then its first code.
    Someone who already has a device must verify it first (enrolling another would bypass
    it); once verified they may replace their device here."""
    user = request.user
    if user_has_device(user) and not is_verified(user):
        return redirect(f"{reverse('signin:verify')}?next={_next(request)}")
    device = devices.start_enrolment(user)  # type: ignore[arg-type]
    error = ""
    status = 200
    if request.method == "POST":
        code = "".join(request.POST.get("code", "").split())
        codes = devices.confirm_enrolment(device, code) if code else None
        if codes is not None:
            otp_login(request, device)
            shown = {"codes": codes, "next": _next(request)}
            return render(request, "signin/recovery_codes.html", shown)
        status = 422
        error = _(
            "El código no coincide: revise que la hora de su teléfono sea la correcta y "
            "escriba el código que la aplicación muestra ahora."
        )
    context: dict[str, Any] = {
        # Our own SVG of the device's otpauth URL (no user text in it): safe to embed.
        "qr": mark_safe(_qr_svg(device.config_url)),
        "key": devices.key_text(device),
        "error": error,
        "next": _next(request),
        "required": requires_second_factor(user),
    }
    return render(request, "signin/enrol.html", context, status=status)


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The account's second factor: whether it is on, recovery codes left, and the actions."""
    user = request.user
    context = {
        "device": devices.authenticator(user),  # type: ignore[arg-type]
        "codes_left": devices.recovery_codes_left(user),  # type: ignore[arg-type]
        "required": requires_second_factor(user),
    }
    return render(request, "signin/security.html", context)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Issue new recovery codes (the old ones stop working); only with a verified device."""
    if devices.authenticator(request.user) is None:  # type: ignore[arg-type]
        return redirect("signin:security")
    codes = devices.new_recovery_codes(request.user)  # type: ignore[arg-type]
    return render(
        request, "signin/recovery_codes.html", {"codes": codes, "next": reverse("signin:security")}
    )

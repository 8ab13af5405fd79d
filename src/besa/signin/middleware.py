"""Keeps a signed-in person who needs the second factor on the sign-in pages until it is
verified: every other page, the API through the session and the admin site answer with a
redirect to the verification (or, without a device yet, the enrolment) page; the API with 403.

Requests signed by an API token are not sessions (``request.user`` is anonymous here, the token
is read by the API itself): see docs/operations.md on tokens and the second factor.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django_otp import user_has_device

from besa.signin.policy import is_verified, requires_second_factor

#: Paths open to a person whose second factor is pending (besides the sign-in pages).
#: The enrolment page itself refuses a person who already has a device (besa.signin.views).
_OPEN_PREFIXES = (
    "/i18n/",
    "/cuenta/entrar/",
    "/cuenta/salir/",
    "/cuenta/segundo-factor/verificar/",
    "/cuenta/segundo-factor/alta/",
)


class SecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware`` (which sets ``request.user.is_verified``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.open = (*_OPEN_PREFIXES, "/" + settings.STATIC_URL.lstrip("/"))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        #: Read by the navigation (besa.signin.context): one device query per request at most.
        request.second_factor_pending = False  # type: ignore[attr-defined]
        if user.is_authenticated and not is_verified(user):
            enrolled = user_has_device(user)
            if enrolled or requires_second_factor(user):
                request.second_factor_pending = True  # type: ignore[attr-defined]
                if not request.path.startswith(self.open):
                    return self._refuse(request, enrolled)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, enrolled: bool) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "segundo factor pendiente / second factor not verified"}, status=403
            )
        target = reverse("signin:verify" if enrolled else "signin:enrol")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

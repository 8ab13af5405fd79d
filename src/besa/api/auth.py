"""Bearer-token authentication for systems, next to the browser's session.

``BearerToken`` accepts ``Authorization: Bearer besa_…`` and makes the token's owner the
request's user, so every router's scoping (``visible_to``/``writable_by``) applies unchanged.
It never logs the header: django-ninja's stock ``HttpBearer`` logs an unexpected header
verbatim in DEBUG, which could write a token to the logs.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security.http import HttpBearer

from besa.api import tokens


class BearerToken(HttpBearer):
    """Authenticates a request by an API token; answers None (try the next method) when the
    header is absent, of another scheme, or the token is unknown, revoked or expired."""

    def __call__(self, request: HttpRequest) -> Any:
        value = request.headers.get(self.header, "")
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.authenticate(token, timezone.now())
        if user is None:
            return None
        # The routers read ``request.user``; a token signs its owner in for this request only.
        request.user = user
        return user


bearer_token = BearerToken()

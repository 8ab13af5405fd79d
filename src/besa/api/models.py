"""API tokens: how systems authenticate to the JSON API (``Authorization: Bearer <token>``).

A token acts with its owner's role and scope: it is a way for a system to sign in as a user,
never a wider key. Only the SHA-256 of the token is stored; the token itself is shown once, by
``besa token create``, and can never be recovered (a lost token is revoked and replaced).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Every token starts with this, so that secret scanners (and people) recognise a leaked one.
TOKEN_PREFIX = "besa_"

#: Characters of the token kept in clear to tell tokens apart in listings (not a secret: the
#: remaining 43 characters carry 256 bits of entropy).
SHOWN_CHARS = 12


def digest(token: str) -> str:
    """The stored form of a token. Plain SHA-256 suffices (no slow KDF): the token is 256
    random bits, not a password a person chose, so it cannot be guessed from its hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh random token: ``besa_`` followed by 43 URL-safe characters (256 bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: object) -> ApiTokenQuerySet:
        """Tokens that authenticate at ``now``: not revoked, not expired, owner active."""
        return self.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now),
            revoked_at__isnull=True,
            user__is_active=True,
        )


class ApiToken(models.Model):
    """A bearer token of one system, acting as its owner ``user``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("nombre"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("usuario titular"),
    )
    #: The first characters of the token, to recognise it in listings.
    shown = models.CharField(_("inicio del token"), max_length=SHOWN_CHARS)
    #: SHA-256 of the whole token (``digest``); the token itself is never stored.
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("creado"))
    #: Updated at most once a minute (``auth.TOKEN_TOUCH``), so reads do not become writes.
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)
    expires_at = models.DateTimeField(_("vence"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocado"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token de API")
        verbose_name_plural = _("tokens de API")

    def __str__(self) -> str:
        return f"{self.name} ({self.shown}…)"

"""Issuing, revoking, listing and checking API tokens (the domain of ``besa token``).

``issue`` returns the only copy of a token; ``authenticate`` turns a presented token into its
owner, or None, without ever logging or storing the token itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import uuid
from typing import Any

from django.db.models import Q

from besa.api.models import SHOWN_CHARS, TOKEN_PREFIX, ApiToken, digest, new_token
from besa.exceptions import InvalidInput, NotFound
from besa.registry.models import User

#: How stale ``last_used_at`` may be: refreshing it on every request would turn each read into
#: a write.
TOKEN_TOUCH = dt.timedelta(minutes=1)


def issue(
    user: User, name: str, now: dt.datetime, *, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` and return the row and the token (shown only this once)."""
    if not name.strip():
        raise InvalidInput("name", "obligatorio / required")
    if not user.is_active:
        raise InvalidInput("user", "usuario inactivo / inactive user")
    if expires_at is not None and expires_at <= now:
        raise InvalidInput("expires", "debe ser futura / must be in the future")
    token = new_token()
    row = ApiToken.objects.create(
        name=name.strip()[:100],
        user=user,
        shown=token[:SHOWN_CHARS],
        digest=digest(token),
        created_at=now,
        expires_at=expires_at,
    )
    return row, token


def revoke(reference: str, now: dt.datetime) -> ApiToken:
    """Revoke the token whose id or shown beginning is ``reference``. Idempotent: revoking a
    revoked token keeps its first revocation time."""
    row = _find(reference)
    if row.revoked_at is None:
        row.revoked_at = now
        row.save(update_fields=["revoked_at"])
    return row


def authenticate(token: str, now: dt.datetime) -> User | None:
    """The owner of ``token`` if it is usable at ``now`` (known, not revoked, not expired,
    owner active); None otherwise. Records the use at most once per ``TOKEN_TOUCH``."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    wanted = digest(token)
    row = ApiToken.objects.usable(now).select_related("user").filter(digest=wanted).first()
    # The lookup is by an indexed digest; the constant-time comparison is belt and braces.
    if row is None or not hmac.compare_digest(row.digest, wanted):
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOKEN_TOUCH:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    user: User = row.user
    return user


def listing() -> list[dict[str, Any]]:
    """Every token without its secret: id, name, owner, shown beginning, dates."""
    return [
        {
            "id": str(row.id),
            "name": row.name,
            "user": row.user.get_username(),
            "shown": row.shown,
            "created_at": row.created_at,
            "last_used_at": row.last_used_at,
            "expires_at": row.expires_at,
            "revoked_at": row.revoked_at,
        }
        for row in ApiToken.objects.select_related("user")
    ]


def _find(reference: str) -> ApiToken:
    """A token by id, shown beginning or name; ambiguity is an error, never a guess."""
    query = Q(shown=reference) | Q(name=reference)
    with contextlib.suppress(ValueError):  # not an id: the beginning or the name then
        query |= Q(pk=uuid.UUID(reference))
    rows = list(ApiToken.objects.filter(query)[:2])
    if not rows:
        raise NotFound(f"token no encontrado / token not found: {reference}")
    if len(rows) > 1:
        raise InvalidInput("token", "ambiguo: use el id / ambiguous: use the id")
    return rows[0]

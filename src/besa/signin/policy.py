"""Who must use a second factor: oversight and administrators (they read every institution's
contracts, or change the catalogues); the other roles may enrol one, and once enrolled it is
asked of them too."""

from __future__ import annotations

from typing import Any

from besa.registry.models import Role

#: Roles that cannot reach any page before their second factor is verified.
REQUIRED_ROLES = frozenset({Role.OVERSIGHT, Role.ADMIN})


def is_verified(user: Any) -> bool:
    """Whether this request's session passed the second factor (django-otp's
    ``OTPMiddleware`` gives ``request.user`` an ``is_verified()``)."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def requires_second_factor(user: Any) -> bool:
    """True for oversight, administrators and anyone with access to the admin site."""
    return bool(
        getattr(user, "role", None) in REQUIRED_ROLES
        or getattr(user, "is_superuser", False)
        or getattr(user, "is_staff", False)
    )

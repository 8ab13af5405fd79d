"""Template context: whether the signed-in person still owes the second factor (the
navigation then offers only sign-out and the language, as every other page would send them
back to the verification page). Set by ``besa.signin.middleware``."""

from __future__ import annotations

from django.http import HttpRequest


def second_factor(request: HttpRequest) -> dict[str, bool]:
    return {"second_factor_pending": bool(getattr(request, "second_factor_pending", False))}

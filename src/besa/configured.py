"""Settings read at the moment they are needed: the Django setting of that name, else the
environment variable, so a test's ``override_settings`` and a deployment's environment both work.

Values read at start-up belong in ``besa.settings``; this module is for the few that a running
process may be asked to change (limits, timeouts, fakes for offline tests). A malformed value is a
``ConfigurationError`` naming the variable, never a silent default.
"""

from __future__ import annotations

import os

from django.conf import settings

from besa.exceptions import ConfigurationError


def text(name: str) -> str:
    """The setting ``name`` as stripped text; ``""`` when neither Django nor the environment
    sets it."""
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name, "")
    return str(value).strip()


def whole_number(name: str, default: int) -> int:
    """The setting ``name`` as a whole number >= 1; ``default`` when unset."""
    raw = text(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigurationError(f"{name}={raw!r} is not a whole number >= 1")
    return value

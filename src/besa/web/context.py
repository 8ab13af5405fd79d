"""Template context shared by every page."""

from typing import Any

from django.http import HttpRequest

from besa.jurisdiction import from_env


def jurisdiction(request: HttpRequest) -> dict[str, Any]:
    """The deployment's jurisdiction, for the page header."""
    return {"jurisdiction": from_env()}

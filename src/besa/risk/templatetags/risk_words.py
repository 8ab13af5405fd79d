"""``{{ code|indicator }}`` and ``{% for label, value in flag.evidence|evidence %}``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from besa.risk import words

register = template.Library()


@register.filter
def indicator(code: str) -> str:
    return words.indicator(code)


@register.filter
def evidence(found: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    return list(words.evidence(found))

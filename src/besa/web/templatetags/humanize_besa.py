"""Locale-aware number and money formatting for templates (Babel; es-MX or en)."""

from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django import template
from django.utils.translation import get_language

register = template.Library()


def _locale() -> str:
    return "en_US" if (get_language() or "es").startswith("en") else "es_MX"


@register.filter
def money(value: Decimal | None, currency: str = "MXN") -> str:
    """``1234.5|money:"MXN"`` → ``$1,234.50`` (es-MX) with the ISO code for other currencies."""
    if value is None:
        return "—"
    return format_currency(value, currency, locale=_locale())


@register.filter
def thousands(value: int | None) -> str:
    return "—" if value is None else format_decimal(value, locale=_locale())

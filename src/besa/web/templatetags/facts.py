"""``{{ value|percent }}``: a percentage written as the locale writes it (``12.5 %``)."""

from decimal import Decimal

from babel.numbers import format_decimal
from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    locale = "en_US" if (get_language() or "es").startswith("en") else "es_MX"
    return f"{format_decimal(value, format='#,##0.#', locale=locale)} %"


@register.filter
def bar(value: Decimal | None) -> str:
    """A percentage clamped to 0-100 for a ``<meter>`` (``value`` attribute, dot decimal)."""
    if value is None:
        return "0"
    return format(min(max(value, Decimal(0)), Decimal(100)), "f")

"""``{{ entry.occurred_at|moment:"Y-m-d" }}``: a stored time in the local zone, never an error.

Django's ``date`` filter converts a time to the local zone before formatting, and a time at
the edge of the calendar (0001-01-01 00:00 UTC is the year 0 in Mexico City) overflows: the
whole page would answer 500. Entries are bounded when they enter the logbook (the
jurisdiction's ``[dates]``), but a page must show whatever history holds, so this filter falls
back to the time in its own zone, and to its ISO form, rather than fail.
"""

import datetime as dt

from django import template
from django.utils import dateformat, timezone

register = template.Library()


@register.filter
def moment(value: dt.datetime | None, fmt: str = "Y-m-d") -> str:
    """Format ``value`` (an aware time) in the current zone; as stored if that overflows."""
    if value is None:
        return ""
    try:
        shown = timezone.localtime(value) if timezone.is_aware(value) else value
        return dateformat.format(shown, fmt)
    except (OverflowError, ValueError):
        pass
    try:
        return dateformat.format(value, fmt)
    except (OverflowError, ValueError):
        return value.isoformat()

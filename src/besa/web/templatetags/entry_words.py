"""``{% timeline entries contract.currency as rows %}``: the logbook as the timeline shows it.

Each row is an entry with its content in words (``besa.web.words``), who recorded it
(institution and role, in words), the entry it rectifies and the entries that rectify it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import template
from django.utils import formats, timezone

from besa.logbook.models import Entry
from besa.registry.models import BuyingUnit, Role
from besa.web.words import Line, describe_entry

register = template.Library()


@dataclass
class TimelineRow:
    entry: Entry
    lines: list[Line]
    role: str
    corrects: Entry | None = None
    corrected_by: list[Entry] = field(default_factory=list)


@register.simple_tag
def timeline(entries: Iterable[Entry], currency: str) -> list[TimelineRow]:
    """The rows of the timeline, in logbook order."""
    listed = list(entries)
    by_id = {str(e.uuid): e for e in listed}
    rows: list[TimelineRow] = []
    for e in listed:
        payload: dict[str, Any] = dict(e.payload)
        corrects = None
        if e.kind == "rectification":
            corrects = by_id.get(str(payload.get("corrects")))
            if corrects is not None:
                payload["corrected_kind"] = corrects.kind
        role = str(e.actor.get("role", "")) if isinstance(e.actor, dict) else ""
        rows.append(
            TimelineRow(
                entry=e,
                lines=describe_entry(e.kind, payload, currency),
                role=str(Role(role).label) if role in Role.values else role,
                corrects=corrects,
            )
        )
    by_entry = {str(r.entry.uuid): r for r in rows}
    for r in rows:
        if r.corrects is not None:
            by_entry[str(r.corrects.uuid)].corrected_by.append(r.entry)
    return rows


@register.simple_tag
def recordable_kinds() -> list[str]:
    """The kinds offered as actions on the contract page (a rectification starts from the
    entry it corrects, on the timeline)."""
    from besa.web.recording import RECORDABLE

    return [kind for kind in RECORDABLE if kind != "rectification"]


@register.filter
def local(value: dt.datetime | None, fmt: str = "DATE_FORMAT") -> str:
    """A stored time in the current zone, as the locale writes it (``DATE_FORMAT`` or
    ``DATETIME_FORMAT``); the ISO form when the time lies at the calendar's edge."""
    if value is None:
        return ""
    try:
        return formats.date_format(timezone.localtime(value), fmt)
    except (OverflowError, ValueError):
        return value.isoformat()


@register.simple_tag
def may_register(user: Any) -> bool:
    """Whether ``user`` may register contracts (it writes for at least one buying unit)."""
    return bool(user.is_authenticated and BuyingUnit.objects.writable_by(user).exists())

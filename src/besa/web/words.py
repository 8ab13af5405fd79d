"""An entry's content in words: each field by its title, each value as the locale writes it.

Titles come from the payload models (the one definition of each kind); amounts are money in
the currency the payload names (else the contract's), formatted for the locale; dates as the
locale writes them; codes by their words (``besa.web.choices``). Used by the timeline, the
confirmation page and the receipt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pydantic import BaseModel

from besa.logbook.kinds.payloads import MODELS
from besa.web.choices import choice_label
from besa.web.forms import unwrap, widget_of
from besa.web.templatetags.humanize_besa import money


@dataclass
class Line:
    """One field of an entry in words; a group or a row holds lines of its own."""

    label: str
    text: str = ""
    lines: list[Line] = field(default_factory=list)


def describe_entry(kind: str, payload: Mapping[str, Any], currency: str) -> list[Line]:
    """The lines of an entry of ``kind`` (unknown kinds and fields: shown as stored)."""
    model = MODELS.get(kind)
    if model is None:
        return [Line(str(k), str(v)) for k, v in payload.items()]
    if kind == "rectification":
        return _rectification(payload, currency)
    return describe(model, payload, currency)


def describe(model: type[BaseModel], payload: Mapping[str, Any], currency: str) -> list[Line]:
    """The lines of ``payload`` read as ``model``, in the model's field order."""
    currency = str(payload.get("currency") or currency)
    lines: list[Line] = []
    for key, info in model.model_fields.items():
        if key not in payload or payload[key] is None:
            continue
        value = payload[key]
        label = _(info.title) if info.title else key
        tp, metadata, _optional = unwrap(info.annotation)
        widget, extra = widget_of(tp, metadata)
        if widget == "group" and isinstance(value, Mapping):
            lines.append(Line(label, lines=describe(extra, value, currency)))
        elif widget == "rows" and isinstance(value, list):
            if value:
                rows = [
                    Line(f"{i}", lines=describe(extra, row, currency))
                    for i, row in enumerate(value, 1)
                    if isinstance(row, Mapping)
                ]
                lines.append(Line(label, lines=rows))
        elif widget in ("multichoice", "lines") and isinstance(value, list):
            if value:
                lines.append(Line(label, ", ".join(choice_label(str(v)) for v in value)))
        else:
            lines.append(Line(label, _value(widget, key, value, currency)))
    return lines


def _value(widget: str, key: str, value: Any, currency: str) -> str:
    if widget == "bool":
        return _("Sí") if value else _("No")
    if widget == "choice":
        return choice_label(str(value))
    if widget == "date":
        try:
            return date_format(dt.date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    if widget == "amount":
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if "percent" in key:
            return f"{number.normalize():f} %"
        if key in ("quantity", "quantity_received", "quantity_accepted", "exchange_rate"):
            return f"{number.normalize():f}"
        try:
            return money(number, currency)
        except (ValueError, KeyError):  # an unknown currency code in stored history
            return f"{number:f} {currency}"
    return str(value)


def _rectification(payload: Mapping[str, Any], currency: str) -> list[Line]:
    """A correction: why, and the corrected content (read as the corrected entry's kind when
    the page knows it; the inner payload alone does not say its kind)."""
    lines = [Line(_("Motivo de la corrección"), str(payload.get("reason", "")))]
    inner = payload.get("payload")
    kind = payload.get("corrected_kind")
    if isinstance(inner, Mapping):
        model = MODELS.get(str(kind)) if kind else None
        content = (
            describe(model, inner, currency)
            if model is not None
            else [Line(str(k), str(v)) for k, v in inner.items()]
        )
        lines.append(Line(_("Contenido corregido"), lines=content))
    return lines

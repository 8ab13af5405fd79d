"""Web forms generated from the payload models (``besa.logbook.kinds.payloads``).

The models are the one definition of each entry kind: their fields, types, titles and hints
make the form here, the API schema in ``besa.api`` and the words of the timeline
(``besa.web.words``). Nothing about a field is written twice. A form is a tree of
``FormField``: a field's ``name`` is its dotted path in the payload (``deliverables.0.due_date``),
which is also the HTML ``name`` of its input, so a submitted form folds back into the payload
(``payload_from``) and a validation error's path points back at its input (``errors_from``).

Type → widget: a date is a date input, an amount or a percentage a decimal text input, a
``Literal`` a select (a list of them, checkboxes), a nested model a fieldset, a list of models a
group of repeatable rows, a list of plain values a textarea with one value per line.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from besa.logbook.kinds.errors import message as pydantic_message
from besa.web.choices import choice_label

#: Empty rows offered below the filled ones of a repeatable group (more with "Añadir").
SPARE_ROWS = 1
#: The most rows a submitted form may carry for one group (a bound on what a request builds).
MAX_ROWS = 200

Widget = Literal[
    "text", "longtext", "date", "amount", "integer", "bool", "choice", "multichoice", "lines",
    "group", "rows", "json",
]  # fmt: skip


@dataclass
class FormField:
    """One input (or group of inputs) of a generated form, bound to what was typed."""

    name: str  #: dotted path in the payload, the input's HTML name
    key: str  #: the field's own name within its model
    title: str  #: translated label
    hint: str  #: translated hint ("" when none)
    widget: Widget
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
    value: Any = ""  #: what the input shows: a string, a bool, a list of strings
    error: str = ""
    children: list[FormField] = field(default_factory=list)  #: a group's fields
    rows: list[list[FormField]] = field(default_factory=list)  #: a repeatable group's rows

    @property
    def html_id(self) -> str:
        return "f-" + self.name.replace(".", "-")


# --- reading a model ------------------------------------------------------------------------


def unwrap(annotation: Any) -> tuple[Any, list[Any], bool]:
    """``(type, metadata, optional)`` of an annotation: ``X | None`` and ``Annotated``
    peeled off, their metadata kept (a ``Text``'s length limits say text from paragraph)."""
    optional = False
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            metadata.extend(extra)
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(members) < len(get_args(annotation))
            annotation = members[0] if len(members) == 1 else str
        else:
            return annotation, metadata, optional


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def widget_of(tp: Any, metadata: list[Any]) -> tuple[Widget, Any]:
    """The widget for a field's type, and the row model or choices it needs."""
    origin = get_origin(tp)
    if origin is Literal:
        return "choice", get_args(tp)
    if origin is list:
        (item,) = get_args(tp)
        inner, _meta, _opt = unwrap(item)
        if _is_model(inner):
            return "rows", inner
        if get_origin(inner) is Literal:
            return "multichoice", get_args(inner)
        return "lines", None
    if origin is dict:
        return "json", None
    if _is_model(tp):
        return "group", tp
    if tp is bool:
        return "bool", None
    if tp is int:
        return "integer", None
    if tp is Decimal:
        return "amount", None
    if tp is dt.date:
        return "date", None
    longest = max((getattr(m, "max_length", 0) or 0 for m in metadata), default=0)
    return ("longtext" if longest > 500 else "text"), None


def _required(info: FieldInfo, optional: bool) -> bool:
    return info.is_required() and not optional


def _translated(text: str | None) -> str:
    return _(text) if text else ""


def build(
    model: type[BaseModel],
    data: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
    *,
    prefix: str = "",
    only: tuple[str, ...] | None = None,
    choices: Mapping[str, list[tuple[str, str]]] | None = None,
    skip: frozenset[str] = frozenset(),
) -> list[FormField]:
    """The form of ``model`` bound to ``data`` (a flat mapping of dotted names to what was
    typed: ``request.POST``, or ``flatten`` of a payload) and ``errors`` (dotted name →
    message). ``only`` keeps those fields in that order; ``choices`` replaces a text field by
    a select (the buying units a user may register for, the deliverables already planned);
    ``skip`` leaves out fields by dotted name."""
    errors = errors or {}
    choices = choices or {}
    fields: list[FormField] = []
    names = only if only is not None else tuple(model.model_fields)
    for key in names:
        info = model.model_fields[key]
        name = f"{prefix}{key}"
        if name in skip:
            continue
        tp, metadata, optional = unwrap(info.annotation)
        widget, extra = widget_of(tp, metadata)
        f = FormField(
            name=name,
            key=key,
            title=_translated(info.title) or key,
            hint=_translated(info.description),
            widget=widget,
            required=_required(info, optional),
            error=errors.get(name, ""),
        )
        if name in choices:
            f.widget, f.choices = "choice", list(choices[name])
        elif widget in ("choice", "multichoice"):
            f.choices = [(str(v), choice_label(str(v))) for v in extra]
        if f.widget == "group":
            f.children = build(extra, data, errors, prefix=f"{name}.", choices=choices, skip=skip)
        elif f.widget == "rows":
            count = _row_count(data, name) + SPARE_ROWS
            f.rows = [
                build(extra, data, errors, prefix=f"{name}.{i}.", choices=choices, skip=skip)
                for i in range(count)
            ]
            f.error = f.error or errors.get(f"{name}.0", "")
        elif f.widget == "multichoice":
            f.value = _getlist(data, name)
        elif f.widget == "bool":
            f.value = _text(data.get(name)) in ("on", "true", "True", "1")
        else:
            f.value = _text(data.get(name))
            if f.widget == "amount" and "percent" in key:
                f.hint = f.hint or _("Porcentaje, p. ej. 10 o 2.5.")
        fields.append(f)
    return fields


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return str(value[-1]) if value else ""
    return str(value)


def _getlist(data: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    if getlist is not None:
        return [str(v) for v in getlist(name)]
    value = data.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _row_count(data: Mapping[str, Any], name: str) -> int:
    """How many rows of group ``name`` the data holds (``name.<i>.…``), at most ``MAX_ROWS``."""
    prefix = f"{name}."
    highest = -1
    for key in data:
        if key.startswith(prefix):
            index = key[len(prefix) :].split(".", 1)[0]
            if index.isdigit() and int(index) < MAX_ROWS:
                highest = max(highest, int(index))
    return highest + 1


# --- from a submitted form to a payload -----------------------------------------------------


def payload_from(
    model: type[BaseModel],
    data: Mapping[str, Any],
    *,
    prefix: str = "",
    only: tuple[str, ...] | None = None,
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The payload a submitted form stands for: empty inputs are left out (optional fields
    stay unset), empty rows dropped, an optional group with nothing typed left out, amounts
    without thousands separators or a currency sign. Types are not checked here: the model
    does that (``errors_from``), with the same messages the API gives."""
    payload: dict[str, Any] = {}
    for key in only if only is not None else tuple(model.model_fields):
        info = model.model_fields[key]
        name = f"{prefix}{key}"
        if name in skip:
            continue
        tp, metadata, _optional = unwrap(info.annotation)
        widget, extra = widget_of(tp, metadata)
        if widget == "group":
            inner = payload_from(extra, data, prefix=f"{name}.", skip=skip)
            if inner:
                payload[key] = inner
        elif widget == "rows":
            rows = [
                payload_from(extra, data, prefix=f"{name}.{i}.", skip=skip)
                for i in range(_row_count(data, name))
            ]
            kept = [row for row in rows if row]
            if kept or info.is_required():
                payload[key] = kept
        elif widget == "multichoice":
            values = _getlist(data, name)
            if values:
                payload[key] = values
        elif widget == "lines":
            values = [line.strip() for line in _text(data.get(name)).splitlines()]
            if any(values):
                payload[key] = [v for v in values if v]
        elif widget == "bool":
            if name in data:
                payload[key] = _text(data.get(name)) in ("on", "true", "True", "1")
            elif info.is_required() or info.default is not None:
                payload[key] = False
        else:
            text = _text(data.get(name)).strip()
            if not text:
                continue
            if widget == "amount":
                text = _as_number(text)
            elif widget == "integer" and text.lstrip("-").isdigit():
                payload[key] = int(text)
                continue
            payload[key] = text
    return payload


def _as_number(text: str) -> str:
    """An amount as typed, without thousands separators, spaces or a currency sign when that
    makes it a number (``$1,234.50`` → ``1234.50``); otherwise as typed, for the message."""
    bare = text.replace(",", "").replace("$", "").replace(" ", "")
    try:
        Decimal(bare)
    except ArithmeticError:
        return text
    return bare


def flatten(model: type[BaseModel], payload: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A payload as the flat mapping its form is bound to (the inverse of ``payload_from``):
    ``{"deliverables": [{"due_date": …}]}`` → ``{"deliverables.0.due_date": …}``."""
    flat: dict[str, Any] = {}
    for key, value in payload.items():
        info = model.model_fields.get(key)
        if info is None or value is None:
            continue
        name = f"{prefix}{key}"
        tp, metadata, _optional = unwrap(info.annotation)
        widget, extra = widget_of(tp, metadata)
        if widget == "group" and isinstance(value, Mapping):
            flat.update(flatten(extra, value, f"{name}."))
        elif widget == "rows" and isinstance(value, list):
            for i, row in enumerate(value):
                if isinstance(row, Mapping):
                    flat.update(flatten(extra, row, f"{name}.{i}."))
        elif widget == "multichoice" and isinstance(value, list):
            flat[name] = [str(v) for v in value]
        elif widget == "lines" and isinstance(value, list):
            flat[name] = "\n".join(str(v) for v in value)
        elif widget == "bool":
            if value is True:
                flat[name] = "on"
        else:
            flat[name] = str(value)
    return flat


# --- errors ---------------------------------------------------------------------------------


def errors_from(
    model: type[BaseModel],
    payload: Mapping[str, Any],
    context: Mapping[str, Any] | None = None,
    *,
    prefix: str = "",
) -> dict[str, str]:
    """Every problem the model finds in ``payload``, by dotted field name, in the user's
    language (the API reports only the first; a form shows them all at once)."""
    try:
        model.model_validate(payload, context=dict(context) if context else None)
    except ValidationError as exc:
        found: dict[str, str] = {}
        for error in exc.errors(include_url=False):
            path = ".".join(str(part) for part in error["loc"])
            found.setdefault(f"{prefix}{path}", in_language(pydantic_message(error)))
        return found
    return {}


def in_language(message: str) -> str:
    """One language of a bilingual engine message (``"es / en"``): the half for the user's
    language. The engine writes its messages as ``Spanish / English``; this is the one place
    that splits them (a message without the separator is shown as is)."""
    if " / " not in message:
        return message
    spanish, english = message.split(" / ", 1)
    return english if (get_language() or "es").startswith("en") else spanish


def field_of(path: str, prefix: str = "payload.") -> str:
    """An engine error's field (``payload.amount``) as the form's input name (``amount``)."""
    return path[len(prefix) :] if path.startswith(prefix) else path


def walk(fields: list[FormField]) -> list[FormField]:
    """Every field of a form, depth first (rows and groups included), for the error summary."""
    found: list[FormField] = []
    for f in fields:
        found.append(f)
        found.extend(walk(f.children))
        for row in f.rows:
            found.extend(walk(row))
    return found


def defaults(model: type[BaseModel], prefix: str = "") -> dict[str, Any]:
    """The model's real defaults (``action`` ``new``, withholdings of 0) as a blank form
    shows them, so that what the form says is what an untouched field will record."""
    shown: dict[str, Any] = {}
    for key, info in model.model_fields.items():
        default = info.get_default(call_default_factory=True)
        if default is None or default == [] or isinstance(default, bool):
            continue
        shown[f"{prefix}{key}"] = str(default)
    return shown

"""Turning pydantic's validation errors into BESA's: one ``InvalidPayload``, bilingual.

Only the first error is reported (pydantic lists them in field order), with ``field`` the dotted
path of the culprit under a prefix such as ``payload`` or ``documents.2``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from besa.exceptions import InvalidPayload

M = TypeVar("M", bound=BaseModel)


def parse(
    model: type[M], data: Mapping[str, Any], prefix: str, context: Mapping[str, Any] | None = None
) -> M:
    """Validate ``data`` as ``model`` or raise ``InvalidPayload`` for its first problem.

    ``context`` is handed to the field validators (the ``window`` of dates, see ``fields``)."""
    try:
        return model.model_validate(data, context=dict(context) if context else None)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        path = ".".join(str(part) for part in error["loc"])
        raise InvalidPayload(f"{prefix}.{path}" if path else prefix, message(error)) from None


def _ctx(error: ErrorDetails, key: str) -> Any:
    return (error.get("ctx") or {}).get(key)


_MESSAGES: dict[str, Callable[[ErrorDetails], str]] = {
    "missing": lambda e: "obligatorio / required",
    "extra_forbidden": lambda e: "campo desconocido / unknown field",
    "literal_error": lambda e: (
        f"valor no permitido: {e['input']!r} / not one of {_ctx(e, 'expected')}"
    ),
    "string_type": lambda e: f"se espera texto / expected text: {e['input']!r}",
    "string_too_short": lambda e: "no puede estar vacío / must not be empty",
    "string_too_long": lambda e: (
        f"demasiado largo (máx. {_ctx(e, 'max_length')}) / too long "
        f"(max {_ctx(e, 'max_length')} characters)"
    ),
    "string_pattern_mismatch": lambda e: f"formato inválido / invalid format: {e['input']!r}",
    "bool_type": lambda e: f"se espera true o false / expected true or false: {e['input']!r}",
    "int_type": lambda e: f"se espera un entero / expected an integer: {e['input']!r}",
    "greater_than_equal": lambda e: (
        f"debe ser ≥ {_ctx(e, 'ge')} / must be ≥ {_ctx(e, 'ge')}: {e['input']!r}"
    ),
    "less_than_equal": lambda e: (
        f"debe ser ≤ {_ctx(e, 'le')} / must be ≤ {_ctx(e, 'le')}: {e['input']!r}"
    ),
    "list_type": lambda e: "se espera una lista / expected a list",
    "too_short": lambda e: "no puede estar vacía / must not be empty",
    "model_type": lambda e: "se espera un objeto / expected an object",
    "dict_type": lambda e: "se espera un objeto / expected an object",
}


def message(error: ErrorDetails) -> str:
    """A bilingual (Spanish / English) message for one pydantic error."""
    if error["type"] == "besa":  # our own checks already speak both languages
        return str(error["msg"])
    render = _MESSAGES.get(error["type"])
    if render is not None:
        return render(error)
    return f"valor inválido / invalid value ({error['msg']})"

"""Entry kinds and the validation of their payloads. Pure: no Django, no clock, no database.

``validate_payload(kind, payload, state)`` is the gate of the logbook: it returns the payload
normalised to JSON (amounts as exact fixed-point strings, dates as ``YYYY-MM-DD``, codes and
RFCs in their canonical case, unset optional fields left out, defaults written out) or raises
``InvalidPayload`` naming the first problem, ``payload.<dotted.path>`` (``kind`` for a kind
that is unknown or not allowed in the contract's state). Validation is idempotent: a
normalised payload validates to itself, which is what lets a rectification re-validate history.

The modules: ``fields`` (value types), ``payloads`` (one model per kind: shapes), ``checks``
(rules across fields and against the state), ``errors`` (pydantic errors → ``InvalidPayload``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from besa.exceptions import InvalidPayload
from besa.logbook import state as snapshot
from besa.logbook.kinds import checks
from besa.logbook.kinds.audit import AUDIT_KINDS
from besa.logbook.kinds.errors import parse
from besa.logbook.kinds.fields import DateWindow
from besa.logbook.kinds.payloads import MODELS, AttachedDocument, Rectification

__all__ = ["AUDIT_KINDS", "KINDS", "DateWindow", "validate_documents", "validate_payload"]

#: Every entry kind, in the order of a contract's life.
KINDS: tuple[str, ...] = tuple(MODELS)


def validate_payload(
    kind: str,
    payload: Mapping[str, Any],
    state: Mapping[str, Any] | None,
    *,
    window: DateWindow | None = None,
) -> dict[str, Any]:
    """Validate ``payload`` as an entry of ``kind`` appended to a contract in ``state``.

    ``state`` is the contract's current snapshot (``besa.logbook.state``); ``None`` (or the
    initial state) only for a ``registration``. ``window`` bounds every date of the payload
    (a new entry has one; re-validating stored history needs none). Returns the normalised
    payload; raises ``InvalidPayload`` for the first problem. Never modifies its arguments.
    """
    if kind not in MODELS:
        raise InvalidPayload(
            "kind", f"tipo de entrada desconocido / unknown entry kind: {kind!r}; one of {KINDS}"
        )
    if not isinstance(payload, Mapping):
        raise InvalidPayload("payload", "se espera un objeto / expected an object")
    model = parse(MODELS[kind], payload, "payload", {"window": window} if window else None)
    if kind == "rectification":
        assert isinstance(model, Rectification)
        return _rectification(model, state, window)
    fills = checks.check(kind, model, state)
    return {**model.model_dump(mode="json", exclude_none=True), **fills}


def validate_documents(documents: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Validate and normalise the files attached to an entry.

    Each is ``{title, sha256, media_type, file_name?}``; the SHA-256 is stored lower-case.
    Raises ``InvalidPayload`` naming ``documents.<i>.<field>``.
    """
    if not isinstance(documents, Sequence) or isinstance(documents, str | bytes):
        raise InvalidPayload("documents", "se espera una lista / expected a list")
    clean = []
    for index, document in enumerate(documents):
        if not isinstance(document, Mapping):
            raise InvalidPayload(f"documents.{index}", "se espera un objeto / expected an object")
        model = parse(AttachedDocument, document, f"documents.{index}")
        clean.append(model.model_dump(mode="json", exclude_none=True))
    return clean


def _rectification(
    model: Rectification, state: Mapping[str, Any] | None, window: DateWindow | None
) -> dict[str, Any]:
    """Check a correction: the corrected entry must exist, and the history with the corrected
    payload in its place must still validate, entry by entry, from that entry on."""
    corrects = model.corrects
    known = (state or {}).get("entry_ids", {}).get(corrects)
    if state is None or known is None:
        raise InvalidPayload("payload.corrects", f"entrada desconocida / unknown entry: {corrects}")
    if known["kind"] in AUDIT_KINDS:
        raise InvalidPayload(
            "payload.corrects",
            "un paso de auditoría no se corrige: registre otro paso / "
            "an audit step is not corrected: record another step",
        )
    if known["kind"] == "rectification":
        raise InvalidPayload(
            "payload.corrects",
            "corrija la entrada original, no una rectificación / "
            "correct the original entry, not a rectification",
        )
    before = snapshot.state_before(state, corrects)
    try:
        corrected = validate_payload(known["kind"], model.payload, before, window=window)
    except InvalidPayload as exc:
        raise InvalidPayload(_inner(exc.field), exc.message) from None
    _revalidate_after(state, corrects, corrected, before)
    return {"corrects": corrects, "reason": model.reason, "payload": corrected}


def _inner(field: str) -> str:
    """``payload.x`` of the corrected payload is ``payload.payload.x`` of the rectification."""
    return "payload." + field if field.startswith("payload") else "payload.payload"


def _revalidate_after(
    state: Mapping[str, Any],
    corrects: str,
    corrected: dict[str, Any],
    before: Mapping[str, Any],
) -> None:
    """Refuse a correction that would make a later entry invalid (say, move an invoice's
    receipt after its payment): the later entry has to be corrected first."""
    log = state["log"]
    position = next(i for i, item in enumerate(log) if item["id"] == corrects)
    folding = snapshot.Fold(before)
    folding.add({**log[position], "payload": corrected}, replay=True)
    for item in log[position + 1 :]:
        if item["kind"] != "rectification":
            try:
                validate_payload(item["kind"], item["payload"], folding.state)
            except InvalidPayload as exc:
                raise InvalidPayload(
                    "payload.payload",
                    f"la corrección invalida la entrada {item['sequence']} ({item['kind']}): "
                    f"{exc.field}: {exc.message} / the correction would invalidate entry "
                    f"{item['sequence']} ({item['kind']})",
                ) from None
        folding.add(item, replay=True)

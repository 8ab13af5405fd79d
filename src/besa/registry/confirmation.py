"""The buying unit's registration of a published contract: confirming the pre-filled data.

An import registers a contract published elsewhere with what its source carries
(``besa.registry.publication``). The buying unit reviews that registration, corrects the
terms the source got wrong or left out, and confirms: ``confirm`` appends one rectification
of the registration entry, by the person, holding the registration as confirmed (unchanged
terms included, so the entry is the unit's own registration, complete). The registry row is
its projection like any rectified registration; A01 then judges the confirmation's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from besa.exceptions import Conflict, InvalidInput
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import Entry
from besa.registry.models import Contract
from besa.registry.publication import publication_of

#: The contract terms a buying unit may correct when it confirms, in the form's order, each
#: with its type: text, long text, date, amount or percent.
EDITABLE: tuple[tuple[str, str], ...] = (
    ("number", "text"), ("title", "text"), ("description", "long"),
    ("procedure_number", "text"), ("legal_basis", "text"),
    ("exception_justification", "long"), ("award_date", "date"), ("signing_date", "date"),
    ("start_date", "date"), ("end_date", "date"), ("amount", "amount"),
    ("vat_amount", "amount"), ("guarantee_percent", "percent"),
    ("penalty_rate_percent", "percent"), ("advance_percent", "percent"),
)  # fmt: skip
#: Terms that may be left empty (the others are required by the registration).
OPTIONAL = frozenset(
    {"description", "procedure_number", "legal_basis", "exception_justification",
     "award_date", "vat_amount"}
)  # fmt: skip
REASON = (
    "Registro confirmado por la unidad compradora a partir de los datos publicados / "
    "registration confirmed by the buying unit from the published data"
)


def prefilled(contract: Contract) -> tuple[Entry, dict[str, Any]]:
    """The registration entry and its effective payload (as rectified so far)."""
    registration = contract.entries.get(kind="registration")
    payload: dict[str, Any] = registration.payload
    for item in contract.state.snapshot["log"]:
        if item["id"] == str(registration.uuid):
            payload = item["payload"]
    return registration, payload


def confirm(
    contract: Contract, changes: Mapping[str, str], *, actor: Actor, now: dt.datetime | None = None
) -> Entry:
    """Confirm ``contract``'s pre-filled registration with ``changes`` (form values as typed,
    by term of ``EDITABLE``; an empty value clears an optional term) as ``actor``.

    Raises ``Conflict`` if the contract was not published or is already confirmed,
    ``InvalidInput`` naming the term for a bad value, ``PermissionDenied`` out of scope; then
    nothing is written.
    """
    publication = publication_of(contract.pk)
    if publication is None:
        raise Conflict("contract", "no es un contrato publicado / not a published contract")
    if publication.confirmed_at is not None:
        raise Conflict("contract", "ya confirmado / already confirmed")
    registration, payload = prefilled(contract)
    terms = dict(payload["contract"])
    kinds = dict(EDITABLE)
    for name, raw in changes.items():
        if name not in kinds:
            continue
        value = raw.strip()
        if not value:
            if name not in OPTIONAL:
                raise InvalidInput(name, "obligatorio / required")
            terms.pop(name, None)
            continue
        terms[name] = _parsed(name, kinds[name], value)
    corrected = {**payload, "contract": terms}
    return append(
        contract,
        "rectification",
        {"corrects": str(registration.uuid), "reason": REASON, "payload": corrected},
        actor=actor,
        now=now,
        occurred_at=now,
    )


def _parsed(name: str, kind: str, value: str) -> str:
    if kind == "date":
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise InvalidInput(name, "fecha AAAA-MM-DD / date YYYY-MM-DD") from None
    if kind in ("amount", "percent"):
        try:
            number = Decimal(value.replace(",", ""))
        except InvalidOperation:
            raise InvalidInput(name, "no es un número / not a number") from None
        if not number.is_finite():
            raise InvalidInput(name, "no es un número / not a number")
        return format(number, "f")
    return value

"""A registration request, as the web form and ``POST /api/contracts`` receive it.

``RegistrationRequest`` is made from the registration entry's own fields
(``besa.logbook.kinds.payloads.Registration``: the contract's terms, suppliers, compliance
opinions, budget sufficiency) plus the buying unit's code: one definition for the form, the
API schema and the entry. ``register`` resolves the buying unit within the user's scope and
hands everything to ``besa.registration.register_contract``, which validates it,
writes the contract and opens its logbook in one transaction.

This is the only module of the web application and the API that imports the registration
code (``besa.registration``, which sits above the registry and the logbook).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from pydantic import create_model

from besa.exceptions import InvalidInput, JurisdictionError, NotFound
from besa.jurisdiction import from_env
from besa.logbook.kinds.errors import parse
from besa.logbook.kinds.fields import Payload, Text
from besa.logbook.kinds.payloads import ContractTerms, Registration, _, about
from besa.registration import PAYLOAD_ONLY_TERMS, SupplierShare, register_contract
from besa.registry.models import BuyingUnit, Contract
from besa.registry.suppliers import register_supplier

#: The contract terms registration keeps: ``Contract``'s columns, and the terms only the
#: registration entry holds (``PAYLOAD_ONLY_TERMS``: ``pef_max_amount``, ``procedure_budget``,
#: the market research's prices and figures, which rules A24 and A25 read). Any other term
#: would be refused at registration rather than silently dropped (none today; a test says so).
STORED_TERMS: frozenset[str] = (
    frozenset(f.name for f in Contract._meta.concrete_fields) | frozenset(PAYLOAD_ONLY_TERMS)
) & frozenset(ContractTerms.model_fields)
NOT_YET_STORED: frozenset[str] = frozenset(ContractTerms.model_fields) - STORED_TERMS

#: The registration entry's own fields, taken as they are defined there.
_ENTRY_FIELDS: dict[str, Any] = {
    name: (Registration.model_fields[name].annotation, copy.copy(Registration.model_fields[name]))
    for name in ("contract", "suppliers", "compliance", "budget_sufficiency")
}

#: The registration request: the buying unit, then the registration entry's own fields.
RegistrationRequest: type[Payload] = create_model(
    "RegistrationRequest",
    __base__=Payload,
    __doc__="A contract to register: its buying unit (by code), terms, suppliers, compliance "
    "opinions and budget sufficiency. The regime defaults to the one in force on the signing "
    "date; the buyer is the buying unit's.",
    buying_unit=(
        Text,
        about(
            _("Unidad compradora"),
            _("La unidad compradora que firmó el contrato (en la API, su clave)."),
        ),
    ),
    **_ENTRY_FIELDS,
)


def with_regime(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with the contract's regime filled in from its signing date when absent (the
    jurisdiction's rule: the law in force on the day the contract was signed)."""
    request = dict(data)
    terms = request.get("contract")
    if isinstance(terms, Mapping) and not terms.get("regime"):
        signing = terms.get("signing_date")
        try:
            day = dt.date.fromisoformat(str(signing))
        except (TypeError, ValueError):
            return request  # the model names the bad signing date
        try:
            regime = from_env().regime_for(day).code
        except JurisdictionError:
            # A day before every regime the jurisdiction knows: the date is what is wrong.
            raise InvalidInput(
                "contract.signing_date",
                f"ningún régimen vigente el {day.isoformat()} / no regime in force on "
                f"{day.isoformat()}",
            ) from None
        request["contract"] = {**terms, "regime": regime}
    return request


def register(user: Any, data: Mapping[str, Any]) -> Contract:
    """Register the contract ``data`` describes (a ``RegistrationRequest``) for ``user``.

    Raises ``InvalidInput`` naming the field as the request spells it (``contract.amount``,
    ``suppliers.0.rfc``), ``NotFound`` when the buying unit does not exist or is outside what
    ``user`` may read, ``PermissionDenied`` when ``user`` may read but not register for it.
    Nothing is written unless everything is accepted (suppliers included).
    """
    try:
        request = parse(RegistrationRequest, with_regime(data), "")
    except InvalidInput as exc:  # parse spells a field under the empty prefix ".field"
        raise type(exc)(exc.field.lstrip("."), exc.message) from None
    values = request.model_dump()
    unit = BuyingUnit.objects.visible_to(user).filter(code=values["buying_unit"]).first()
    if unit is None:
        raise NotFound(
            f"unidad compradora no encontrada / buying unit not found: {values['buying_unit']}"
        )
    terms = {k: v for k, v in values["contract"].items() if v is not None}
    for name in sorted(NOT_YET_STORED & set(terms)):
        raise InvalidInput(
            f"contract.{name}",
            "aún no se acepta al registrar / not accepted at registration yet",
        )
    dumped = request.model_dump(mode="json", exclude_none=True)
    try:
        with transaction.atomic():
            suppliers = [
                SupplierShare(_supplier(i, s["rfc"], s["name"]), Decimal(str(s["share_percent"])))
                for i, s in enumerate(values["suppliers"])
            ]
            return register_contract(
                user,
                buying_unit=unit,
                suppliers=suppliers,
                compliance=dumped.get("compliance", []),
                budget_sufficiency=dumped.get("budget_sufficiency"),
                **terms,
            )
    except InvalidInput as exc:
        raise type(exc)(_request_field(exc.field), exc.message) from None


def _supplier(index: int, rfc: str, name: str) -> Any:
    try:
        return register_supplier(rfc=rfc, name=name)
    except InvalidInput as exc:
        raise InvalidInput(f"suppliers.{index}.{exc.field or 'rfc'}", exc.message) from None


def _request_field(field: str) -> str:
    """A field as the registry or the logbook names it, spelled as in the request."""
    if field.startswith("payload."):
        return field[len("payload.") :]
    if field in ContractTerms.model_fields:
        return f"contract.{field}"
    return field

"""Registering suppliers and contracts: the only code that writes registry rows for users.

Each function validates everything before writing anything, checks the actor's scope, and
writes in one transaction, so a rejected registration leaves no trace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from besa.exceptions import InvalidInput, PermissionDenied
from besa.jurisdiction import from_env
from besa.registry import validation
from besa.registry.models import (
    BuyingUnit,
    Character,
    Contract,
    ContractingType,
    ProcedureType,
    Supplier,
)


def check_contract(contract: Contract) -> None:
    """Raise ``InvalidInput`` naming the first bad field of an unsaved or edited contract.

    Checks the choices, the currency, the money and date terms against each other, and that
    the legal regime exists in the deployment's jurisdiction file.
    """
    jurisdiction = from_env()
    for field, choices in (
        ("procedure_type", ProcedureType),
        ("contracting_type", ContractingType),
        ("character", Character),
    ):
        if getattr(contract, field) not in choices.values:
            raise InvalidInput(
                field, f"valor desconocido / unknown value: {getattr(contract, field)!r}"
            )
    if not (contract.number or "").strip():
        raise InvalidInput("number", "obligatorio / required")
    if not (contract.title or "").strip():
        raise InvalidInput("title", "obligatorio / required")
    if contract.regime not in jurisdiction.regimes:
        raise InvalidInput(
            "regime",
            f"marco normativo desconocido / unknown regime {contract.regime!r}; "
            f"expected one of {sorted(jurisdiction.regimes)}",
        )
    contract.currency = validation.check_currency(contract.currency)
    regime = jurisdiction.regime(contract.regime)
    validation.check_terms(
        validation.ContractTerms(
            currency=contract.currency,
            amount=validation.check_amount(contract.amount, "amount"),
            exchange_rate=contract.exchange_rate,
            is_open=contract.is_open,
            min_amount=contract.min_amount,
            max_amount=contract.max_amount,
            award_date=contract.award_date,
            signing_date=contract.signing_date,
            start_date=contract.start_date,
            end_date=contract.end_date,
        ),
        home_currency=jurisdiction.currency,
        open_min_percent=regime.open_contract_min_percent,
    )
    for field in ("advance_percent", "guarantee_percent", "penalty_rate_percent"):
        value = Decimal(str(getattr(contract, field)))
        if not Decimal(0) <= value <= Decimal(100):
            raise InvalidInput(field, f"debe estar entre 0 y 100 / must be within 0–100: {value}")


@dataclass(frozen=True)
class SupplierShare:
    """One supplier of a contract and its share of a joint proposal, in percent."""

    supplier: Supplier
    share_percent: Decimal = Decimal(100)


def register_supplier(*, rfc: str, name: str, strict: bool = True, **fields: Any) -> Supplier:
    """Create (or return the existing) supplier with this RFC.

    ``strict`` enforces the RFC check digit (new registrations); imports pass ``strict=False``
    and get the warning stored on the supplier. Idempotent on the RFC, except for the generic
    foreign RFC, which is matched on RFC and name together.
    """
    check = validation.check_rfc(rfc, strict=strict)
    if not (name or "").strip():
        raise InvalidInput("name", "obligatorio / required")
    lookup: dict[str, Any] = {"rfc": check.rfc}
    if check.generic:
        lookup["name"] = name.strip()
    defaults = {
        "name": name.strip(),
        "person_type": check.person_type,
        "rfc_warning": check.warning,
        **fields,
    }
    supplier, _ = Supplier.objects.get_or_create(**lookup, defaults=defaults)
    return supplier


def register_contract(
    actor: Any,
    *,
    buying_unit: BuyingUnit,
    suppliers: Sequence[SupplierShare],
    compliance: Sequence[Mapping[str, Any]] = (),
    budget_sufficiency: Mapping[str, Any] | None = None,
    idempotency_key: str | None = None,
    **fields: Any,
) -> Contract:
    """Register a contract for ``buying_unit`` on behalf of ``actor`` (a user, or a system
    ``Actor`` for imports) and open its logbook with the registration entry, which carries
    the contract's terms, buyer, suppliers, compliance opinions and budget sufficiency.

    ``fields`` are the contract's terms: the registry row's fields and the registration-only
    terms (``PAYLOAD_ONLY_TERMS``, e.g. ``market_research_prices``).

    Raises ``PermissionDenied`` when the buying unit is outside the actor's write scope and
    ``InvalidInput`` naming the field for bad data; in both cases nothing is written. The ocid
    is minted from the jurisdiction's prefix unless ``ocid`` is given (imports keep theirs).
    """
    from besa.logbook.actor import Actor
    from besa.logbook.append import append, open_chain

    by = actor if isinstance(actor, Actor) else Actor.of(actor)
    payload_terms = {k: fields.pop(k) for k in PAYLOAD_ONLY_TERMS if k in fields}
    payload_terms = {k: v for k, v in payload_terms.items() if v is not None}
    if (
        by.user is not None
        and not BuyingUnit.objects.writable_by(by.user).filter(pk=buying_unit.pk).exists()
    ):
        raise PermissionDenied(
            "la unidad compradora está fuera de su ámbito / buying unit out of scope"
        )
    if "signing_date" not in fields:
        raise InvalidInput("signing_date", "obligatorio / required")
    if not suppliers:
        raise InvalidInput("suppliers", "al menos un proveedor / at least one supplier")
    total_share = sum((s.share_percent for s in suppliers), Decimal(0))
    if total_share != Decimal(100):
        raise InvalidInput("suppliers", f"las participaciones suman {total_share} %, no 100 %")
    jurisdiction = from_env()
    fields.setdefault("regime", jurisdiction.regime_for(fields["signing_date"]).code)
    contract = Contract(buying_unit=buying_unit, **fields)
    if not contract.ocid:
        contract.ocid = jurisdiction.ocid(str(contract.id))
    check_contract(contract)
    with transaction.atomic():
        contract.save()  # the supplier links and any normalised term: by append's projection
        open_chain(contract)
        payload = registration_payload(contract, suppliers, jurisdiction.currency)
        payload["compliance"] = [dict(c) for c in compliance]
        payload["contract"].update(_jsonable_terms(payload_terms))
        if budget_sufficiency:
            payload["budget_sufficiency"] = dict(budget_sufficiency)
        append(
            contract,
            "registration",
            payload,
            actor=by,
            idempotency_key=idempotency_key,
            occurred_at=_start_of_day(contract.signing_date),
        )
    return contract


def registration_payload(
    contract: Contract, suppliers: Sequence[SupplierShare], home_currency: str
) -> dict[str, Any]:
    """The registration entry's payload: a snapshot of the registered terms."""
    terms: dict[str, Any] = {}
    for name in _REGISTERED_TERMS:
        value = getattr(contract, name)
        if value is None or value == "":
            continue
        terms[name] = value.isoformat() if hasattr(value, "isoformat") else _jsonable(value)
    unit = contract.buying_unit
    institution = unit.institution
    return {
        "contract": terms,
        "buyer": {
            "institution_code": institution.code,
            "institution_name": institution.name,
            "institution_rfc": institution.rfc,
            "buying_unit_code": unit.code,
            "buying_unit_name": unit.name,
            "level": institution.level,
        },
        "suppliers": [
            {"rfc": s.supplier.rfc, "name": s.supplier.name, "share_percent": str(s.share_percent)}
            for s in suppliers
        ],
        "home_currency": home_currency,
        "compliance": [],
    }


#: Registration terms the registry row does not hold, only the registration entry (rule
#: inputs: A24's PEF maximum, A25's procedure budget and market research). ``register_contract``
#: takes them as keyword arguments like the row's fields; the payload model checks them.
PAYLOAD_ONLY_TERMS = (
    "pef_max_amount",
    "procedure_budget",
    "market_research_prices",
    "market_median_amount",
    "market_average_amount",
)


def _jsonable_terms(terms: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: [_jsonable(v) for v in value] if isinstance(value, list | tuple) else _jsonable(value)
        for name, value in terms.items()
    }


_REGISTERED_TERMS = (
    "number",
    "title",
    "description",
    "procedure_type",
    "procedure_number",
    "compranet_code",
    "contracting_type",
    "character",
    "legal_basis",
    "exception_justification",
    "regime",
    "award_date",
    "signing_date",
    "start_date",
    "end_date",
    "amount",
    "vat_amount",
    "currency",
    "exchange_rate",
    "is_open",
    "min_amount",
    "max_amount",
    "multiyear",
    "advance_percent",
    "guarantee_percent",
    "penalty_rate_percent",
)


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _start_of_day(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the jurisdiction's time zone (when only a date is known)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=from_env().zone)

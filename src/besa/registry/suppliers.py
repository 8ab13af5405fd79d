"""Registering suppliers in the catalogue: the one code path that creates ``Supplier`` rows.

Below the logbook: a supplier is catalogue data, not a logbook fact, so the logbook's
projection (``besa.logbook.projection``) may register the suppliers a registration names.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from besa.exceptions import InvalidInput
from besa.registry import validation
from besa.registry.models import Supplier


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

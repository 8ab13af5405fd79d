"""A contract's registry row as a projection of its logbook: one source of truth.

The ``Contract`` columns, its buying unit and its supplier links are what the contract's folded
state (``besa.logbook.state``) says they are: the registration entry's terms, buyer and
suppliers, as rectified. ``contract_row`` computes those values, purely; ``project`` writes
them and is called only by ``append()`` (for the kinds in ``PROJECTED_KINDS``) and by
``besa rebuild``; ``contract_row_breaks`` names every row that differs, for ``besa verify``.

The row holds the terms as signed (and corrected), not as amended: amendments are later facts
that live in the logbook, and the state folds them into ``current_amount`` and
``current_end_date`` (which the OCDS contract publishes). Keeping the signed terms keeps the
row a valid registration (an open contract's amount equals its maximum, and its minimum is at
least the regime's share of it) and the portfolio indicators on signed values.

Supplier links compare on (RFC, share): a supplier's name is a catalogue field, editable
without a logbook entry, while the RFC the logbook quotes is not (the admin keeps it
read-only, like a buying unit's code).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q

from besa.exceptions import InvalidInput
from besa.logbook.models import ContractState
from besa.registry.models import BuyingUnit, Contract, ContractSupplier, Supplier
from besa.registry.suppliers import register_supplier
from besa.registry.validation import GENERIC_RFCS

#: Entry kinds whose append can change a contract's registry row (a rectification may correct
#: the registration).
PROJECTED_KINDS = frozenset({"registration", "rectification"})

#: The ``Contract`` columns taken from the logbook, in the model's order.
COLUMNS: tuple[str, ...] = (
    "number", "compranet_code", "procedure_number", "title", "description",
    "contracting_type", "procedure_type", "character", "legal_basis",
    "exception_justification", "regime", "award_date", "signing_date", "start_date",
    "end_date", "amount", "vat_amount", "currency", "exchange_rate", "is_open", "min_amount",
    "max_amount", "multiyear", "advance_percent", "guarantee_percent", "penalty_rate_percent",
)  # fmt: skip

Link = tuple[str, Decimal]  #: (supplier RFC, share in percent)


@dataclass(frozen=True)
class ContractRow:
    """The values of a contract's registry row: its columns, its buying unit's code and its
    supplier links (sorted, so two rows compare with ``==``)."""

    columns: Mapping[str, Any]
    buying_unit_code: str
    suppliers: tuple[Link, ...]


@dataclass(frozen=True)
class Difference:
    """One field whose stored value is not the logbook's."""

    field: str
    stored: Any
    expected: Any

    def describe(self) -> str:
        return f"{self.field} stored {_shown(self.stored)}, logbook {_shown(self.expected)}"


def contract_row(snapshot: Mapping[str, Any]) -> ContractRow:
    """The registry row a contract in ``snapshot`` (its folded state) must have.

    Pure: reads no database and no clock. Raises ``ValueError`` for an unregistered state.
    """
    terms = snapshot.get("contract")
    if terms is None:
        raise ValueError(f"{snapshot.get('ocid')}: no registration in the logbook")
    columns = {}
    for name in COLUMNS:
        columns[name] = _column_value(Contract._meta.get_field(name), terms.get(name))
    suppliers = tuple(sorted((s["rfc"], _share(s["share_percent"])) for s in snapshot["suppliers"]))
    return ContractRow(columns, snapshot["buyer"]["buying_unit_code"], suppliers)


def stored_row(contract_id: Any) -> ContractRow:
    """The registry row as stored (two queries)."""
    return stored_rows([contract_id])[contract_id]


def stored_rows(contract_ids: list[Any]) -> dict[Any, ContractRow]:
    """The stored registry rows of ``contract_ids``, by id (two queries for any number)."""
    links: dict[Any, list[Link]] = {cid: [] for cid in contract_ids}
    for cid, rfc, share in ContractSupplier.objects.filter(
        contract_id__in=contract_ids
    ).values_list("contract_id", "supplier__rfc", "share_percent"):
        links[cid].append((rfc, _share(share)))
    rows = {}
    for values in Contract.objects.filter(pk__in=contract_ids).values(
        "id", *COLUMNS, "buying_unit__code"
    ):
        cid, unit = values.pop("id"), values.pop("buying_unit__code")
        rows[cid] = ContractRow(values, unit, tuple(sorted(links[cid])))
    return rows


def differences(stored: ContractRow, expected: ContractRow) -> list[Difference]:
    """Every field of ``stored`` that is not ``expected``, in column order."""
    found = [
        Difference(name, stored.columns[name], expected.columns[name])
        for name in COLUMNS
        if stored.columns[name] != expected.columns[name]
    ]
    if stored.buying_unit_code != expected.buying_unit_code:
        found.append(Difference("buying_unit", stored.buying_unit_code, expected.buying_unit_code))
    if Counter(stored.suppliers) != Counter(expected.suppliers):
        found.append(Difference("suppliers", stored.suppliers, expected.suppliers))
    return found


def project(
    contract: Contract, snapshot: Mapping[str, Any], *, write: bool = True
) -> list[Difference]:
    """Make ``contract``'s registry row the projection of ``snapshot``; return what differed.

    Idempotent: a row that already agrees is not written. With ``write=False`` only compares.
    The in-memory ``contract`` gets the new column values too. Raises ``InvalidInput`` when
    the logbook names a buying unit the catalogue does not have. Call inside the transaction
    that changed the state (``append()`` does).
    """
    expected = contract_row(snapshot)
    found = differences(stored_row(contract.pk), expected)
    if not found or not write:
        return found
    fields = {d.field for d in found}
    updates: dict[str, Any] = {n: expected.columns[n] for n in COLUMNS if n in fields}
    if "buying_unit" in fields:
        unit = BuyingUnit.objects.filter(code=expected.buying_unit_code).first()
        if unit is None:
            raise InvalidInput(
                "payload.buyer.buying_unit_code",
                f"unidad compradora desconocida / unknown buying unit {expected.buying_unit_code}",
            )
        updates["buying_unit"] = unit
    if updates:
        Contract.objects.filter(pk=contract.pk).update(**updates)
        for name, value in updates.items():
            setattr(contract, name, value)
    if "suppliers" in fields:
        _relink(contract, snapshot["suppliers"])
    return found


def contract_row_breaks() -> Iterator[tuple[str, str]]:
    """Stream every registered contract and yield ``(ocid, description)`` for each whose
    registry row differs from its logbook, naming the fields (stored vs logbook).

    Reads in chunks. A contract row whose logbook holds no registration entry (which
    ``register_contract`` never leaves behind) is named too.
    """
    orphans = Contract.objects.filter(Q(state__isnull=True) | Q(state__last_sequence=0))
    for ocid in orphans.order_by("ocid").values_list("ocid", flat=True).iterator():
        yield ocid, "the contract has no registration entry"
    heads = ContractState.objects.filter(last_sequence__gt=0).order_by("ocid")
    # Only the three parts of the snapshot a row is projected from (``contract_row``): the
    # database extracts them, instead of sending whole snapshots (about 24 KB each) here.
    parts = heads.values_list(
        "contract_id", "ocid", "snapshot__contract", "snapshot__suppliers", "snapshot__buyer"
    )
    chunk: list[tuple[Any, str, Any]] = []
    for contract_id, ocid, terms, suppliers, buyer in parts.iterator(chunk_size=500):
        parts_only = {"contract": terms, "suppliers": suppliers, "buyer": buyer}
        chunk.append((contract_id, ocid, parts_only))
        if len(chunk) == 500:
            yield from _breaks(chunk)
            chunk = []
    yield from _breaks(chunk)


def _breaks(heads: list[tuple[Any, str, Any]]) -> Iterator[tuple[str, str]]:
    stored = stored_rows([contract_id for contract_id, _, _ in heads])
    for contract_id, ocid, snapshot in heads:
        if not snapshot or snapshot.get("contract") is None:
            continue
        found = differences(stored[contract_id], contract_row(snapshot))
        if found:
            yield ocid, "; ".join(d.describe() for d in found)


# --- values ----------------------------------------------------------------------------------


def _column_value(field: Any, raw: Any) -> Any:
    """A JSON value of the logbook as the column holds it (missing: empty, or the default)."""
    if raw is None or raw == "":
        if field.null:
            return None
        return field.get_default()
    if isinstance(field, models.DecimalField):
        return Decimal(str(raw)).quantize(Decimal(1).scaleb(-field.decimal_places))
    if isinstance(field, models.DateField):
        return dt.date.fromisoformat(raw)
    if isinstance(field, models.BooleanField):
        return bool(raw)
    return str(raw)


def _share(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(f"{rfc} {share} %" for rfc, share in value) or "none"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "empty" if value is None or value == "" else str(value)


def _relink(contract: Contract, suppliers: list[Mapping[str, Any]]) -> None:
    """Replace the contract's supplier links by the logbook's (a generic foreign RFC is
    matched on RFC and name; an RFC the catalogue lacks is registered, leniently)."""
    ContractSupplier.objects.filter(contract_id=contract.pk).delete()
    links = []
    for s in suppliers:
        lookup = {"rfc": s["rfc"]}
        if s["rfc"] in GENERIC_RFCS:
            lookup["name"] = s["name"]
        supplier = Supplier.objects.filter(**lookup).first() or register_supplier(
            rfc=s["rfc"], name=s["name"], strict=False
        )
        links.append(
            ContractSupplier(
                contract=contract, supplier=supplier, share_percent=_share(s["share_percent"])
            )
        )
    ContractSupplier.objects.bulk_create(links)

"""Keeping ``InvoiceUUID`` (the global index of CFDI UUIDs) in step with the logbook.

The per-contract check (``kinds.checks``) refuses a UUID already on the same contract; this
index refuses one already on *any* contract. ``sync`` runs inside ``append()``'s transaction
after the state is folded, so a rectification that changes an invoice's UUID moves its index
row too; ``expected``/``rebuild_for`` let ``besa rebuild`` recompute it from entries alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction

from besa.exceptions import InvalidPayload
from besa.logbook.models import InvoiceUUID
from besa.registry.models import Contract

#: Entry kinds that can add, remove or change an invoice UUID.
KINDS = frozenset({"invoice", "rectification"})

_TAKEN = "CFDI ya registrado en otro contrato / CFDI already recorded on another contract: {uuid}"


def invoice_uuids(snapshot: Mapping[str, Any] | None) -> set[str]:
    """The UUIDs a contract state records."""
    return set((snapshot or {}).get("invoices") or {})


def taken_elsewhere(uuid: str, contract: Contract) -> bool:
    """Whether ``uuid`` is recorded on a contract other than ``contract``."""
    return InvoiceUUID.objects.filter(uuid=uuid.upper()).exclude(contract=contract).exists()


def sync(contract: Contract, before: Iterable[str], after: Iterable[str]) -> None:
    """Move the index of ``contract`` from the UUIDs ``before`` to those ``after`` an append.

    Must run inside the append's transaction. Raises ``InvalidPayload`` (field
    ``payload.uuid``) when a new UUID is already indexed for another contract; the caller's
    transaction then rolls back, entry included.
    """
    old, new = set(before), set(after)
    if old - new:
        InvoiceUUID.objects.filter(contract=contract, uuid__in=old - new).delete()
    for uuid in sorted(new - old):
        try:
            # The primary key decides (a taken UUID, or a lost race, is an IntegrityError); a
            # savepoint, so that on PostgreSQL the transaction stays usable long enough to
            # raise the domain error.
            with transaction.atomic():
                InvoiceUUID.objects.create(uuid=uuid, contract=contract, ocid=contract.ocid)
        except IntegrityError as exc:
            raise InvalidPayload("payload.uuid", _TAKEN.format(uuid=uuid)) from exc


def rebuild_for(contract_id: Any, ocid: str, snapshot: Mapping[str, Any], *, write: bool) -> bool:
    """Compare the index rows of one contract with its folded ``snapshot``; with ``write``,
    make them equal. Returns whether they differed."""
    expected = invoice_uuids(snapshot)
    live = set(InvoiceUUID.objects.filter(contract_id=contract_id).values_list("uuid", flat=True))
    if live == expected:
        return False
    if write:
        with transaction.atomic():
            InvoiceUUID.objects.filter(contract_id=contract_id, uuid__in=live - expected).delete()
            InvoiceUUID.objects.bulk_create(
                [InvoiceUUID(uuid=u, contract_id=contract_id, ocid=ocid) for u in expected - live]
            )
    return True

"""Writing the national-scale synthetic logbook (``national.py``) to the configured database.

Two paths: ``register_all`` opens each contract's logbook with a fast bulk insert of its
registration only (the starting point of the append benchmark), and ``load_fast`` bulk-loads
whole histories, chained and folded exactly as ``append()`` does (the starting point of the
verify benchmark). ``besa verify`` and ``besa rebuild --check`` prove the result.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction

from bench import national
from besa.jurisdiction import from_env
from besa.logbook import kinds, projection
from besa.logbook.chain import GENESIS, entry_hash
from besa.logbook.disclosure import new_salt
from besa.logbook.models import ContractState, Entry, entry_dict
from besa.logbook.state import Fold, initial_state
from besa.registry.models import BuyingUnit, Contract, ContractSupplier, Institution, Supplier

ACTOR = {"user": "bench", "role": "system", "institution": ""}


def setup_catalogue(seed: int) -> tuple[list[Any], list[Any]]:
    """Create the institutions, buying units and suppliers once; return unit and supplier ids
    indexed as ``national`` indexes them."""
    if not Institution.objects.filter(code=national.institution_code(0)).exists():
        with transaction.atomic():
            institutions = [
                Institution(
                    code=national.institution_code(i),
                    name=f"Institución {i}",
                    level="APF",
                    kind="dependencia",
                    rfc=national.institution_rfc(seed, i),
                )
                for i in range(national.N_INSTITUTIONS)
            ]
            Institution.objects.bulk_create(institutions, batch_size=1000)
            BuyingUnit.objects.bulk_create(
                (
                    BuyingUnit(
                        institution=institutions[u // national.UNITS_PER_INSTITUTION],
                        code=national.unit_code(u),
                        name=f"Unidad compradora {u}",
                    )
                    for u in range(national.N_INSTITUTIONS * national.UNITS_PER_INSTITUTION)
                ),
                batch_size=2000,
            )
            Supplier.objects.bulk_create(
                (
                    Supplier(
                        rfc=national.supplier_rfc(seed, s),
                        name=f"Proveedor {s} S.A. de C.V.",
                        person_type="moral",
                    )
                    for s in range(national.N_SUPPLIERS)
                ),
                batch_size=2000,
                ignore_conflicts=True,
            )
    units = dict(BuyingUnit.objects.filter(code__startswith="UC").values_list("code", "id"))
    unit_ids = [units[national.unit_code(u)] for u in range(len(units))]
    by_rfc = dict(Supplier.objects.values_list("rfc", "id"))
    supplier_ids = [by_rfc[national.supplier_rfc(seed, s)] for s in range(national.N_SUPPLIERS)]
    return unit_ids, supplier_ids


def _contract_row(p: national.Planned, unit_id: Any) -> Contract:
    terms = p.registration["contract"]
    day = dt.date.fromisoformat
    return Contract(
        id=uuid.UUID(p.ocid_suffix),
        ocid=from_env().ocid(p.ocid_suffix),
        number=terms["number"],
        buying_unit_id=unit_id,
        title=terms["title"],
        contracting_type=terms["contracting_type"],
        procedure_type=terms["procedure_type"],
        character=terms["character"],
        regime=terms["regime"],
        award_date=day(terms["award_date"]),
        signing_date=day(terms["signing_date"]),
        start_date=day(terms["start_date"]),
        end_date=day(terms["end_date"]),
        amount=Decimal(terms["amount"]),
        currency=terms["currency"],
    )


def _chain(
    contract: Contract, p: national.Planned, *, whole_history: bool
) -> tuple[list[Entry], ContractState]:
    zone = from_env().zone
    signed = dt.datetime.combine(contract.signing_date, dt.time(10), tzinfo=zone)
    hour = dt.timedelta(hours=1)
    items: list[tuple[str, Any, dt.datetime, Any, dt.datetime]] = [
        ("registration", p.registration, signed, (), signed + hour)
    ]
    if whole_history:
        # Recorded an hour after it happened, and not before the last fact it states (the
        # logbook refuses facts dated after their recording, as append() does).
        items += [
            (e.kind, e.payload, e.occurred_at, e.documents, e.earliest_recording(hour))
            for e in p.history
        ]
    folding = Fold(initial_state(contract.ocid))
    previous, rows = GENESIS, []
    for sequence, (kind, payload, occurred, documents, recorded) in enumerate(items, start=1):
        clean = kinds.validate_payload(kind, payload, folding.state if sequence > 1 else None)
        docs = kinds.validate_documents(list(documents))
        salt = new_salt()
        entry_id = uuid.uuid5(contract.id, str(sequence))
        as_dict = entry_dict(
            entry_id,
            contract.ocid,
            sequence,
            kind,
            occurred,
            recorded,
            ACTOR,
            clean,
            docs,
            previous,
            "",
        )
        as_dict["hash"] = entry_hash(previous, as_dict, salt)
        folding.add(as_dict)
        rows.append(
            Entry(
                uuid=entry_id,
                contract=contract,
                ocid=contract.ocid,
                sequence=sequence,
                kind=kind,
                occurred_at=occurred,
                recorded_at=recorded,
                actor=ACTOR,
                payload=clean,
                documents=docs,
                prev_hash=previous,
                hash=as_dict["hash"],
                salt=salt,
            )
        )
        previous = as_dict["hash"]
    head = ContractState(
        contract=contract,
        ocid=contract.ocid,
        status=folding.state["status"],
        last_sequence=len(rows),
        last_hash=previous,
        snapshot=folding.state,
        updated_at=rows[-1].recorded_at,
    )
    return rows, head


def load(
    planned: Iterable[national.Planned],
    unit_ids: list[Any],
    supplier_ids: list[Any],
    *,
    whole_history: bool,
    batch: int = 500,
) -> Iterator[tuple[int, int]]:
    """Bulk-load contracts in batches; yields (contracts, entries) written after each batch."""
    iterator = iter(planned)
    while chunk := list(itertools.islice(iterator, batch)):
        contracts, links, heads, entries = [], [], [], []
        for p in chunk:
            contract = _contract_row(p, unit_ids[p.unit_index])
            rows, head = _chain(contract, p, whole_history=whole_history)
            # The registry row is the projection of the logbook, as append() writes it.
            for name, value in projection.contract_row(head.snapshot).columns.items():
                setattr(contract, name, value)
            contracts.append(contract)
            links.append(
                ContractSupplier(contract=contract, supplier_id=supplier_ids[p.supplier_index])
            )
            entries += rows
            heads.append(head)
        with transaction.atomic():
            Contract.objects.bulk_create(contracts)
            ContractSupplier.objects.bulk_create(links)
            ContractState.objects.bulk_create(heads)
            Entry.objects.bulk_create(entries, batch_size=2000)
        yield len(contracts), len(entries)

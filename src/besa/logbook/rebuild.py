"""``rebuild()``: recompute every contract state projection, and every contract's registry row
(``besa.logbook.projection``), from the logbook alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from besa.logbook import invoice_index, projection, state
from besa.logbook.chain import GENESIS
from besa.logbook.models import ContractState, Entry


@dataclass
class RebuildReport:
    contracts: int = 0
    entries: int = 0
    changed: list[str] = field(default_factory=list)  #: ocids whose projection differed
    #: ``(ocid, description)`` of each registry row that differed from its logbook
    registry_rows: list[tuple[str, str]] = field(default_factory=list)


def rebuild(*, write: bool = True) -> RebuildReport:
    """Fold every contract's entries into a fresh state and compare it with the live one.

    With ``write`` the live projections (state row, CFDI index, registry row) are replaced
    where they differ (one transaction per contract, so a long rebuild never holds one huge
    lock). Returns what differed; after a healthy run of the application, nothing does.
    """
    report = RebuildReport()
    heads = ContractState.objects.select_related("contract").order_by("ocid")
    for head in heads.iterator(chunk_size=500):
        entries = [
            e.as_chain_dict()
            for e in Entry.objects.filter(contract_id=head.contract_id).order_by("sequence")
        ]
        report.contracts += 1
        report.entries += len(entries)
        folded = state.fold(entries) if entries else state.initial_state(head.ocid)
        last_seq = entries[-1]["sequence"] if entries else 0
        last_hash = entries[-1]["hash"] if entries else GENESIS
        status = folded.get("status", head.status) if entries else "new"
        # The global CFDI UUID index is a projection too (and is fixed even when the state
        # row itself is intact).
        index_differed = invoice_index.rebuild_for(head.contract_id, head.ocid, folded, write=write)
        rows: list[projection.Difference] = []
        if folded["contract"] is not None:
            with transaction.atomic():
                rows = projection.project(head.contract, folded, write=write)
            if rows:
                report.registry_rows.append((head.ocid, "; ".join(d.describe() for d in rows)))
        live = (head.snapshot, head.status, head.last_sequence, head.last_hash)
        if live == (folded, status, last_seq, last_hash):
            if index_differed or rows:
                report.changed.append(head.ocid)
            continue
        report.changed.append(head.ocid)
        if write:
            with transaction.atomic():
                ContractState.objects.filter(pk=head.pk).update(
                    snapshot=folded, status=status, last_sequence=last_seq, last_hash=last_hash
                )
    return report

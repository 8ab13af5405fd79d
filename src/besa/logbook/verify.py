"""``verify()``: recompute every hash, chain link and checkpoint, and name the first break.

What it detects: an edited entry (its content no longer matches its hash), a deleted entry (a
gap in the contract's sequence, or a chain head that no longer matches the last entry), a
reordered or re-linked entry (``prev_hash`` differs from the previous entry's hash), and any
change to the set of checkpointed entries or to a checkpoint (Merkle root or signature).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from besa.logbook import signing
from besa.logbook.chain import GENESIS, entry_hash
from besa.logbook.merkle import EMPTY_ROOT, merkle_root
from besa.logbook.models import Checkpoint, ContractState, Entry, entry_dict

_FIELDS = (
    "seq",
    "uuid",
    "contract_id",
    "ocid",
    "sequence",
    "kind",
    "occurred_at",
    "recorded_at",
    "actor",
    "payload",
    "documents",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class Break:
    """The first place where stored history does not verify."""

    ocid: str
    sequence: int | None
    what: str

    def describe(self) -> str:
        where = f"{self.ocid} #{self.sequence}" if self.sequence is not None else self.ocid
        return f"{where}: {self.what}"


@dataclass
class Report:
    entries: int = 0
    contracts: int = 0
    checkpoints: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks


def verify(chunk_size: int = 5000) -> Report:
    """Check the whole logbook. Reads in chunks; memory stays flat in the number of entries."""
    report = Report()
    heads = {
        cid: (ocid, last_seq, last_hash)
        for cid, ocid, last_seq, last_hash in ContractState.objects.values_list(
            "contract_id", "ocid", "last_sequence", "last_hash"
        )
    }
    seen: set[object] = set()
    current = None
    expected_seq, previous_hash = 1, GENESIS
    rows = Entry.objects.order_by("contract_id", "sequence").values_list(*_FIELDS)
    for row in rows.iterator(chunk_size=chunk_size):
        values = dict(zip(_FIELDS, row, strict=True))
        report.entries += 1
        if values["contract_id"] != current:
            if current is not None:
                _check_head(report, heads.get(current), expected_seq - 1, previous_hash)
            current = values["contract_id"]
            seen.add(current)
            report.contracts += 1
            expected_seq, previous_hash = 1, GENESIS
        ocid, sequence = values["ocid"], values["sequence"]
        if sequence != expected_seq:
            report.breaks.append(
                Break(ocid, expected_seq, f"entry missing (next stored entry is #{sequence})")
            )
        elif values["prev_hash"] != previous_hash:
            report.breaks.append(
                Break(ocid, sequence, "prev_hash does not match the previous entry's hash")
            )
        else:
            as_dict = entry_dict(
                values["uuid"],
                ocid,
                sequence,
                values["kind"],
                values["occurred_at"],
                values["recorded_at"],
                values["actor"],
                values["payload"],
                values["documents"],
                values["prev_hash"],
                values["hash"],
            )
            recomputed = entry_hash(values["prev_hash"], as_dict)
            if recomputed != values["hash"]:
                report.breaks.append(
                    Break(
                        ocid,
                        sequence,
                        f"content does not match its hash (stored {values['hash'][:16]}…, "
                        f"recomputed {recomputed[:16]}…): the {values['kind']} entry was edited",
                    )
                )
        expected_seq, previous_hash = sequence + 1, values["hash"]
    if current is not None:
        _check_head(report, heads.get(current), expected_seq - 1, previous_hash)
    for cid, (ocid, last_seq, _) in heads.items():
        if cid not in seen and last_seq:
            report.breaks.append(Break(ocid, 1, f"all {last_seq} entries are missing"))
    _check_checkpoints(report)
    from besa.registry.projection import contract_row_breaks

    for ocid, what in contract_row_breaks():
        report.breaks.append(Break(ocid, None, f"registry row differs from the logbook: {what}"))
    return report


def _check_head(
    report: Report, head: tuple[str, int, str] | None, last_seq: int, last_hash: str
) -> None:
    if head is None:
        return
    ocid, head_seq, head_hash = head
    if head_seq != last_seq:
        report.breaks.append(
            Break(ocid, last_seq + 1, f"entry missing: the chain head says {head_seq} entries")
        )
    elif head_hash != last_hash:
        report.breaks.append(Break(ocid, last_seq, "last entry does not match the chain head"))


def _check_checkpoints(report: Report) -> None:
    previous = EMPTY_ROOT
    for checkpoint in Checkpoint.objects.order_by("number").iterator():
        report.checkpoints += 1
        hashes = list(
            Entry.objects.filter(seq__gte=checkpoint.first_seq, seq__lte=checkpoint.last_seq)
            .order_by("seq")
            .values_list("hash", flat=True)
        )
        name = f"checkpoint {checkpoint.number}"
        if len(hashes) != checkpoint.entry_count:
            report.breaks.append(
                Break(name, None, f"covers {checkpoint.entry_count} entries, {len(hashes)} remain")
            )
        elif merkle_root(hashes) != checkpoint.merkle_root:
            report.breaks.append(Break(name, None, "Merkle root differs from the stored entries"))
        if checkpoint.previous_root != previous:
            report.breaks.append(Break(name, None, "does not chain to the previous checkpoint"))
        if not signing.is_valid(checkpoint.public_key, checkpoint.message(), checkpoint.signature):
            report.breaks.append(Break(name, None, "signature is not valid"))
        previous = checkpoint.merkle_root

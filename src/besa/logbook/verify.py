"""``verify()``: recompute every hash, chain link and checkpoint, compare the checkpoints with
their published copy outside the database, and name every break.

What it detects, judged against an insider with full database access:

- an edited entry (its content, or a hidden value behind a commitment, no longer matches its
  hash), a deleted entry (a gap in the contract's sequence, or a chain head that no longer
  matches the last entry), a reordered or re-linked entry;
- a checkpoint whose Merkle root no longer matches its entries, that does not chain to the
  previous one, or that is not signed by a key the deployment trusts (``signing.trusted_keys``;
  the key stored in the row is never trusted, so re-signing with another key does not help);
- history rewritten *consistently* inside the database (entries re-chained, checkpoints
  re-made, the last entries deleted together with their checkpoint, a middle checkpoint
  deleted, or the whole database restored from an older copy): the published copy
  (``besa.logbook.publication``) still holds the original checkpoints, and every one of them
  must be in the database, equal, and still match the entries it covers;
- the append-only triggers missing or disabled (``besa.logbook.triggers``);
- a contract's registry row edited behind the application's back (it must equal its
  projection of the logbook, ``besa.logbook.projection``).

Entries appended after the newest published checkpoint are covered by the chain only; the
worker checkpoints every 10 minutes to keep that window short.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import connection, transaction

from besa.exceptions import PublicationError
from besa.logbook import publication, signing, triggers
from besa.logbook.chain import GENESIS, entry_hash
from besa.logbook.merkle import EMPTY_ROOT, merkle_root
from besa.logbook.models import Checkpoint, ContractState, Entry, iso, signed_messages

#: The published fields that must equal the database's row, in the order they are compared.
_PUBLISHED_FIELDS = (
    "first_seq",
    "last_seq",
    "entry_count",
    "merkle_root",
    "previous_root",
    "created_at",
    "signature",
)


@dataclass(frozen=True)
class Break:
    """One place where stored history does not verify."""

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
    published: int = 0
    #: Where the published copy was read from.
    against: str = ""
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks


def verify(chunk_size: int = 5000, against: publication.CheckpointLog | None = None) -> Report:
    """Check the whole logbook against itself, the trusted keys and the published copy of
    the checkpoints (``against``, default the deployment's ``BESA_CHECKPOINT_LOG``).

    Reads in chunks; memory stays flat in the number of entries. Raises
    ``ConfigurationError`` when no trusted checkpoint key is configured."""
    report = Report()
    log = against or publication.configured()
    report.against = log.where
    try:
        published: list[dict[str, Any]] | None = log.read()
    except PublicationError as exc:
        published = None
        report.breaks.append(Break("published checkpoints", None, f"cannot be read: {exc}"))
    # Keys are needed (and must be configured) only once there is a checkpoint to check.
    keys = signing.trusted_keys() if published or Checkpoint.objects.exists() else []
    _check_chains(report, chunk_size)
    _check_checkpoints(report, keys)
    if published is not None:
        _check_published(report, published, keys)
    _check_registry_rows(report)
    missing = triggers.missing(connection)
    if missing:
        report.breaks.append(
            Break("database", None, f"the logbook is not append-only: triggers missing: "
                  f"{', '.join(missing)} (run `besa migrate` to reinstall them)")
        )  # fmt: skip
    return report


def _check_chains(report: Report, chunk_size: int) -> None:
    heads = {
        cid: (ocid, last_seq, last_hash)
        for cid, ocid, last_seq, last_hash in ContractState.objects.values_list(
            "contract_id", "ocid", "last_sequence", "last_hash"
        )
    }
    seen: set[object] = set()
    current = None
    expected_seq, previous_hash = 1, GENESIS
    for row in entry_rows(chunk_size):
        cid, entry_id, ocid, sequence, kind, occurred, recorded = row[:7]
        actor, payload, documents, prev_hash, stored_hash, salt = row[7:]
        report.entries += 1
        if cid != current:
            if current is not None:
                _check_head(report, heads.get(current), expected_seq - 1, previous_hash)
            current = cid
            seen.add(current)
            report.contracts += 1
            expected_seq, previous_hash = 1, GENESIS
        if sequence != expected_seq:
            report.breaks.append(
                Break(ocid, expected_seq, f"entry missing (next stored entry is #{sequence})")
            )
        elif prev_hash != previous_hash:
            report.breaks.append(
                Break(ocid, sequence, "prev_hash does not match the previous entry's hash")
            )
        else:
            # The hashed fields as ``entry_dict`` spells them (``entry_rows`` already gives
            # the id and the instants as text).
            content = {
                "id": entry_id,
                "ocid": ocid,
                "sequence": sequence,
                "kind": kind,
                "occurred_at": occurred,
                "recorded_at": recorded,
                "actor": actor,
                "payload": payload,
                "documents": documents,
            }
            recomputed = entry_hash(prev_hash, content, salt)
            if recomputed != stored_hash:
                report.breaks.append(
                    Break(
                        ocid,
                        sequence,
                        f"content does not match its hash (stored {stored_hash[:16]}…, "
                        f"recomputed {recomputed[:16]}…): the {kind} entry was edited",
                    )
                )
        expected_seq, previous_hash = sequence + 1, stored_hash
    if current is not None:
        _check_head(report, heads.get(current), expected_seq - 1, previous_hash)
    for cid, (ocid, last_seq, _) in heads.items():
        if cid not in seen and last_seq:
            report.breaks.append(Break(ocid, 1, f"all {last_seq} entries are missing"))


#: The columns ``entry_rows`` yields, in order.
ROW_FIELDS = (
    "contract_id", "uuid", "ocid", "sequence", "kind", "occurred_at", "recorded_at", "actor",
    "payload", "documents", "prev_hash", "hash", "salt",
)  # fmt: skip

#: PostgreSQL spells an instant as ``besa.logbook.models.iso`` does (UTC, microseconds).
_ISO_SQL = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"


def entry_rows(chunk_size: int = 5000) -> Iterator[tuple[Any, ...]]:
    """Every entry in (contract, sequence) order as a tuple of ``ROW_FIELDS``, with the id
    as text and the two instants as ``iso`` text: the values ``entry_dict`` hashes.

    On PostgreSQL one streaming ordered scan through a server-side cursor, with the
    instants formatted and the JSON sent as text by the server, and no ORM per row (the ORM
    was most of ``besa verify``'s time); elsewhere the ORM's chunked iterator. Memory stays
    flat in the number of entries."""
    if connection.vendor != "postgresql":
        rows = Entry.objects.order_by("contract_id", "sequence").values_list(*ROW_FIELDS)
        for row in rows.iterator(chunk_size=chunk_size):
            yield (row[0], str(row[1]), *row[2:5], iso(row[5]), iso(row[6]), *row[7:])
        return
    q = connection.ops.quote_name
    columns = [q(name) for name in ROW_FIELDS]
    columns[1] = f"{q('uuid')}::text"
    columns[5] = _ISO_SQL.format(q("occurred_at"))
    columns[6] = _ISO_SQL.format(q("recorded_at"))
    for i in (7, 8, 9):
        columns[i] += "::text"
    sql = (
        f"SELECT {', '.join(columns)} FROM {q(Entry._meta.db_table)} "
        f"ORDER BY {q('contract_id')}, {q('sequence')}"
    )
    loads = orjson.loads
    connection.ensure_connection()
    with transaction.atomic(), connection.connection.cursor(name="besa_verify_entries") as cursor:
        cursor.itersize = chunk_size
        cursor.execute(sql)
        for row in cursor:
            yield (*row[:7], loads(row[7]), loads(row[8]), loads(row[9]), *row[10:])


def _check_registry_rows(report: Report) -> None:
    """Every contract's registry row must equal its projection of the logbook (one source of
    truth: an edit behind the application's back shows here)."""
    from besa.logbook.projection import contract_row_breaks

    for ocid, what in contract_row_breaks():
        report.breaks.append(Break(ocid, None, f"registry row differs from the logbook: {what}"))


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


def _covered_hashes(first_seq: int, last_seq: int) -> list[str]:
    return list(
        Entry.objects.filter(seq__gte=first_seq, seq__lte=last_seq)
        .order_by("seq")
        .values_list("hash", flat=True)
    )


def _check_checkpoints(report: Report, keys: list[signing.TrustedKey]) -> None:
    previous, expected_number = EMPTY_ROOT, 1
    for checkpoint in Checkpoint.objects.order_by("number").iterator():
        report.checkpoints += 1
        name = f"checkpoint {checkpoint.number}"
        if checkpoint.number != expected_number:
            report.breaks.append(
                Break(name, None, f"checkpoint {expected_number} is missing from the database")
            )
        hashes = _covered_hashes(checkpoint.first_seq, checkpoint.last_seq)
        if len(hashes) != checkpoint.entry_count:
            report.breaks.append(
                Break(name, None, f"covers {checkpoint.entry_count} entries, {len(hashes)} remain")
            )
        elif merkle_root(hashes) != checkpoint.merkle_root:
            report.breaks.append(Break(name, None, "Merkle root differs from the stored entries"))
        if checkpoint.previous_root != previous:
            report.breaks.append(Break(name, None, "does not chain to the previous checkpoint"))
        signer = signing.signed_by_trusted(
            checkpoint.number, checkpoint.messages(), checkpoint.signature, keys
        )
        if signer is None:
            report.breaks.append(
                Break(name, None, "signature is not valid for any trusted checkpoint key "
                      f"(the row names key {checkpoint.public_key[:16]}…)")
            )  # fmt: skip
        elif checkpoint.public_key != signer:
            report.breaks.append(Break(name, None, "the row names another key than its signer"))
        previous, expected_number = checkpoint.merkle_root, checkpoint.number + 1


def _check_published(
    report: Report, published: Iterable[Mapping[str, Any]], keys: list[signing.TrustedKey]
) -> None:
    stored = {c.number: c for c in Checkpoint.objects.order_by("number")}
    numbers: set[int] = set()
    expected_number, previous = 1, EMPTY_ROOT
    for item in published:
        report.published += 1
        try:
            number = int(item["number"])
            copy = {k: item[k] for k in _PUBLISHED_FIELDS}
        except (KeyError, TypeError, ValueError):
            report.breaks.append(
                Break("published checkpoints", None, f"malformed checkpoint: {dict(item)!r:.120}")
            )
            continue
        numbers.add(number)
        name = f"published checkpoint {number}"
        if number != expected_number:
            report.breaks.append(
                Break(name, None, f"published checkpoint {expected_number} is missing from "
                      f"the published copy ({report.against})")
            )  # fmt: skip
        if copy["previous_root"] != previous:
            report.breaks.append(Break(name, None, "does not chain to the previous one"))
        previous, expected_number = copy["merkle_root"], number + 1
        messages = signed_messages({**copy, "number": number})
        if signing.signed_by_trusted(number, messages, str(copy["signature"]), keys) is None:
            report.breaks.append(Break(name, None, "is not signed by a trusted key"))
            continue
        row = stored.get(number)
        if row is None:
            hashes = _covered_hashes(int(copy["first_seq"]), int(copy["last_seq"]))
            state = (
                "its entries are still there"
                if merkle_root(hashes) == copy["merkle_root"]
                else f"{int(copy['entry_count']) - len(hashes)} of its "
                f"{copy['entry_count']} entries are gone or altered"
            )
            report.breaks.append(
                Break(f"checkpoint {number}", None,
                      f"is published (entries {copy['first_seq']}–{copy['last_seq']}, "
                      f"{copy['created_at']}) but missing from the database, and {state}: a "
                      "deleted checkpoint or a database restored from an older copy")
            )  # fmt: skip
            continue
        differs = [k for k, v in row.as_published().items() if k in copy and copy[k] != v]
        if differs:
            report.breaks.append(
                Break(f"checkpoint {number}", None,
                      f"differs from its published copy in {', '.join(differs)}")
            )  # fmt: skip
    for number in sorted(set(stored) - numbers):
        report.breaks.append(
            Break(f"checkpoint {number}", None,
                  f"is not in the published copy ({report.against}): publish it with "
                  "`besa checkpoint`, or the database holds a checkpoint nobody published")
        )  # fmt: skip

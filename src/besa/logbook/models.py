"""Logbook rows: entries (append-only, hash-chained), checkpoints, and the contract state
projection derived from entries.

``Entry`` and ``Checkpoint`` rows are never updated or deleted: database triggers
(``besa.logbook.triggers``) reject UPDATE and DELETE on both SQLite and PostgreSQL.
``ContractState`` is a projection: it is rewritten on every append and can be rebuilt from
entries alone (``besa rebuild``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from besa.jsonfield import FastJSONField
from besa.registry.models import Contract


class Entry(models.Model):
    """One fact of a contract's life. ``seq`` is the global order, ``sequence`` the gap-free
    order within the contract, and ``hash`` chains it to the contract's previous entry."""

    seq = models.BigAutoField(_("orden global"), primary_key=True)
    uuid = models.UUIDField(_("identificador"), unique=True, default=uuid.uuid4, editable=False)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="entries", verbose_name=_("contrato")
    )
    ocid = models.CharField("ocid", max_length=100, db_index=True)
    sequence = models.PositiveIntegerField(_("número en el contrato"))
    kind = models.CharField(_("tipo"), max_length=30)
    occurred_at = models.DateTimeField(_("ocurrió"))
    recorded_at = models.DateTimeField(_("registrado"))
    actor = FastJSONField(_("actor"))
    payload = FastJSONField(_("datos"))
    documents = FastJSONField(_("documentos"), default=list)
    idempotency_key = models.CharField(
        _("clave de idempotencia"), max_length=200, null=True, blank=True, unique=True
    )
    prev_hash = models.CharField(_("huella del asiento anterior"), max_length=64)
    hash = models.CharField(_("huella (SHA-256)"), max_length=64)
    #: The secret of the commitments that stand for the entry's hidden values in its hashed
    #: form (``besa.logbook.disclosure``); empty for entries from before commitments. Never
    #: published.
    salt = models.CharField(_("sal de los compromisos"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["seq"]
        verbose_name = _("asiento")
        verbose_name_plural = _("asientos")
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="entry_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.ocid}#{self.sequence} {self.kind}"

    def as_chain_dict(self) -> dict[str, Any]:
        """The entry as the chain, the projections and the OCDS mapping see it."""
        return entry_dict(
            self.uuid,
            self.ocid,
            self.sequence,
            self.kind,
            self.occurred_at,
            self.recorded_at,
            self.actor,
            self.payload,
            self.documents,
            self.prev_hash,
            self.hash,
        )


def entry_dict(
    entry_id: Any, ocid: str, sequence: int, kind: str, occurred_at: Any, recorded_at: Any,
    actor: Any, payload: Any, documents: Any, prev_hash: str, hash_: str,
) -> dict[str, Any]:  # fmt: skip
    """Build the plain-dict form of an entry (datetimes as UTC ISO-8601 with microseconds)."""
    return {
        "id": str(entry_id),
        "ocid": ocid,
        "sequence": sequence,
        "kind": kind,
        "occurred_at": iso(occurred_at),
        "recorded_at": iso(recorded_at),
        "actor": actor,
        "payload": payload,
        "documents": documents,
        "prev_hash": prev_hash,
        "hash": hash_,
    }


def iso(moment: Any) -> str:
    """UTC ISO-8601 with microseconds and offset: one spelling per instant, on every database."""
    import datetime as dt

    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


class ContractState(models.Model):
    """The current state of a contract, folded from its entries (``besa.logbook.state``).

    Also the head of the contract's chain (``last_sequence``, ``last_hash``), locked by
    ``append()`` so that appends to one contract are serialised while appends to different
    contracts never wait on each other.
    """

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, primary_key=True, related_name="state"
    )
    ocid = models.CharField(max_length=100, unique=True)
    status = models.CharField(_("estado"), max_length=30, db_index=True)
    last_sequence = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    snapshot = FastJSONField(default=dict)
    updated_at = models.DateTimeField(null=True)
    #: When the alert rules must next run although nothing was appended (a deadline passes).
    #: Set by the append hooks; the worker claims due rows with a conditional UPDATE
    #: (``claimed_until`` lease) so that several workers never evaluate one contract at once.
    next_check_at = models.DateTimeField(null=True, db_index=True)
    claimed_until = models.DateTimeField(null=True)
    claim = models.UUIDField(null=True)

    class Meta:
        verbose_name = _("estado del contrato")
        verbose_name_plural = _("estados de contratos")

    def __str__(self) -> str:
        return f"{self.ocid}: {self.status} @{self.last_sequence}"


class Checkpoint(models.Model):
    """A signed Merkle root over the hashes of entries ``first_seq..last_seq`` (global order),
    chained to the previous checkpoint's root. Publishing roots makes rewrites detectable."""

    number = models.BigAutoField(primary_key=True)
    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField()
    entry_count = models.PositiveIntegerField()
    merkle_root = models.CharField(max_length=64)
    previous_root = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    public_key = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["number"]
        verbose_name = _("punto de control")
        verbose_name_plural = _("puntos de control")

    def __str__(self) -> str:
        return f"checkpoint {self.number}: {self.first_seq}–{self.last_seq} {self.merkle_root[:12]}"

    def message(self) -> bytes:
        """The exact bytes that are signed (version 2: the creation time is signed too)."""
        return signed_messages(self.as_published())[0]

    def messages(self) -> tuple[bytes, bytes]:
        """The message as signed now (v2) and as signed before the time was (v1)."""
        return signed_messages(self.as_published())

    def as_published(self) -> dict[str, Any]:
        """The checkpoint as it is published (open data, API, the external copy)."""
        return {
            "number": self.number,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "entry_count": self.entry_count,
            "merkle_root": self.merkle_root,
            "previous_root": self.previous_root,
            "created_at": iso(self.created_at),
            "public_key": self.public_key,
            "signature": self.signature,
        }


def signed_messages(published: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """The bytes a checkpoint in its published form was signed as: version 2 (with the
    creation time) and version 1 (checkpoints made before the time was signed, which
    ``besa verify`` still accepts). One spelling for the signer, the database check and the
    check of a published copy."""
    fields = ":".join(
        str(published[k])
        for k in ("number", "first_seq", "last_seq", "entry_count", "merkle_root", "previous_root")
    )
    return (
        f"besa-checkpoint:v2:{fields}:{published['created_at']}".encode(),
        f"besa-checkpoint:v1:{fields}".encode(),
    )


class InvoiceUUID(models.Model):
    """The global index of CFDI UUIDs: one row per UUID recorded on any contract.

    A projection of the entries (the keys of every contract state's ``invoices``), written in
    ``append()``'s transaction and recomputed by ``besa rebuild``. Its primary key makes a
    UUID recorded on two contracts impossible even when two appends race: the second insert
    fails and its append rolls back (``besa.logbook.invoice_index``).
    """

    uuid = models.CharField(_("UUID del CFDI"), max_length=36, primary_key=True)
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="+")
    ocid = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("UUID de CFDI registrado")
        verbose_name_plural = _("UUID de CFDI registrados")

    def __str__(self) -> str:
        return f"{self.uuid} → {self.ocid}"

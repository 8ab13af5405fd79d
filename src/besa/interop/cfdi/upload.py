"""Recording uploaded CFDI 4.0 invoices in a contract's logbook: the one domain function
behind ``besa import cfdi``, ``POST /api/cfdi/{ocid}`` and the contract page's form.

Settings (Django setting or environment variable of the same name):

- ``BESA_CFDI_MAX_BYTES``: the largest file accepted (default 2 MiB).
- ``BESA_SAT_CFDI_CHECK`` and the other SAT status settings: see
  ``besa.interop.cfdi.checking``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from besa import configured
from besa.documents.store import keep
from besa.exceptions import InvalidInput, PermissionDenied
from besa.interop.cfdi.checking import status_service
from besa.interop.cfdi.mapping import invoice_payload
from besa.interop.cfdi.reading import DEFAULT_MAX_BYTES, read_document
from besa.interop.cfdi.status import StatusService, ask
from besa.interop.cfdi.verification import Verification, verify
from besa.jurisdiction.loader import from_env
from besa.logbook import invoice_index
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import Entry
from besa.registry.models import Contract


@dataclass(frozen=True)
class CfdiUpload:
    """The outcome of recording one CFDI. ``created`` is False when this very file was
    already recorded on the contract (nothing was written the second time)."""

    entry: Entry
    uuid: str
    created: bool
    sat_status: str | None
    verified: list[str] = field(default_factory=list)
    not_verified: list[str] = field(default_factory=list)


def max_bytes() -> int:
    """The configured size limit of an uploaded CFDI, in bytes."""
    return configured.whole_number("BESA_CFDI_MAX_BYTES", DEFAULT_MAX_BYTES)


def read_cfdi(data: bytes) -> Verification:
    """Parse and verify one CFDI without touching the database (``InvalidInput`` if bad)."""
    return verify(read_document(data, max_bytes=max_bytes()))


def upload_cfdi(
    contract: Contract,
    data: bytes,
    *,
    actor: Actor,
    file_name: str | None = None,
    date_received: dt.date | None = None,
    service: StatusService | None = None,
    checked: Verification | None = None,
) -> CfdiUpload:
    """Verify the CFDI in ``data`` and append it to ``contract`` as an ``invoice`` entry.

    Idempotent per file: uploading the same bytes again returns the first entry with
    ``created=False`` and writes nothing. A *different* file with a UUID already recorded,
    on this or any other contract, is refused (``InvalidInput`` naming ``uuid``), as is an
    issuer that is not a supplier of the contract or a receiver that is not its buying
    institution (``payload.issuer_rfc`` / ``payload.receiver_rfc``). ``PermissionDenied``
    when a person acts outside its write scope. When refused, nothing is written.

    ``service`` defaults to ``status_service()``; none (checks off): the invoice is recorded
    without a SAT status; no usable answer: with ``desconocido``, which A15 reports.
    ``checked`` lets a caller that already verified the file skip doing it twice.
    The XML itself is kept in the documents storage under its SHA-256 (``besa.documents``).
    """
    if (
        actor.user is not None
        and not Contract.objects.writable_by(actor.user).filter(pk=contract.pk).exists()
    ):
        raise PermissionDenied("el contrato está fuera de su ámbito / contract out of scope")
    verification = checked or read_cfdi(data)
    uuid = verification.uuid
    digest = hashlib.sha256(data).hexdigest()
    key = f"cfdi:{uuid}:{digest[:32]}"
    if invoice_index.taken_elsewhere(uuid, contract):
        raise InvalidInput(
            "uuid",
            f"CFDI ya registrado en otro contrato / CFDI already recorded on another contract: "
            f"{uuid}",
        )
    previous = Entry.objects.filter(idempotency_key=key, contract=contract).first()
    if previous is not None:
        return _outcome(previous, verification, created=False)
    received = date_received or timezone.localdate()
    status, checked_on = _sat_status(verification, service or status_service())
    payload = invoice_payload(
        verification.cfdi,
        uuid,
        date_received=received,
        sat_status=status,
        sat_status_checked_on=checked_on,
    )
    document = {
        "title": f"CFDI {uuid}",
        "sha256": digest,
        "media_type": "application/xml",
        **({"file_name": file_name[:200]} if file_name else {}),
    }
    # The XML is evidence: kept content-addressed like every attached document (before the
    # append, so an entry never names a file that is not kept; a refused append leaves an
    # unreferenced file, which is harmless and shared by any later upload of it).
    keep(digest, data)
    entry = append(
        contract,
        "invoice",
        payload,
        actor=actor,
        occurred_at=dt.datetime.combine(received, dt.time(), tzinfo=from_env().zone),
        documents=[document],
        idempotency_key=key,
    )
    return _outcome(entry, verification, created=True)


def upload_cfdis(
    contract: Contract,
    files: Sequence[tuple[str, bytes]],
    *,
    actor: Actor,
    date_received: dt.date | None = None,
    service: StatusService | None = None,
) -> list[CfdiUpload]:
    """Record several CFDI files, all or nothing: every file is verified first, then all
    are appended in one transaction. An error names the file: ``InvalidInput.field`` is
    ``<file name>: <field>``."""
    checked = []
    for name, data in files:
        try:
            checked.append(read_cfdi(data))
        except InvalidInput as exc:
            raise InvalidInput(f"{name}: {exc.field}", exc.message) from exc
    results = []
    with transaction.atomic():
        for (name, data), verification in zip(files, checked, strict=True):
            try:
                results.append(
                    upload_cfdi(
                        contract,
                        data,
                        actor=actor,
                        file_name=os.path.basename(name),
                        date_received=date_received,
                        service=service,
                        checked=verification,
                    )
                )
            except InvalidInput as exc:
                raise InvalidInput(f"{name}: {exc.field}", exc.message) from exc
    return results


def _sat_status(
    verification: Verification, service: StatusService | None
) -> tuple[str | None, dt.date | None]:
    if service is None:
        return None, None
    cfdi = verification.cfdi
    answer = ask(
        service,
        verification.uuid,
        str(cfdi["Emisor"]["Rfc"]),
        str(cfdi["Receptor"]["Rfc"]),
        cfdi["Total"],
    )
    return answer.status, timezone.localdate()


def _outcome(entry: Entry, verification: Verification, *, created: bool) -> CfdiUpload:
    return CfdiUpload(
        entry=entry,
        uuid=verification.uuid,
        created=created,
        sat_status=entry.payload.get("sat_status"),
        verified=list(verification.verified),
        not_verified=list(verification.not_verified),
    )

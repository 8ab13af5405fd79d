"""Uploading a CFDI 4.0 invoice (XML) to a contract's logbook over the API.

``POST /api/cfdi/{ocid}`` with a multipart ``file`` (and optionally ``date_received``).
Scoping as for entries: 404 when the caller may not read the contract, 403 when it may read
but not write it, 422 naming the field when the file is refused (nothing is written).
201 with the new entry, 200 when this very file was already recorded (nothing changes).
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from besa.api.filters import QueryText
from besa.api.logbook import _visible_contract
from besa.interop.cfdi.upload import max_bytes, upload_cfdi
from besa.logbook.actor import Actor

router = Router(tags=["cfdi"])


class CfdiOut(Schema):
    """The recorded invoice and what was (not) verified about its file."""

    entry_id: UUID
    sequence: int
    uuid: str
    sat_status: str | None
    verified: list[str]
    not_verified: list[str]


@router.post("/{ocid}", response={200: CfdiOut, 201: CfdiOut}, summary="Upload a CFDI 4.0")
def upload(
    request: HttpRequest,
    ocid: QueryText,
    file: File[UploadedFile],
    date_received: Form[dt.date | None] = None,
) -> Status[CfdiOut]:
    """Verify the CFDI and append it to the contract as an ``invoice`` entry."""
    contract = _visible_contract(request, ocid)
    # One byte over the limit is enough for the domain to refuse it; never read more.
    data = file.read(max_bytes() + 1)
    result = upload_cfdi(
        contract,
        data,
        actor=Actor.of(request.user),
        file_name=file.name,
        date_received=date_received,
    )
    body = CfdiOut(
        entry_id=result.entry.uuid,
        sequence=result.entry.sequence,
        uuid=result.uuid,
        sat_status=result.sat_status,
        verified=result.verified,
        not_verified=result.not_verified,
    )
    return Status(201 if result.created else 200, body)

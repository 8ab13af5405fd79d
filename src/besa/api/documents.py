"""Evidence documents over the API: upload one to attach to an entry, download one.

- ``POST /api/contracts/{ocid}/documents`` (multipart ``file``, optional ``title``): keeps the
  file (content-addressed, ``besa.documents.store``) and answers 201 with the dict to put in
  an entry's ``documents`` list (``{title, sha256, media_type, file_name}``). 403 when the
  caller may read the contract but not write it; 422 naming ``file`` when the policy refuses
  it (nothing is kept).
- ``GET /api/contracts/{ocid}/documents/{sha256}``: the file, when the contract has it.

Both answer 404 for a contract the caller may not read and for a hash the contract does not
have, even if another contract does.
"""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from besa.accesslog import record as accesslog
from besa.accesslog.models import What
from besa.api.filters import FreeText, QueryText
from besa.api.logbook import _visible_contract
from besa.documents import access
from besa.documents.store import store
from besa.exceptions import NotFound, PermissionDenied
from besa.registry.models import Contract

router = Router(tags=["documents"])


class DocumentOut(Schema):
    """What an entry's ``documents`` list holds for the stored file."""

    title: str
    sha256: str
    media_type: str
    file_name: str


@router.post(
    "/{ocid}/documents", response={201: DocumentOut}, summary="Upload an evidence document"
)
def upload(
    request: HttpRequest,
    ocid: QueryText,
    file: File[UploadedFile],
    title: Form[FreeText | None] = None,
) -> Status[DocumentOut]:
    """Keep the file and return the dict to attach to an entry (``documents``)."""
    contract = _visible_contract(request, ocid)
    if not Contract.objects.writable_by(request.user).filter(pk=contract.pk).exists():
        raise PermissionDenied(
            "su función solo permite consultar este contrato / your role may only read this "
            "contract"
        )
    return Status(201, DocumentOut(**store(file, title=title)))


@router.get(
    "/{ocid}/documents/{sha256}",
    response={200: None},
    summary="Download an evidence document",
)
def download(request: HttpRequest, ocid: QueryText, sha256: QueryText) -> FileResponse:
    """The stored file, as an attachment with its media type."""
    contract = _visible_contract(request, ocid)
    document = access.find(contract, sha256)
    if document is None:
        raise NotFound(f"documento no encontrado / document not found: {sha256[:64]}")
    response = access.attachment(document)
    if response is None:
        raise NotFound(f"el archivo no se conserva / the file is not kept: {sha256[:64]}")
    accesslog.read(request, What.DOCUMENT, contract=contract)
    return response

"""Finding a document among those of a contract, and serving its file: the only way a stored
file is served (the complaints inbox serves a report's files through ``attachment`` too).

Content addressing means one stored file may belong to contracts of several institutions;
the right to read it comes from the contract asked for, never from the hash. A document is
of a contract when its SHA-256 is in an entry's ``documents`` list or is the file of a
``document`` entry (record M).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import FileResponse

from besa.documents.store import open_document
from besa.exceptions import InvalidInput
from besa.registry.models import Contract

#: The keys of an attached-document dict (``public``: ``besa.documents.publicity``).
_KEYS = ("title", "sha256", "media_type", "file_name", "public", "document_type")


def find(contract: Contract, sha256: str) -> dict[str, Any] | None:
    """The attached-document dict (``title``, ``sha256``, ``media_type``, ``file_name``?,
    ``public``?, ``document_type``?) of ``contract`` with this SHA-256, from its latest entry
    that has it (so the latest decision on publishing it); ``None`` if none."""
    sha256 = sha256.lower()
    found: dict[str, Any] | None = None
    for kind, payload, documents in contract.entries.order_by("sequence").values_list(
        "kind", "payload", "documents"
    ):
        for document in documents or []:
            if document.get("sha256") == sha256:
                found = dict(document)
        if kind == "document" and payload.get("sha256") == sha256:
            found = {k: payload[k] for k in _KEYS if k in payload}
        if kind == "rectification" and (payload.get("payload") or {}).get("sha256") == sha256:
            corrected = payload["payload"]
            found = {k: corrected[k] for k in _KEYS if k in corrected}
    return found


def attachment(document: Mapping[str, Any]) -> FileResponse | None:
    """The stored file of ``document`` (as ``find`` gives it) as a download with its media
    type and name, which the browser must not second-guess (``nosniff``); ``None`` when only
    its fingerprint is known (hashed before BESA kept files, or imported)."""
    try:
        handle = open_document(document["sha256"])
    except (FileNotFoundError, InvalidInput):
        return None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.get("file_name") or document["sha256"][:16],
        content_type=document.get("media_type") or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Finding a document among those of a contract: the only way a stored file is served.

Content addressing means one stored file may belong to contracts of several institutions;
the right to read it comes from the contract asked for, never from the hash. A document is
of a contract when its SHA-256 is in an entry's ``documents`` list or is the file of a
``document`` entry (record M).
"""

from __future__ import annotations

from typing import Any

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

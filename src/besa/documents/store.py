"""Keeping accepted evidence files content-addressed in the ``documents`` storage.

The storage is Django's ``storages["documents"]``: the local disk under
``BESA_VAR_DIR/documents`` by default, S3-compatible object storage (django-storages) when
``BESA_DOCUMENT_STORAGE=s3`` (see ``docs/operations.md``). A file is stored under its SHA-256
(``ab/abcdef…``), so the same content uploaded twice, by anyone, is stored once; a stored
file is never overwritten or deleted by BESA (entries refer to it for ever). Each kept file
has a ``StoredDocument`` row, so pages learn which hashes have a file without asking the
storage.

Settings (Django setting or environment variable of the same name):

- ``BESA_DOCUMENT_MAX_BYTES``: the largest file accepted (default 20 MiB).
- ``BESA_DOCUMENT_TYPES``: comma-separated media types accepted (default
  ``besa.documents.policy.DEFAULT_TYPES``); executables are refused whatever it says.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from typing import IO, Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages

from besa import configured
from besa.documents import policy
from besa.documents.models import StoredDocument
from besa.exceptions import InvalidInput

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def max_bytes() -> int:
    """The configured size limit of one document, in bytes."""
    return configured.whole_number("BESA_DOCUMENT_MAX_BYTES", policy.DEFAULT_MAX_BYTES)


def allowed_types() -> frozenset[str]:
    """The configured media types accepted."""
    raw = configured.text("BESA_DOCUMENT_TYPES")
    if not raw:
        return policy.DEFAULT_TYPES
    return frozenset(t.strip() for t in raw.split(",") if t.strip())


def storage() -> Storage:
    """The storage that holds evidence documents."""
    return storages["documents"]


def path_of(sha256: str) -> str:
    """Where the document with this SHA-256 lives in the storage."""
    if not _SHA256.match(sha256):
        raise InvalidInput("sha256", f"no es un SHA-256 / not a SHA-256: {sha256[:80]}")
    return f"{sha256[:2]}/{sha256}"


def store(uploaded: Any, *, title: str | None = None) -> dict[str, str]:
    """Check ``uploaded`` (a Django ``UploadedFile`` or any file object with a ``name``)
    against the policy and keep it; return ``{title, sha256, media_type, file_name}``, the
    dict an entry's ``documents`` list holds. ``title`` defaults to the file name.

    Raises ``DocumentRefused`` (nothing stored) when the policy refuses it.
    """
    name = os.path.basename(str(getattr(uploaded, "name", "") or "documento"))[:200]
    limit = max_bytes()
    data = uploaded.read(limit + 1)
    return store_bytes(data, name, title=title, limit=limit)


def store_bytes(
    data: bytes, file_name: str, *, title: str | None = None, limit: int | None = None
) -> dict[str, str]:
    """``store`` for content already in memory (the CFDI upload keeps its XML so)."""
    media_type = policy.check(
        file_name, data, max_bytes=limit or max_bytes(), allowed=allowed_types()
    )
    digest = hashlib.sha256(data).hexdigest()
    keep(digest, data)
    return {
        "title": (title or file_name)[:200],
        "sha256": digest,
        "media_type": media_type,
        "file_name": file_name[:200],
    }


def keep(sha256: str, data: bytes) -> bool:
    """Store ``data`` under ``sha256`` unless already there; True when it was written.
    The caller computed the hash; it is checked again so a wrong one can never shadow a file."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise InvalidInput("sha256", "el contenido no tiene ese SHA-256 / content hash mismatch")
    where = storage()
    path = path_of(sha256)
    written = not where.exists(path)
    if written:
        saved = where.save(path, ContentFile(data))
        if saved != path:  # a concurrent upload of the same content won the race: keep one
            where.delete(saved)
    # Also when the file was there already: its record may have been rolled back with the
    # transaction of an earlier upload, the file staying.
    StoredDocument.objects.get_or_create(sha256=sha256)
    return written


def exists(sha256: str) -> bool:
    return storage().exists(path_of(sha256))


def kept(hashes: Iterable[str]) -> set[str]:
    """The hashes among ``hashes`` whose file was kept (one query, no request to the storage)."""
    return set(
        StoredDocument.objects.filter(sha256__in=set(hashes)).values_list("sha256", flat=True)
    )


def open_document(sha256: str) -> IO[bytes] | File:
    """The stored file for reading (``FileNotFoundError`` when it was never stored)."""
    where = storage()
    path = path_of(sha256)
    if not where.exists(path):
        raise FileNotFoundError(path)
    return where.open(path, "rb")

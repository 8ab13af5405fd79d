"""The record of which files the ``documents`` storage holds (``besa.documents.store``)."""

from __future__ import annotations

from django.db import models


class StoredDocument(models.Model):
    """A file kept in the ``documents`` storage under ``sha256``, written by ``store.keep``.

    Files are never deleted, so a row never goes stale; it lets a page tell which of many
    hashes have a file with one query instead of asking the storage (a request to S3) for
    each. The storage stays the source of the bytes: a download still opens the file."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    stored_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256

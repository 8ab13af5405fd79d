"""Which of a contract's documents the citizens' portal publishes.

Pure (no Django). The decision is a field of the logbook entry that carries or restates the
file (``public`` in an attached document or a ``document`` entry), so it is hashed and
chained with the facts: whoever may record facts on the contract (its buying unit's
operators and its institution's coordinator) decides, and nobody with database access can
flip it silently. A file is public when the latest statement about its SHA-256 says
``public: true``; a later ``document`` entry for the same file with ``public: false``
withdraws it. A statement without the field (every entry recorded before the field existed,
imports) leaves the file unpublished: a document may hold personal data (an identification,
a signature, an address), so nothing is published without someone deciding it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def is_public(document: Mapping[str, Any]) -> bool:
    """Whether this statement about a file publishes it (only an explicit ``True`` does)."""
    return document.get("public") is True


def published(documents: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The public ones among ``documents`` (one per file, latest statement already chosen,
    as ``besa.web.story.documents_of`` gives them), in the order given."""
    return [dict(d) for d in documents if is_public(d)]

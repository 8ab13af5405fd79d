"""What the contract page reads from a contract's snapshot besides its entries: its facts
(``besa.rules.progress``) on today's date in the jurisdiction, and its documents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from besa.documents import store
from besa.exceptions import JurisdictionError
from besa.jurisdiction.loader import from_env
from besa.rules.base import Context
from besa.rules.progress import ContractFacts, contract_facts


def facts_of(snapshot: Mapping[str, Any]) -> ContractFacts | None:
    """The facts of the contract today; None before its registration (or for a regime the
    jurisdiction does not know, which the page then simply does not summarise)."""
    terms = snapshot.get("contract")
    if not terms:
        return None
    jurisdiction = from_env()
    try:
        regime = jurisdiction.regime(terms["regime"])
    except JurisdictionError:
        return None
    today = timezone.now().astimezone(jurisdiction.zone).date()
    return contract_facts(snapshot, Context(today=today, jurisdiction=jurisdiction, regime=regime))


def documents_of(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every document of the contract, once per file (the latest title wins), newest first:
    those attached to entries, ``document`` entries, and rectifications' attachments."""
    found: dict[str, dict[str, Any]] = {}
    for document in snapshot.get("documents", ()):
        found[document["sha256"]] = document
    for rectification in snapshot.get("rectifications", ()):
        for document in rectification.get("documents", ()):
            found[document["sha256"]] = document
    return list(reversed(found.values()))


def kept_documents(hashes: Iterable[str]) -> set[str]:
    """The hashes among ``hashes`` whose file is in the document store. Imported documents
    (and the demo's) carry only their SHA-256: the page names them without a download link
    rather than offer a link that answers 404."""
    return store.kept(hashes)

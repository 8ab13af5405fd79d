"""Published contracts: what an import registered versus what the buying unit registered.

An importer (``besa import ocds``, ``besa import compranet``) registers a contract published
in CompraNet/ComprasMX with the data its source carries, as the system actor ``import:…``:
the contract is then *published* (pre-filled), not yet registered by its buying unit. The
buying unit registers it by *confirming* the pre-filled registration
(``besa.registry.confirmation.confirm``): a rectification of the registration entry by a
person, holding the registration as reviewed and corrected. Both facts are in the logbook,
so this module only reads it; nothing else records them.

A contract its buying unit registered itself is *registered* from its first entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from besa.jurisdiction import from_env
from besa.logbook.models import Entry
from besa.rules.base import Publication

#: The prefix of every importer's system actor name (``Actor.system("import:ocds")``).
IMPORTER_PREFIX = "import:"


def imported_registrations() -> QuerySet[Entry]:
    """Registration entries written by an importer."""
    return Entry.objects.filter(
        kind="registration", actor__role="system", actor__user__startswith=IMPORTER_PREFIX
    )


def confirmations() -> QuerySet[Entry]:
    """Rectifications of a registration made by a person (any such rectification of an
    imported registration is the buying unit reviewing it: ``confirm`` writes one, the
    generic rectification form may too)."""
    # Only a registration's payload has a buyer: the rectification corrects the registration.
    return Entry.objects.filter(kind="rectification", payload__payload__has_key="buyer").exclude(
        actor__role="system"
    )


def publication_of(contract_id: Any) -> Publication | None:
    """How the contract reached BESA, if it was published and imported (one query)."""
    rows = list(
        Entry.objects.filter(contract_id=contract_id, kind__in=("registration", "rectification"))
        .order_by("sequence")
        .values("uuid", "kind", "actor", "recorded_at", "payload")
    )
    registration = next((r for r in rows if r["kind"] == "registration"), None)
    if registration is None or not _is_import(registration["actor"]):
        return None
    zone = from_env().zone
    confirmed_at: dt.datetime | None = None
    for row in rows:
        if (
            row["kind"] == "rectification"
            and not _is_system(row["actor"])
            and str((row["payload"] or {}).get("corrects")) == str(registration["uuid"])
        ):
            confirmed_at = row["recorded_at"]
            break
    return Publication(registration["recorded_at"].astimezone(zone).date(), confirmed_at)


def _is_import(actor: Any) -> bool:
    return _is_system(actor) and str(actor.get("user", "")).startswith(IMPORTER_PREFIX)


def _is_system(actor: Any) -> bool:
    return isinstance(actor, dict) and actor.get("role") == "system"

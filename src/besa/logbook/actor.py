"""Who appended an entry: a signed-in person or a system (an importer, the demo)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

#: The width of ``Entry.idempotency_key``; a scoped key that would not fit is digested.
_KEY_WIDTH = 200


@dataclass(frozen=True)
class Actor:
    """The actor recorded on an entry. ``user`` is None for systems."""

    name: str
    role: str
    institution: str = ""
    user: Any = None

    @classmethod
    def of(cls, user: Any) -> Actor:
        """The actor for a signed-in user, with the institution that scopes its role."""
        institution = ""
        if getattr(user, "institution_id", None):
            institution = user.institution.code
        return cls(name=user.get_username(), role=user.role, institution=institution, user=user)

    @classmethod
    def system(cls, name: str) -> Actor:
        """An automated source, e.g. ``Actor.system("import:compranet")``."""
        return cls(name=name, role="system")

    def scoped_key(self, key: str) -> str:
        """``key`` as chosen by a client, made private to this actor's institution.

        Clients choose idempotency keys freely, and two institutions may well both pick
        ``retry-1``: unscoped, one would block (and, by the answer, probe) the other's keys.
        The stored form is ``@<institution code>:<key>`` for a person of an institution,
        ``@~<user name>:<key>`` for one without (a system's own keys, ``ocds:…``,
        ``cfdi:…``, never start with ``@``); one that would not fit the column is
        ``@#`` and the SHA-256 of that form (so is one whose scope holds a ``:``, which would
        make the split ambiguous). Deterministic, so a retry finds its first entry.
        """
        scope = self.institution or f"~{self.name}"
        scoped = f"@{scope}:{key}"
        if len(scoped) <= _KEY_WIDTH and ":" not in scope:
            return scoped
        return "@#" + hashlib.sha256(scoped.encode("utf-8", "surrogatepass")).hexdigest()

    def as_json(self) -> dict[str, str]:
        return {"user": self.name, "role": self.role, "institution": self.institution}

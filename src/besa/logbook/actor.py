"""Who appended an entry: a signed-in person or a system (an importer, the demo)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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

    def as_json(self) -> dict[str, str]:
        return {"user": self.name, "role": self.role, "institution": self.institution}

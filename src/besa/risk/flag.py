"""The value every risk indicator returns: a 0–1 score (or None) with its evidence.

Pure: no Django, no clock. A ``Flag`` is the unit stored by ``besa.risk.store`` and shown by
the pages, so its ``evidence`` and ``fence`` are plain JSON values (money as strings, dates as
``YYYY-MM-DD``, logbook entries by their per-contract ``sequence``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Flag:
    """One indicator's verdict on one subject.

    ``value`` is in [0, 1]: 0 no risk seen, 1 the flag is raised, fractions for multi-level
    components (a three-level component scores 0, 0.5, 1). ``None`` means *not computable*
    (the data needed is missing); it is never the same as 0 and is left out of every mean.
    ``fence`` holds the population threshold the value was compared with, when there is one
    (quartiles and Tukey fence), so the verdict stays explainable after the population moves.
    """

    code: str
    value: float | None
    evidence: Mapping[str, Any] = field(default_factory=dict)
    fence: Mapping[str, Any] | None = None

    @property
    def raised(self) -> bool:
        """True when the value signals some risk (strictly above 0)."""
        return self.value is not None and self.value > 0

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "value": self.value,
            "evidence": dict(self.evidence),
            "fence": dict(self.fence) if self.fence is not None else None,
        }


def missing(code: str, reason: str) -> Flag:
    """A flag that cannot be computed, saying why (shown to auditors as such)."""
    return Flag(code, None, {"missing": reason})


def binary(code: str, raised: bool, evidence: Mapping[str, Any]) -> Flag:
    return Flag(code, 1.0 if raised else 0.0, evidence)

"""What the list parsers return: plain dataclasses, no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ListEntry:
    """One entry of a list as it will be stored (``besa.registry.models.Listing``)."""

    line: int
    key: str  #: stable across snapshots: the RFC, or a digest for rows without one
    rfc: str  #: empty when the list gives none (sanctions directory)
    name: str
    name_key: str  #: ``names.normalise(name)``
    status: str
    published: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class Skipped:
    """A row left out, with its line number and why."""

    line: int
    reason: str


@dataclass
class ParsedList:
    """A whole list file: its entries, the rows left out and the date it states (if any)."""

    list_name: str  #: ``besa.registry.models.ListName`` value
    entries: list[ListEntry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    stated_date: dt.date | None = None

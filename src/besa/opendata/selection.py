"""Which contracts an export covers: by institution, by period of signing, by scope.

**The period is the contract's signing date** (``Contract.signing_date``, a calendar date
with no time zone): a contract belongs to exactly one period whatever happens to it later,
so "2025" or "June 2025" means the same set of contracts in every file and every year's
files partition the whole. Facts recorded about those contracts (entries, payments, OCDS
releases) come with them, whenever they were recorded, up to the optional ``recorded_before``
cut-off (the bulk dump uses it to describe the logbook as of the end of a day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from besa.exceptions import InvalidInput
from besa.registry.models import Contract, ContractQuerySet, Institution


@dataclass(frozen=True)
class Selection:
    """What to export. ``since``/``until`` bound the signing date, both inclusive."""

    institution: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    #: Only facts recorded strictly before this instant (None: everything so far).
    recorded_before: dt.datetime | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise InvalidInput("since", "posterior a until / after until")

    def label(self) -> str:
        """A file-name-safe description, e.g. ``INSTA_2025-01-01_2025-12-31``."""
        parts = [self.institution or "all"]
        if self.since or self.until:
            parts.append(f"{self.since or ''}_{self.until or ''}")
        return "_".join(parts)


def parse_day(field: str, value: str | None) -> dt.date | None:
    """An ISO date from user input, or None; ``InvalidInput`` naming ``field`` otherwise."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(field, f"fecha AAAA-MM-DD / date YYYY-MM-DD: {value!r}") from exc


def contracts(selection: Selection, user: Any = None) -> ContractQuerySet:
    """The selected contracts with an opened logbook, in ``ocid`` order.

    ``user`` None means the public (open data: every registered contract, public fields
    only); a user narrows to its role scope. An unknown institution code is an
    ``InvalidInput`` rather than an empty file, so a typo is not mistaken for "no data".
    """
    rows = Contract.objects.filter(state__last_sequence__gt=0)
    if user is not None:
        rows = rows.filter(pk__in=Contract.objects.visible_to(user).values("pk"))
    if selection.institution:
        if not Institution.objects.filter(code=selection.institution).exists():
            raise InvalidInput("institution", f"no existe / unknown: {selection.institution}")
        rows = rows.filter(buying_unit__institution__code=selection.institution)
    if selection.since:
        rows = rows.filter(signing_date__gte=selection.since)
    if selection.until:
        rows = rows.filter(signing_date__lte=selection.until)
    if selection.recorded_before:
        # A contract whose first entry came later did not exist yet in the logbook.
        rows = rows.filter(entries__sequence=1, entries__recorded_at__lt=selection.recorded_before)
    return rows.order_by("ocid")

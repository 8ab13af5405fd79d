"""Linking sanctions directory entries to suppliers: by RFC at once, by name on confirmation.

- An entry carrying an RFC that a supplier has: a ``rfc`` match, confirmed on creation
  (confidence 100); it counts for rule A18 at once.
- Otherwise the entry's normalised name is compared with every supplier's
  (``names.similarity``); a score of at least ``NAME_MATCH_THRESHOLD`` makes a ``name``
  match, ``pending`` until a coordinator or the administrator confirms or rejects it
  (``decide``). Only confirmed matches count for A18. A decision is kept for the entry's
  ``key``, so a later snapshot with the same entry never asks again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from besa.exceptions import InvalidInput, NotFound, PermissionDenied
from besa.interop.lists import names
from besa.interop.lists.rescreen import RescreenReport, rescreen
from besa.registry.models import (
    Listing,
    ListSnapshot,
    MatchMethod,
    MatchStatus,
    Role,
    SanctionMatch,
    Supplier,
)


@dataclass
class MatchReport:
    by_rfc: int = 0  #: new RFC matches (counting at once)
    pending: int = 0  #: new name matches awaiting a decision
    counting_rfcs: list[str] = field(default_factory=list)  #: suppliers to re-screen


def match_sanctions(snapshot: ListSnapshot, now: dt.datetime) -> MatchReport:
    """Create the matches for the entries of ``snapshot`` (in the caller's transaction).
    Must be idempotent: an existing (supplier, entry key) match is left as it is."""
    report = MatchReport()
    rows = list(snapshot.listings.all())
    known = set(
        SanctionMatch.objects.filter(listing_key__in={r.key for r in rows}).values_list(
            "supplier_id", "listing_key"
        )
    )
    counting: set[str] = set()
    new: list[SanctionMatch] = []
    by_rfc = {r.rfc: r for r in rows if r.rfc}
    for supplier in Supplier.objects.filter(rfc__in=sorted(by_rfc)):
        row = by_rfc[supplier.rfc]
        if (supplier.pk, row.key) not in known:
            new.append(_match(supplier, row, MatchMethod.RFC, 100, now))
            known.add((supplier.pk, row.key))
            counting.add(supplier.rfc)
            report.by_rfc += 1
    by_name: dict[str, list[Listing]] = {}
    for row in rows:
        if not row.rfc and row.name_key:
            by_name.setdefault(row.name_key, []).append(row)
    choices = sorted(by_name)
    for supplier in Supplier.objects.only("id", "rfc", "name").order_by("rfc", "id"):
        for name_key, score in names.candidates(names.normalise(supplier.name), choices):
            for row in by_name[name_key]:
                if (supplier.pk, row.key) in known:
                    continue
                new.append(_match(supplier, row, MatchMethod.NAME, score, now))
                known.add((supplier.pk, row.key))
                report.pending += 1
    SanctionMatch.objects.bulk_create(new)
    previous = (
        ListSnapshot.objects.filter(list=snapshot.list, snapshot_date__lt=snapshot.snapshot_date)
        .order_by("-snapshot_date")
        .first()
    )
    before = set(previous.listings.values_list("key", flat=True)) if previous else set()
    current = {r.key for r in rows}
    for rfc, key in SanctionMatch.objects.counting().values_list("supplier__rfc", "listing_key"):
        if (key in current) != (key in before):
            counting.add(rfc)
    report.counting_rfcs = sorted(counting)
    return report


def _match(
    supplier: Supplier, row: Listing, method: str, confidence: int, now: dt.datetime
) -> SanctionMatch:
    confirmed = method == MatchMethod.RFC
    return SanctionMatch(
        supplier=supplier,
        listing=row,
        listing_key=row.key,
        name_on_list=row.name,
        method=method,
        confidence=confidence,
        status=MatchStatus.CONFIRMED if confirmed else MatchStatus.PENDING,
        decided_at=now if confirmed else None,
        created_at=now,
    )


def decide(match_id: int, user: Any, *, confirm: bool, now: dt.datetime) -> RescreenReport:
    """Confirm or reject a pending name match on behalf of ``user`` (a coordinator or the
    administrator) and re-screen the supplier's running contracts, so a confirmed debarment
    raises A18 at once (and a reversed decision corrects it). Raises ``PermissionDenied``
    for other roles, ``NotFound`` for an unknown id and ``InvalidInput`` for an RFC match
    (those are facts, not judgements)."""
    if (
        user is None
        or not user.is_active
        or not (user.is_central_admin or user.role == Role.COORDINATOR)
    ):
        raise PermissionDenied(
            "solo un coordinador o el administrador decide coincidencias / only a coordinator "
            "or the administrator decides matches"
        )
    with transaction.atomic():
        match = SanctionMatch.objects.select_for_update().filter(pk=match_id).first()
        if match is None:
            raise NotFound(f"coincidencia {match_id} / match {match_id}")
        if match.method == MatchMethod.RFC:
            raise InvalidInput("id", "una coincidencia por RFC no se decide / RFC matches stand")
        match.status = MatchStatus.CONFIRMED if confirm else MatchStatus.REJECTED
        match.decided_by = user
        match.decided_at = now
        match.save(update_fields=["status", "decided_by", "decided_at"])
        rfc = match.supplier.rfc
    return rescreen([rfc], now)

"""Storing a parsed list file as a dated snapshot, then re-screening what it changed.

A snapshot is written in one transaction (all its rows or none). Which suppliers it
changed is decided by comparing it with the previous snapshot of the same list; their
running contracts are then re-evaluated (``rescreen``), each in its own transaction, after
the snapshot has committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from besa.exceptions import InvalidInput
from besa.interop.lists.entries import ListEntry, ParsedList, Skipped
from besa.interop.lists.matching import MatchReport, match_sanctions
from besa.interop.lists.rescreen import RescreenReport, rescreen
from besa.registry.models import Listing, ListName, ListSnapshot, SanctionMatch

Signature = tuple[str, str, str | None, str | None, str | None]


@dataclass
class ImportReport:
    """What one list import did; ``already`` when the same file had been imported."""

    snapshot: ListSnapshot
    already: bool
    rows: int
    skipped: list[Skipped]
    changed_rfcs: list[str] = field(default_factory=list)
    matches: MatchReport = field(default_factory=MatchReport)
    rescreen: RescreenReport = field(default_factory=RescreenReport)


def import_list(
    parsed: ParsedList,
    data: bytes,
    *,
    file_name: str,
    snapshot_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Store ``parsed`` (from the bytes ``data``) as a new snapshot and re-screen.

    The snapshot date is ``snapshot_date`` if given, else the date the file states. Must be
    idempotent: the same file (same SHA-256) imported again writes nothing new (it only
    finishes a re-screening that was interrupted). Raises ``InvalidInput`` naming ``--date``
    when no date is known, or when another file already holds that list's snapshot for the
    date; then nothing is written.
    """
    now = now or timezone.now()
    day = snapshot_date or parsed.stated_date
    if day is None:
        raise InvalidInput(
            "--date", "el archivo no indica su fecha: use --date / the file states no date"
        )
    digest = hashlib.sha256(data).hexdigest()
    existing = ListSnapshot.objects.filter(list=parsed.list_name, sha256=digest).first()
    if existing is not None:
        report = ImportReport(existing, True, existing.row_count, parsed.skipped)
        if existing.rescreened_at is None:
            _finish(report, existing, now)
        return report
    if ListSnapshot.objects.filter(list=parsed.list_name, snapshot_date=day).exists():
        raise InvalidInput(
            "--date",
            f"ya existe otra versión de {parsed.list_name} del {day} / another file already holds "
            f"the {parsed.list_name} snapshot of {day}",
        )
    try:
        report, newest = _store(parsed, data, file_name, day, digest, now)
    except IntegrityError as exc:  # the same file or date imported at the same moment
        raise InvalidInput(
            "file", f"{parsed.list_name} {day}: importada al mismo tiempo / imported concurrently"
        ) from exc
    if newest:
        _finish(report, report.snapshot, now)
    else:
        # An older list loaded late changes nothing the rules read (they read the newest).
        ListSnapshot.objects.filter(pk=report.snapshot.pk).update(rescreened_at=now)
    return report


def _store(
    parsed: ParsedList, data: bytes, file_name: str, day: dt.date, digest: str, now: dt.datetime
) -> tuple[ImportReport, bool]:
    """Write the snapshot and its rows (and sanctions matches) in one transaction."""
    with transaction.atomic():
        previous = (
            ListSnapshot.objects.filter(list=parsed.list_name, snapshot_date__lt=day)
            .order_by("-snapshot_date")
            .first()
        )
        snapshot = ListSnapshot.objects.create(
            list=parsed.list_name,
            snapshot_date=day,
            sha256=digest,
            file_name=file_name[:300],
            row_count=len(parsed.entries),
            skipped_count=len(parsed.skipped),
            imported_at=now,
        )
        source = f"{file_name}"[:200]
        Listing.objects.bulk_create(
            (_listing(entry, snapshot, source) for entry in parsed.entries), batch_size=2000
        )
        newest = not ListSnapshot.objects.filter(
            list=parsed.list_name, snapshot_date__gt=day
        ).exists()
        report = ImportReport(snapshot, False, len(parsed.entries), parsed.skipped)
        if newest:
            report.changed_rfcs = _changed_rfcs(previous, parsed.entries)
            if parsed.list_name == ListName.SANCTIONS:
                report.matches = match_sanctions(snapshot, now)
    return report, newest


def _finish(report: ImportReport, snapshot: ListSnapshot, now: dt.datetime) -> None:
    if not report.changed_rfcs:
        previous = (
            ListSnapshot.objects.filter(
                list=snapshot.list, snapshot_date__lt=snapshot.snapshot_date
            )
            .order_by("-snapshot_date")
            .first()
        )
        entries = [_entry_of(row) for row in snapshot.listings.all()]
        report.changed_rfcs = _changed_rfcs(previous, entries)
    rfcs = set(report.changed_rfcs) | set(report.matches.counting_rfcs)
    if report.already and snapshot.list == ListName.SANCTIONS:
        # Finishing an interrupted re-screening: every supplier a sanction counts for.
        rfcs |= set(SanctionMatch.objects.counting().values_list("supplier__rfc", flat=True))
    report.rescreen = rescreen(rfcs, now)
    ListSnapshot.objects.filter(pk=snapshot.pk).update(rescreened_at=now)
    snapshot.rescreened_at = now


def _listing(entry: ListEntry, snapshot: ListSnapshot, source: str) -> Listing:
    return Listing(
        rfc=entry.rfc,
        name=entry.name,
        list=snapshot.list,
        status=entry.status,
        published=entry.published,
        start=entry.start,
        end=entry.end,
        source=source,
        snapshot_date=snapshot.snapshot_date,
        snapshot=snapshot,
        key=entry.key,
        name_key=entry.name_key[:300],
    )


def _entry_of(row: Listing) -> ListEntry:
    return ListEntry(
        0, row.key, row.rfc, row.name, row.name_key, row.status, row.published, row.start,
        row.end,
    )  # fmt: skip


def _signature(entry: ListEntry) -> Signature:
    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    return (entry.status, entry.key, iso(entry.published), iso(entry.start), iso(entry.end))


def _changed_rfcs(previous: ListSnapshot | None, entries: Iterable[ListEntry]) -> list[str]:
    """RFCs whose entries differ from the previous snapshot's (new, changed or gone).

    Rows without an RFC (sanctions found by name) are re-screened through their matches."""
    now: dict[str, set[Signature]] = {}
    for entry in entries:
        if entry.rfc:
            now.setdefault(entry.rfc, set()).add(_signature(entry))
    before: dict[str, set[Signature]] = {}
    if previous is not None:
        for row in previous.listings.exclude(rfc=""):
            before.setdefault(row.rfc, set()).add(_signature(_entry_of(row)))
    return sorted(rfc for rfc in set(now) | set(before) if now.get(rfc) != before.get(rfc))

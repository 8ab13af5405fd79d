"""Running the rules on one contract and making the alert rows agree with their findings.

``sync(head, now)`` is the one place that opens, updates and auto-corrects alerts; it runs
inside the append transaction (``on_entry``) and from the deadline sweep, always with the
contract's state row locked, so the two never race on one contract.

A bulk load of past history (``besa import ocds``) appends a contract's whole history inside
``deferred()`` and then calls ``sync(head, now, found_at_import=True)`` once: replaying years
of facts one append at a time would open alerts that a later fact of the same history
corrects (an amendment, a guarantee extension), each with its notifications.

Between the rules and the alerts stands ``besa.alerts.gaps.triage``: on a contract that
reached BESA by import, a finding that rests on a fact its source cannot carry is a data gap
(``DataGap``) until the buying unit's grace period ends, and a contract signed before the
jurisdiction's coverage raises no alert at all. ``sync`` keeps the ``DataGap`` rows in step
like the alerts, and wakes the sweep on the day a grace period ends.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone

from besa.alerts import gaps, lifecycle
from besa.alerts.models import ACTIVE_STATES, Alert, AlertState, DataGap
from besa.jurisdiction import from_env
from besa.logbook.models import ContractState, Entry
from besa.registry.models import (
    ComplianceOpinion,
    Listing,
    ListName,
    ListSnapshot,
    SanctionMatch,
)
from besa.registry.publication import publication_of
from besa.registry.ruleinputs import budget_for, rescissions_for
from besa.rules import Context, Finding, Publication, evaluate
from besa.rules.base import earliest


@dataclass(frozen=True)
class SyncResult:
    opened: int = 0
    updated: int = 0
    corrected: int = 0


#: Set inside ``deferred()``: the append hook leaves evaluation to the caller.
_DEFERRED: contextvars.ContextVar[bool] = contextvars.ContextVar("alerts_deferred", default=False)


@contextmanager
def deferred() -> Iterator[None]:
    """Appends made inside the block (in this thread or task only, unlike
    ``besa.logbook.append.hooks_suspended``, which empties the hooks for the whole process)
    do not evaluate the rules; the caller must ``sync`` each contract it touched afterwards.
    Other append hooks (webhooks' ``entry.appended``) still run. Safe in a web server."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def on_entry(entry: Entry, head: ContractState) -> None:
    """The append hook: evaluate the contract the entry belongs to, now (unless inside
    ``deferred()``)."""
    if _DEFERRED.get():
        return
    sync(head, entry.recorded_at)


def screening_for(rfcs: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The latest list entries known for each RFC (only the newest snapshot of each list).

    An entry counts for a supplier when it carries the supplier's RFC, or (sanctions
    directory, which has no RFC) when a person confirmed a name match (``SanctionMatch``).
    The newest snapshot of a list is the latest imported ``ListSnapshot``; for rows written
    without one (the demo), the latest ``snapshot_date`` among the rows found.
    """
    wanted = sorted(set(rfcs))
    if not wanted:
        return {}
    imported = {
        row["list"]: row["latest"]
        for row in ListSnapshot.objects.values("list").annotate(latest=Max("snapshot_date"))
    }
    rows = list(Listing.objects.filter(rfc__in=wanted))
    matched = list(
        SanctionMatch.objects.counting()
        .filter(supplier__rfc__in=wanted)
        .values_list("supplier__rfc", "listing_key")
    )
    if matched and ListName.SANCTIONS in imported:
        keys = {key for _, key in matched}
        by_key: dict[str, list[Listing]] = {}
        for row in Listing.objects.filter(
            list=ListName.SANCTIONS,
            snapshot_date=imported[ListName.SANCTIONS],
            key__in=keys,
        ).exclude(rfc__in=wanted):
            by_key.setdefault(row.key, []).append(row)
        rows += [_as(row, rfc) for rfc, key in matched for row in by_key.get(key, ())]
    latest: dict[str, dt.date] = dict(imported)
    for row in rows:
        if row.list not in imported:
            latest[row.list] = max(latest.get(row.list, row.snapshot_date), row.snapshot_date)
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row.snapshot_date == latest[row.list]:
            found.setdefault(row.rfc, []).append(row.as_screening())
    return found


def _as(row: Listing, rfc: str) -> Listing:
    """A copy of a sanctions row attributed to the supplier a confirmed match names."""
    copy = Listing(**{f.attname: getattr(row, f.attname) for f in Listing._meta.concrete_fields})
    copy.rfc = rfc
    return copy


def opinions_for(rfcs: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The compliance opinions recorded on each supplier (``ComplianceOpinion``), by RFC."""
    found: dict[str, list[dict[str, Any]]] = {}
    for opinion in ComplianceOpinion.objects.filter(
        supplier__rfc__in=sorted(set(rfcs))
    ).select_related("supplier"):
        found.setdefault(opinion.supplier.rfc, []).append(opinion.as_opinion())
    return found


def findings_for(
    snapshot: Mapping[str, Any], now: dt.datetime, publication: Publication | None = None
) -> tuple[list[Finding], Any]:
    """Evaluate every applicable rule on a snapshot at ``now`` (jurisdiction time);
    ``publication`` for a contract that reached BESA by import (``publication_of``)."""
    jurisdiction = from_env()
    terms = snapshot.get("contract") or {}
    if not terms:
        return [], None
    regime = jurisdiction.regime(terms["regime"])
    rfcs = [s["rfc"] for s in snapshot.get("suppliers", [])]
    context = Context(
        today=now.astimezone(jurisdiction.zone).date(),
        jurisdiction=jurisdiction,
        regime=regime,
        screening=screening_for(rfcs),
        opinions=opinions_for(rfcs),
        budget=budget_for(snapshot),
        rescissions=rescissions_for(snapshot),
        publication=publication,
    )
    return evaluate(snapshot, context)


def sync(
    head: ContractState, now: dt.datetime | None = None, *, found_at_import: bool = False
) -> SyncResult:
    """Open, update and correct the contract's alerts to match the rules' findings now, and
    set ``head.next_check_at`` (the caller saves ``head``). Must run with the contract's state
    row locked (the append transaction holds it; the sweep takes it). Idempotent: a second call
    at the same moment changes nothing. ``found_at_import`` marks the alerts it opens as found
    when past history was imported (``Alert.found_at_import``)."""
    now = now or timezone.now()
    decided, next_check = _decide(head.contract_id, head.snapshot, now)
    _store_gaps(head, decided.gaps, now)
    by_key = {(f.rule, f.subject): f for f in decided.alerts}
    current = {
        (a.rule, a.subject): a
        for a in Alert.objects.filter(contract_id=head.contract_id).exclude(
            state=AlertState.CORRECTED
        )
    }
    opened = updated = corrected = 0
    for key, finding in by_key.items():
        alert = current.get(key)
        if alert is None:
            lifecycle.open_alert(head, finding, now, found_at_import=found_at_import)
            opened += 1
        elif alert.state in ACTIVE_STATES and _changed(alert, finding):
            lifecycle.update_evidence(alert, finding, now)
            updated += 1
    for key, alert in current.items():
        if key not in by_key and alert.state in ACTIVE_STATES:
            lifecycle.correct(alert, now)
            corrected += 1
    head.next_check_at = _start_of(next_check)
    return SyncResult(opened, updated, corrected)


def alert_findings(
    contract_id: Any,
    snapshot: Mapping[str, Any],
    now: dt.datetime,
    *,
    confirmed_at: dt.datetime | None = None,
) -> list[Finding]:
    """The findings that are alerts for the contract in ``snapshot`` at ``now``, decided as
    ``sync`` decides them (the rules, then data gaps and coverage), for previews: nothing is
    written. ``confirmed_at`` previews the buying unit confirming an imported contract's
    registration at that moment."""
    return list(_decide(contract_id, snapshot, now, confirmed_at=confirmed_at)[0].alerts)


def _decide(
    contract_id: Any,
    snapshot: Mapping[str, Any],
    now: dt.datetime,
    *,
    confirmed_at: dt.datetime | None = None,
) -> tuple[gaps.Triage, dt.date | None]:
    publication = publication_of(contract_id)
    if publication is not None and publication.confirmed_at is None and confirmed_at:
        publication = Publication(publication.reached_on, confirmed_at)
    findings, next_check = findings_for(snapshot, now, publication)
    jurisdiction = from_env()
    today = now.astimezone(jurisdiction.zone).date()
    decided = gaps.triage(snapshot, findings, publication, jurisdiction, today)
    return decided, earliest(next_check, decided.next_check)


def _store_gaps(head: ContractState, found: Iterable[gaps.Gap], now: dt.datetime) -> None:
    """Make the contract's ``DataGap`` rows say ``found``: new ones opened, changed ones
    updated, vanished ones closed (the fact was recorded), returning ones reopened."""
    stored = {(g.item, g.subject): g for g in DataGap.objects.filter(contract_id=head.contract_id)}
    seen = set()
    for gap in found:
        key = (gap.item, gap.subject)
        seen.add(key)
        values = {
            "kind": gap.kind,
            "rules": ",".join(gap.rules),
            "due_on": gap.due_on,
            "overdue": gap.overdue,
        }
        row = stored.get(key)
        if row is None:
            DataGap.objects.create(
                contract_id=head.contract_id,
                item=gap.item,
                subject=gap.subject,
                opened_at=now,
                **values,
            )
            continue
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        if row.closed_at is not None:
            row.closed_at = None
            row.opened_at = now
            changed += ["closed_at", "opened_at"]
        if changed:
            for name in values:
                setattr(row, name, values[name])
            row.save(update_fields=changed)
    for key, row in stored.items():
        if key not in seen and row.closed_at is None:
            row.closed_at = now
            row.save(update_fields=["closed_at"])


def _changed(alert: Alert, finding: Finding) -> bool:
    return dict(alert.evidence) != dict(finding.evidence) or alert.severity != finding.severity


def _start_of(day: dt.date | None) -> dt.datetime | None:
    """A deadline day as the start of that day in the jurisdiction's time zone."""
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(), tzinfo=from_env().zone)

"""Per-process rules on imported OCDS processes (compiled releases), in real time.

``process_flags`` is pure: the CRI components that one compiled release can give on its own
(single bid, procedure, no call for tenders, submission and decision periods) and their CRI.
``store_process`` runs it on one release and stores the result as a ``process`` run, so an
importer can call it for each process it writes ("per-process rules run on every new or
changed contracting process", architecture.md §6); ``besa risk --releases FILE`` does the
same for a file. Dates are compared by calendar day (UTC date part of the OCDS timestamp).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from besa.exceptions import InvalidInput
from besa.risk import cri
from besa.risk.flag import Flag, missing
from besa.risk.models import RiskResult, RiskRun, RunKind, SubjectKind

Release = Mapping[str, Any]
_VALID_BIDS = frozenset({"valid", "pending"})
_NOTICE_TYPES = frozenset({"tenderNotice", "contractNotice"})


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _between(start: dt.date | None, end: dt.date | None) -> int | None:
    return None if start is None or end is None else (end - start).days


def _bid_count(release: Release) -> int | None:
    details = (release.get("bids") or {}).get("details")
    if details:
        return sum(1 for b in details if b.get("status", "valid") in _VALID_BIDS)
    tender = release.get("tender") or {}
    if tender.get("numberOfTenderers") is not None:
        return int(tender["numberOfTenderers"])
    if tender.get("tenderers"):
        return len(tender["tenderers"])
    return None


def _published(tender: Mapping[str, Any]) -> bool | None:
    documents = tender.get("documents") or []
    if any(d.get("documentType") in _NOTICE_TYPES for d in documents):
        return True
    if (tender.get("tenderPeriod") or {}).get("startDate"):
        return True
    if tender.get("procurementMethod") in ("direct", "limited"):
        return False
    return None


def process_flags(release: Release) -> list[Flag]:
    """The CRI components one compiled release gives, then its CRI (last)."""
    tender = release.get("tender") or {}
    method = tender.get("procurementMethod")
    period = tender.get("tenderPeriod") or {}
    opened = _day(tender.get("datePublished")) or _day(period.get("startDate"))
    deadline = _day(period.get("endDate"))
    awarded = min(
        (d for d in (_day(a.get("date")) for a in release.get("awards") or []) if d), default=None
    )
    flags = [
        cri.single_bid(_bid_count(release)),
        cri.procedure(method) if method else missing("PROC", "tender.procurementMethod missing"),
        (
            cri.no_call_for_tenders(method or "", _published(tender))
            if method or _published(tender) is not None
            else missing("NOCFT", "tender.procurementMethod and notice missing")
        ),
        cri.submission_period(_between(opened, deadline)),
        cri.decision_period(_between(deadline, awarded)),
    ]
    return [*flags, cri.index(flags)]


def _check(release: Any, position: int) -> str:
    if not isinstance(release, Mapping):
        raise InvalidInput(f"release {position}", "is not a JSON object")
    ocid = release.get("ocid")
    if not isinstance(ocid, str) or not ocid:
        raise InvalidInput(f"release {position}.ocid", "missing")
    return ocid


def store_processes(releases: Iterable[Release], *, source: str = "") -> RiskRun:
    """Score compiled releases and store them as one ``process`` run; returns it.

    Every release is checked before anything is written (``InvalidInput`` names the first
    bad one). A later release of an ocid seen before replaces the earlier one.
    """
    latest: dict[str, Release] = {}
    for position, release in enumerate(releases, 1):
        latest[_check(release, position)] = release
    now = timezone.now()
    population = {
        "description": "imported OCDS processes, each judged on its own data",
        "source": source,
        "processes": len(latest),
    }
    with transaction.atomic():
        run = RiskRun.objects.create(
            kind=RunKind.PROCESS,
            as_of=timezone.localdate(),
            population=population,
            population_size=len(latest),
            started_at=now,
        )
        RiskResult.objects.bulk_create(
            [
                RiskResult(
                    run=run,
                    subject_kind=SubjectKind.CONTRACT,
                    subject_id=ocid,
                    subject_label=str((release.get("tender") or {}).get("title") or "")[:300],
                    institution=str((release.get("buyer") or {}).get("id") or "")[:20],
                    code=flag.code,
                    value=flag.value,
                    evidence=dict(flag.evidence),
                    population=population,
                    population_size=len(latest),
                    computed_at=now,
                )
                for ocid, release in latest.items()
                for flag in process_flags(release)
            ],
            batch_size=2000,
        )
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return run


def store_process(release: Release, *, source: str = "") -> RiskRun:
    """Score one imported process as it arrives (see ``store_processes``)."""
    return store_processes([release], source=source)

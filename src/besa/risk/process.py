"""Per-process rules on imported OCDS processes (compiled releases), in real time.

``process_flags`` is pure: the CRI components that one compiled release can give on its own
(single bid, procedure, no call for tenders, submission and decision periods) and their CRI.
``store_process`` runs them on one release and stores the result as a ``process`` run, so an
importer can call it for each process it writes ("per-process rules run on every new or
changed contracting process", architecture.md §6); ``besa risk --releases FILE`` does the
same for a file. Dates are compared by calendar day (UTC date part of the OCDS timestamp).

A ``process`` run over a set of releases (the one the rankings read) also stores Cardinal's
six per-process red flags (``cardinal_flags``: R003, R018, R028, R030, R035, R036, computed by
:mod:`besa.cardinal` exactly as ``besa indicators`` does) beside the components, not mixed
into the CRI. The live runs of an import do not: the columnar engine's fixed cost (about
45 ms a call) nearly doubled the time of an import made of 50-process batches.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import networkx as nx
import orjson
from django.db import transaction
from django.utils import timezone

from besa import jurisdiction
from besa.bulkinsert import insert
from besa.exceptions import InvalidInput
from besa.risk import bidding, cri
from besa.risk.flag import Flag, binary, missing
from besa.risk.models import RiskResult, RiskRun, RunKind, SubjectKind

Release = Mapping[str, Any]
_VALID_BIDS = frozenset({"valid", "pending"})
_NOTICE_TYPES = frozenset({"tenderNotice", "contractNotice"})
#: Cardinal's rules that need no population (indicators-cardinal.md §2: "per-process rule").
CARDINAL_PER_PROCESS = ("R003", "R018", "R028", "R030", "R035", "R036")


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


def cardinal_flags(releases: Mapping[str, Release], currency: str) -> dict[str, list[Flag]]:
    """ocid → Cardinal's per-process flags raised on that process (value 1.0; none if clean).

    ``currency`` is the main currency of R036 (the deployment's). R035's count of other
    disqualified tenderers is kept in the evidence, so the value stays in [0, 1].
    """
    from besa import cardinal  # Polars and Arrow: loaded only by the runs that use them

    settings = cardinal.parse_settings(
        f"currency = {currency}\n" + "".join(f"[{code}]\n" for code in CARDINAL_PER_PROCESS)
    )
    # ijson reads decimals as Decimal; Cardinal reads every amount as a double.
    lines = [orjson.dumps(release, default=_number) for release in releases.values()]
    output = cardinal.indicators(lines, settings, meta=False, workers=1)
    flags: dict[str, list[Flag]] = {}
    for ocid, codes in output.get("OCID", {}).items():
        flags[ocid] = [
            Flag(
                code,
                1.0,
                {"indicator": f"Cardinal {code}"}
                | ({"other_disqualified_tenderers": int(value)} if code == "R035" else {}),
            )
            for code, value in codes.items()
        ]
    return flags


def _number(value: Any) -> float:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _check(release: Any, position: int) -> str:
    if not isinstance(release, Mapping):
        raise InvalidInput(f"release {position}", "is not a JSON object")
    ocid = release.get("ocid")
    if not isinstance(ocid, str) or not ocid:
        raise InvalidInput(f"release {position}.ocid", "missing")
    return ocid


def bidder_results(patterns: bidding.BiddingPatterns) -> list[tuple[str, str, Flag]]:
    """One ``BIDDING`` flag per bidder, as (key, name, flag): 1 when the bidder is in a
    co-bidding pair; the evidence lists every bidder it met (with the processes together and
    the pair's co-bidding/rotation marks) so the bidder graph can be drawn again later."""
    graph = patterns.graph
    found = []
    for key in sorted(graph.nodes):
        met = [
            {
                "supplier": other,
                "name": graph.nodes[other].get("name", other),
                "together": graph.edges[key, other]["weight"],
                "links": [link["kind"] for link in graph.edges[key, other]["links"]],
            }
            for other in sorted(graph[key])
        ]
        in_pair = any("co_bidding" in m["links"] for m in met)
        rotating = any("rotation" in m["links"] for m in met)
        evidence = {"met": met, "co_bidding": in_pair, "rotation": rotating}
        found.append((key, graph.nodes[key].get("name", key), binary("BIDDING", in_pair, evidence)))
    return found


def bidder_graph(run: RiskRun) -> nx.Graph:
    """The bidder graph of a ``process`` run, rebuilt from its stored ``BIDDING`` results."""
    graph = nx.Graph()
    for result in RiskResult.objects.filter(
        run=run, subject_kind=SubjectKind.SUPPLIER, code="BIDDING"
    ):
        graph.add_node(result.subject_id, name=result.subject_label or result.subject_id)
        for met in result.evidence.get("met", []):
            kinds = met["links"]
            graph.add_edge(
                result.subject_id,
                met["supplier"],
                links=[{"kind": kind, "value": met["together"]} for kind in kinds],
            )
    return graph


#: The columns of a process run's results that differ from row to row.
_RESULT_COLUMNS = (
    "subject_kind", "subject_id", "subject_label", "institution", "code", "value", "evidence",
)  # fmt: skip


def store_processes(
    releases: Iterable[Release], *, source: str = "", kind: str = RunKind.PROCESS
) -> RiskRun:
    """Score compiled releases and store them as one ``process`` run; returns it.

    Stores each process's flags and CRI, and each bidder's ``BIDDING`` flag (co-bidding and
    rotation among these processes, ``besa.risk.bidding``). Every release is checked before
    anything is written (``InvalidInput`` names the first bad one). A later release of an
    ocid seen before replaces the earlier one.
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
    raised = (
        cardinal_flags(latest, jurisdiction.from_env().currency) if kind == RunKind.PROCESS else {}
    )
    with transaction.atomic():
        run = RiskRun.objects.create(
            kind=kind,
            as_of=timezone.localdate(),
            population=population,
            population_size=len(latest),
            started_at=now,
        )
        patterns = bidding.patterns(latest.values())
        bidders = (
            (SubjectKind.SUPPLIER, key[:200], name[:300], "", flag.code, flag.value,
             dict(flag.evidence))
            for key, name, flag in bidder_results(patterns)
        )  # fmt: skip
        processes = (
            (
                SubjectKind.CONTRACT,
                ocid,
                str((release.get("tender") or {}).get("title") or "")[:300],
                str((release.get("buyer") or {}).get("id") or "")[:20],
                flag.code,
                flag.value,
                dict(flag.evidence),
            )
            for ocid, release in latest.items()
            for flag in [*process_flags(release), *raised.get(ocid, ())]
        )
        # Without model instances (``besa.bulkinsert``): an import writes about seven rows per
        # process, and ``bulk_create`` was more than half of its CPU time.
        insert(
            RiskResult,
            _RESULT_COLUMNS,
            itertools.chain(bidders, processes),
            constants={
                "run": run.pk,
                "signed_on": None,
                "fence": None,
                "population": population,
                "population_size": len(latest),
                "computed_at": now,
            },
        )
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return run


def store_process(release: Release, *, source: str = "") -> RiskRun:
    """Score one imported process as it arrives (see ``store_processes``); an importer may
    call it for every process it writes. Stored as a ``process_live`` run, so it shows on the
    process's own results without replacing the latest batch in the rankings."""
    return store_processes([release], source=source, kind=RunKind.LIVE_PROCESS)

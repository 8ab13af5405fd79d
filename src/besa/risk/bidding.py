"""Co-bidding and bid rotation, from compiled OCDS releases.

Takes any iterable of compiled releases (an OCDS export, imported processes, the real Mexican
samples), so imported processes feed it as they arrive. A bidder is any organisation named in
``tender.tenderers`` or in ``bids.details[].tenderers``; a winner is a supplier of an award
whose status is not ``cancelled`` or ``unsuccessful``. Organisations are identified by RFC when
the release gives one (``parties[].identifier`` with an RFC scheme, or an id such as
``RFC-ACT050330C61``), otherwise by the release's organisation id, otherwise by name.

- **Co-bidding**: two bidders who met in at least ``min_together`` processes and who *always*
  appear together: every process of the less active of the two includes the other.
- **Rotation**: a co-bidding pair who each won at least one of their shared processes and
  between them won every shared process that was awarded ("taking turns").

Pure: no Django.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

Release = Mapping[str, Any]
_RFC_ID = re.compile(r"([A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3})$")
_LOSING_AWARDS = frozenset({"cancelled", "unsuccessful"})
#: Pairs must meet in at least this many processes to count as co-bidding.
MIN_TOGETHER = 2


def _party_index(release: Release) -> dict[str, Mapping[str, Any]]:
    return {str(p.get("id")): p for p in release.get("parties") or [] if p.get("id") is not None}


def organisation_key(ref: Mapping[str, Any], parties: Mapping[str, Mapping[str, Any]]) -> str:
    """A stable key for an organisation reference: its RFC when known, else its id or name."""
    ref_id = str(ref.get("id") or "")
    party = parties.get(ref_id, {})
    identifier = party.get("identifier") or {}
    if "RFC" in str(identifier.get("scheme", "")).upper() and identifier.get("id"):
        return str(identifier["id"]).strip().upper()
    match = _RFC_ID.search(ref_id.upper())
    if match:
        return match.group(1)
    if ref_id:
        return ref_id
    return str(ref.get("name") or "").strip().upper()


@dataclass(frozen=True)
class Process:
    """One contracting process as bidding analysis sees it."""

    ocid: str
    bidders: frozenset[str]
    winners: frozenset[str]
    names: Mapping[str, str] = field(default_factory=dict)


def process_of(release: Release) -> Process:
    """The bidders and winners of one compiled release."""
    parties = _party_index(release)
    names: dict[str, str] = {}

    def keys(refs: Iterable[Mapping[str, Any]]) -> set[str]:
        found = set()
        for ref in refs:
            key = organisation_key(ref, parties)
            if key:
                found.add(key)
                names.setdefault(key, str(ref.get("name") or key))
        return found

    tender = release.get("tender") or {}
    bidders = keys(tender.get("tenderers") or [])
    for bid in (release.get("bids") or {}).get("details") or []:
        bidders |= keys(bid.get("tenderers") or [])
    winners: set[str] = set()
    for award in release.get("awards") or []:
        if award.get("status") not in _LOSING_AWARDS:
            winners |= keys(award.get("suppliers") or [])
    return Process(str(release.get("ocid", "")), frozenset(bidders), frozenset(winners), names)


@dataclass
class BiddingPatterns:
    """Pairs found, with their evidence, and the bidder graph: every two bidders who met in a
    process are linked (``weight``: processes together; ``links`` also name ``co_bidding``
    and ``rotation`` when the pair shows them)."""

    processes: int
    co_bidding: list[dict[str, Any]]
    rotation: list[dict[str, Any]]
    graph: nx.Graph


def patterns(releases: Iterable[Release], min_together: int = MIN_TOGETHER) -> BiddingPatterns:
    """Co-bidding and rotation among the bidders of ``releases`` (see the module docstring).

    A release whose ocid was seen before replaces the earlier one (the latest compiled
    release wins). Memory is linear in the processes; time is quadratic in the bidders of
    each process only.
    """
    latest: dict[str, Process] = {}
    for release in releases:
        process = process_of(release)
        latest[process.ocid] = process  # a later compiled release of one ocid replaces it
    seen: list[Process] = []
    appearances: Counter[str] = Counter()
    shared: dict[tuple[str, str], list[int]] = defaultdict(list)
    names: dict[str, str] = {}
    for process in latest.values():
        if not process.bidders:
            continue
        names.update({k: v for k, v in process.names.items() if k not in names})
        index = len(seen)
        seen.append(process)
        appearances.update(process.bidders)
        for a, b in itertools.combinations(sorted(process.bidders), 2):
            shared[a, b].append(index)

    graph = nx.Graph()
    co_bidding: list[dict[str, Any]] = []
    rotation: list[dict[str, Any]] = []
    for (a, b), indexes in sorted(shared.items()):
        together = len(indexes)
        graph.add_node(a, name=names.get(a, a))
        graph.add_node(b, name=names.get(b, b))
        graph.add_edge(a, b, weight=together, links=[{"kind": "met", "value": together}])
        if together < min_together or together < min(appearances[a], appearances[b]):
            continue
        ocids = [seen[i].ocid for i in indexes]
        wins = {key: [seen[i].ocid for i in indexes if key in seen[i].winners] for key in (a, b)}
        awarded = [i for i in indexes if seen[i].winners]
        pair = {
            "suppliers": [a, b],
            "names": [names.get(a, a), names.get(b, b)],
            "together": together,
            "appearances": [appearances[a], appearances[b]],
            "ocids": ocids,
            "wins": wins,
        }
        co_bidding.append(pair)
        graph.edges[a, b]["links"].insert(0, {"kind": "co_bidding", "value": together})
        if (
            wins[a]
            and wins[b]
            and all(seen[i].winners & {a, b} for i in awarded)
            and not any({a, b} <= seen[i].winners for i in awarded)
        ):
            rotation.append(pair)
            graph.edges[a, b]["links"].insert(0, {"kind": "rotation", "value": len(awarded)})
    return BiddingPatterns(len(seen), co_bidding, rotation, graph)

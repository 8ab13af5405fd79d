"""Reading stored risk results for the pages, under ``besa.risk.access`` scoping.

The ranking reads the latest finished portfolio run over the whole portfolio (the run whose
population every institution shares) and re-aggregates its stored contract rows for the
filters asked (institution, signing period), so a filter never needs a new computation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from besa.exceptions import InvalidInput
from besa.registry.models import Contract, ContractSupplier
from besa.risk import portfolio, ranking
from besa.risk.access import Audience
from besa.risk.execution import per_contract_flags
from besa.risk.models import RiskResult, RiskRun, RunKind, SubjectKind
from besa.risk.networks import Network
from besa.risk.process import bidder_graph

KINDS = ("compradores", "contratos", "proveedores", "procesos")
#: Most ranked items a page shows (each explained in full).
SHOWN = 200


@dataclass(frozen=True)
class Filters:
    kind: str = "compradores"
    institution: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> Filters:
        """From query parameters (``tipo``, ``institucion``, ``desde``, ``hasta``); raises
        ``InvalidInput`` naming the parameter at fault."""
        kind = params.get("tipo") or "compradores"
        if kind not in KINDS:
            raise InvalidInput("tipo", f"expected one of {', '.join(KINDS)}")
        days = {}
        for name in ("desde", "hasta"):
            value = (params.get(name) or "").strip()
            try:
                days[name] = dt.date.fromisoformat(value) if value else None
            except ValueError as exc:
                raise InvalidInput(name, f"not a YYYY-MM-DD date: {value!r}") from exc
        if days["desde"] and days["hasta"] and days["desde"] > days["hasta"]:
            raise InvalidInput("desde", "is after hasta")
        institution = (params.get("institucion") or "").strip().upper()
        return cls(kind, institution, days["desde"], days["hasta"])


@dataclass
class Ranking:
    run: RiskRun | None
    items: list[ranking.Ranked] = field(default_factory=list)


def ranking_for(audience: Audience, filters: Filters) -> Ranking:
    """The ranking ``audience`` may see with ``filters`` (the public sees buyers only)."""
    if audience.public and filters.kind != "compradores":
        raise InvalidInput("tipo", "only the institutions' ranking is public")
    if filters.kind == "procesos":
        return _processes(filters)
    run = RiskRun.objects.latest_for(RunKind.PORTFOLIO)
    if run is None:
        return Ranking(None)
    institutions: set[str] | None = (
        None if audience.institutions is None else set(audience.institutions)
    )
    if filters.institution:
        institutions = (
            {filters.institution} if institutions is None else institutions & {filters.institution}
        )
    rows = portfolio.contract_rows(
        run, institutions=institutions, since=filters.since, until=filters.until
    )
    if filters.kind == "contratos":
        items = _explain_shown(run, ranking.contracts(rows))
    elif filters.kind == "proveedores":
        rfcs = {rfc for row in rows for rfc, _ in row.suppliers}
        items = ranking.suppliers(rows, portfolio.supplier_flags(run, rfcs))
    else:
        items = ranking.buyers(rows)
    return Ranking(run, items)


def _processes(filters: Filters) -> Ranking:
    """Imported OCDS processes of the latest ``process`` run by their CRI. They come from
    public OCDS data of any publisher, so staff of every scope see them; the institution
    filter matches the release's buyer id and there is no signing-date filter."""
    run = RiskRun.objects.latest_for(RunKind.PROCESS)
    if run is None:
        return Ranking(None)
    institutions = {filters.institution} if filters.institution else None
    ranked = ranking.contracts(portfolio.contract_rows(run, institutions=institutions))
    return Ranking(run, _explain_shown(run, ranked))


def _explain_shown(run: RiskRun, ranked: list[ranking.Ranked]) -> list[ranking.Ranked]:
    """The rows a page shows explained in full: every stored flag with evidence and fence
    (Cardinal's per-process flags of a process run included), not just the CRI summary."""
    top = [item.key for item in ranked[:SHOWN]]
    explained = {
        item.key: item
        for item in ranking.contracts(portfolio.contract_rows(run, ocids=top, with_evidence=True))
    }
    return [explained.get(item.key, item) for item in ranked]


@dataclass
class ContractRisk:
    contract: Contract
    live: list[Any]
    stored: list[RiskResult]
    run: RiskRun | None


def contract_risk(audience: Audience, ocid: str, today: dt.date) -> ContractRisk | None:
    """A contract's flags now (computed from its current snapshot) and as stored by the
    latest run that scored it (with fence and population); None when out of scope."""
    contract = (
        Contract.objects.select_related("buying_unit__institution", "state")
        .filter(ocid=ocid)
        .first()
    )
    if contract is None or audience.public:
        return None
    if not audience.allows(contract.buying_unit.institution.code):
        return None
    state = getattr(contract, "state", None)
    live = per_contract_flags(state.snapshot, today) if state and state.snapshot else []
    latest = (
        RiskResult.objects.filter(subject_kind=SubjectKind.CONTRACT, subject_id=ocid)
        .select_related("run")
        .order_by("-run__started_at")
        .first()
    )
    stored = (
        list(RiskResult.objects.filter(run=latest.run, subject_id=ocid).order_by("code"))
        if latest
        else []
    )
    return ContractRisk(contract, live, stored, latest.run if latest else None)


def registry_network(audience: Audience, filters: Filters) -> Network:
    """Suppliers with contracts in scope (institution and signing period filters apply),
    linked by shared attributes."""
    links = ContractSupplier.objects.all()
    if audience.institutions is not None:
        links = links.filter(contract__buying_unit__institution__code__in=audience.institutions)
    if filters.institution:
        links = links.filter(contract__buying_unit__institution__code=filters.institution)
    if filters.since:
        links = links.filter(contract__signing_date__gte=filters.since)
    if filters.until:
        links = links.filter(contract__signing_date__lte=filters.until)
    return portfolio.supplier_network(set(links.values_list("supplier_id", flat=True)))


def bidder_network() -> tuple[RiskRun | None, nx.Graph]:
    """The bidder graph of the latest scored set of imported processes (public OCDS data,
    but shown to staff only, like every supplier-level result)."""
    run = RiskRun.objects.latest_for(RunKind.PROCESS)
    if run is None:
        return None, nx.Graph()
    return run, bidder_graph(run)


def focus(graph: nx.Graph, key: str, limit: int) -> nx.Graph:
    """The connected component of ``key`` (empty if unknown), or, with no key, the largest
    components up to ``limit`` nodes in all."""
    if key:
        if key not in graph:
            return nx.Graph()
        return graph.subgraph(nx.node_connected_component(graph, key)).copy()
    chosen: set[Any] = set()
    for component in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c))):
        if len(component) < 2 or len(chosen) + len(component) > limit:
            continue
        chosen |= component
    return graph.subgraph(chosen).copy()


def components(graph: nx.Graph) -> list[list[str]]:
    """Connected components of two or more nodes, largest first, each sorted."""
    found = [sorted(c) for c in nx.connected_components(graph) if len(c) > 1]
    return sorted(found, key=lambda c: (-len(c), c[0]))

"""Risk pages under /riesgo/: thin views (parse, call one query, render)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from besa.exceptions import InvalidInput
from besa.risk import drawing, labels, queries
from besa.risk.access import Audience, NoRiskAccess, audience_of

#: Most nodes drawn in one network picture (larger components are listed, not drawn).
MAX_DRAWN = 80


def _audience(request: HttpRequest, *, staff: bool) -> Audience:
    try:
        audience = audience_of(request.user)
    except NoRiskAccess as exc:
        raise PermissionDenied from exc
    if staff and audience.public:
        raise PermissionDenied
    return audience


def ranking(request: HttpRequest) -> HttpResponse:
    """The audit ranking; citizens see the institutions' ranking only."""
    audience = _audience(request, staff=False)
    try:
        filters = queries.Filters.parse(request.GET)
        result = queries.ranking_for(audience, filters)
    except InvalidInput as exc:
        context = {"error": exc, "filters": queries.Filters(), "audience": audience}
        return render(request, "risk/ranking.html", context, status=400)
    context = {
        "filters": filters,
        "audience": audience,
        "run": result.run,
        "items": result.items[: queries.SHOWN],
        "total": len(result.items),
        "kinds": queries.KINDS,
    }
    return render(request, "risk/ranking.html", context)


def contract(request: HttpRequest, ocid: str) -> HttpResponse:
    """One contract's flags: live from its logbook, and as stored with fence and population."""
    audience = _audience(request, staff=True)
    found = queries.contract_risk(audience, ocid, timezone.localdate())
    if found is None:
        raise Http404(ocid)
    return render(request, "risk/contract.html", {"risk": found})


def network(request: HttpRequest) -> HttpResponse:
    """Supplier networks drawn as server-rendered SVG: suppliers sharing contact data in the
    registry (``fuente=registro``) or bidders of imported processes (``fuente=licitaciones``)."""
    audience = _audience(request, staff=True)
    source = request.GET.get("fuente") or "registro"
    key = (request.GET.get("proveedor") or "").strip().upper()
    try:
        if source not in ("registro", "licitaciones"):
            raise InvalidInput("fuente", "expected registro or licitaciones")
        filters = queries.Filters.parse(request.GET)
    except InvalidInput as exc:
        return render(request, "risk/network.html", {"error": exc}, status=400)
    run = None
    ignored: list[dict[str, object]] = []
    if source == "registro":
        found = queries.registry_network(audience, filters)
        graph, ignored = found.graph, found.ignored
    else:
        run, graph = queries.bidder_network()
    shown = queries.focus(graph, key, MAX_DRAWN)
    components = queries.components(graph)
    context = {
        "source": source,
        "key": key,
        "filters": filters,
        "run": run,
        # Safe: drawing.svg escapes every name and key it writes.
        "svg": mark_safe(drawing.svg(shown, highlight=frozenset({key}))),
        "components": [[(k, graph.nodes[k].get("name", k)) for k in c] for c in components[:50]],
        "component_count": len(components),
        "nodes": graph.number_of_nodes(),
        "shown": shown.number_of_nodes(),
        "ignored": [{**i, "kind": labels.link_kind(str(i.get("kind", "")))} for i in ignored],
        "kinds": [(labels.link_kind(k), colour) for k, colour in drawing.KIND_COLOURS.items()],
    }
    return render(request, "risk/network.html", context)

"""The citizens' portal pages and downloads: anonymous, read-only, thin.

Every view answers the same to everyone, signed in or not: the portal shows what is public
and nothing more (``besa.portal.public``), so a signed-in official sees what a citizen sees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import orjson
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from besa.audits import publication as audit_publication
from besa.documents import access
from besa.exceptions import InvalidInput
from besa.logbook import public_record, verify_record
from besa.opendata import disclosure, flat, packages, writers
from besa.portal import public, search
from besa.registry.models import Contract, Institution, ProcedureType
from besa.web.labels import STATUS_LABELS


def _public_contract(contract_id: str) -> Contract:
    return get_object_or_404(
        search.public_contracts().select_related("buying_unit__institution", "state"),
        pk=contract_id,
    )


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Search with facets; the filters live in the URL."""
    error = None
    try:
        filters = search.Filters.parse(request.GET)
    except InvalidInput as exc:
        error, filters = exc, search.Filters()
    rows = search.search(filters)
    counted = search.tally(rows)
    paginator = Paginator(
        rows.select_related("buying_unit__institution", "state").defer("state__snapshot"),
        search.PAGE_SIZE,
    )
    paginator.count = counted.total  # counted with the facets: not a second pass
    page = paginator.get_page(request.GET.get("pagina"))
    contracts = list(page.object_list)
    names = _supplier_names([c.pk for c in contracts])
    context = {
        "filters": filters,
        "error": error,
        "page": page,
        "rows": [(c, names.get(c.pk, [])) for c in contracts],
        "total": page.paginator.count,
        "facets": counted.facets,
        "institutions": Institution.objects.order_by("code").values_list("code", "name"),
        "statuses": [(code, label) for code, label in STATUS_LABELS.items() if code != "new"],
        "procedures": ProcedureType.choices,
        "query": urlencode(filters.query()),
        "facet_links": _facet_links(filters),
    }
    return render(request, "besa/portal/search.html", context, status=422 if error else 200)


def _supplier_names(contract_ids: list[Any]) -> dict[Any, list[str]]:
    """Public names of the suppliers of each contract (an individual's: ``[reservado]``)."""
    found: dict[Any, list[str]] = {}
    links = Contract.suppliers.through.objects.filter(contract_id__in=contract_ids)
    for contract_id, rfc, name in links.order_by("supplier__name").values_list(
        "contract_id", "supplier__rfc", "supplier__name"
    ):
        found.setdefault(contract_id, []).append(disclosure.supplier(rfc, name)[1])
    return found


def _facet_links(filters: search.Filters) -> dict[str, str]:
    """Per facet, the query string of the current search without that facet's filter (a
    facet value's link appends ``&<facet>=<code>``)."""
    return {
        name: urlencode(filters.query(**{name: ""}))
        for name in ("institucion", "estado", "procedimiento")
    }


@require_GET
def contract_page(request: HttpRequest, contract_id: str) -> HttpResponse:
    """One public contract: facts, public timeline, published alerts, downloads."""
    contract = _public_contract(contract_id)
    entries = contract.entries.order_by("sequence")
    context = {
        "contract": contract,
        "head": getattr(contract, "state", None),
        "suppliers": public.suppliers(contract),
        "timeline": public.timeline(entries, contract.currency),
        "alerts_published": public.alerts_published(),
        "alerts": public.alerts(contract, get_language() or "es"),
        "documents": public.documents(contract),
        "audits_published": audit_publication.audits_published(),
        "audits": audit_publication.closed_cases(contract),
    }
    return render(request, "besa/portal/contract.html", context)


@require_GET
def document(request: HttpRequest, contract_id: str, sha256: str) -> FileResponse:
    """A document of a public contract marked public; 404 for any other hash, whether it
    names a document of this contract that is not public, one of another contract, or none."""
    contract = _public_contract(contract_id)
    found = public.public_document(contract, sha256)
    response = access.attachment(found) if found is not None else None
    if response is None:
        raise Http404
    return response


def _attachment(response: Any, name: str) -> Any:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_stem(contract: Contract) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in contract.ocid)


@require_GET
def record_json(request: HttpRequest, contract_id: str) -> HttpResponse:
    """The contract's verifiable record (``besa.logbook.public_record``)."""
    contract = _public_contract(contract_id)
    record = public_record.build(
        contract, verifier_url=request.build_absolute_uri(reverse("portal:verifier"))
    )
    body = orjson.dumps(record, option=orjson.OPT_INDENT_2)
    response = HttpResponse(body, content_type="application/json")
    return _attachment(response, f"registro-{_file_stem(contract)}.json")


@require_GET
def ocds_json(request: HttpRequest, contract_id: str) -> StreamingHttpResponse:
    """The contract's OCDS record package (the open data's mapping, personal data withheld)."""
    contract = _public_contract(contract_id)
    chunks = packages.package_chunks(
        Contract.objects.filter(pk=contract.pk), records=True, uri=request.build_absolute_uri()
    )
    response = StreamingHttpResponse(chunks, content_type="application/json")
    return _attachment(response, f"ocds-{_file_stem(contract)}.json")


@require_GET
def entries_csv(request: HttpRequest, contract_id: str) -> StreamingHttpResponse:
    """The contract's entries as the open data's ``entries`` view (hashed form)."""
    contract = _public_contract(contract_id)
    view = flat.VIEWS["entries"]
    lines = writers.csv_lines(view, view.rows(Contract.objects.filter(pk=contract.pk), None))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    return _attachment(response, f"asientos-{_file_stem(contract)}.csv")


@require_GET
def verifier(request: HttpRequest) -> FileResponse:
    """The standalone verifier (one Python file, standard library only)."""
    path = Path(verify_record.__file__)
    response = FileResponse(path.open("rb"), content_type="text/x-python; charset=utf-8")
    return _attachment(response, "verify_record.py")

"""The public "Datos abiertos" page: what can be downloaded, for everything or a selection.

Thin: it validates the optional selection (institution, signing period) and renders links to
the streamed downloads of the API's open-data router (``/api/opendata/…``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from besa.exceptions import InvalidInput
from besa.opendata import flat
from besa.opendata.selection import Selection, parse_day
from besa.registry.models import Institution

BASE = "/api/opendata"


def open_data(request: HttpRequest) -> HttpResponse:
    """Download links, narrowed by ``institution``, ``since`` and ``until`` when given."""
    error = None
    query: dict[str, str] = {}
    try:
        selection = Selection(
            institution=request.GET.get("institution") or None,
            since=parse_day("since", request.GET.get("since")),
            until=parse_day("until", request.GET.get("until")),
        )
        if selection.institution:
            query["institution"] = selection.institution
        if selection.since:
            query["since"] = selection.since.isoformat()
        if selection.until:
            query["until"] = selection.until.isoformat()
    except InvalidInput as exc:
        error = exc
    suffix = ("?" + urlencode(query)) if query else ""
    downloads = [
        ("ocds", "releases", f"{BASE}/ocds/releases.json{suffix}"),
        ("ocds", "records", f"{BASE}/ocds/records.json{suffix}"),
        *(("csv", name, f"{BASE}/{name}.csv{suffix}") for name in flat.PUBLIC_VIEWS),
        ("xlsx", "workbook", f"{BASE}/besa.xlsx{suffix}"),
    ]
    context = {
        "downloads": downloads,
        "institutions": Institution.objects.order_by("code").values_list("code", "name"),
        "chosen": query,
        "error": error,
    }
    return render(request, "besa/open_data.html", context, status=422 if error else 200)

"""Open-data downloads over HTTP: OCDS packages, CSV and XLSX of a selection, streamed.

Anonymous (citizens) get the public views; the ``alerts`` CSV needs a signed-in user or an
API token and holds that user's scope only. Bad parameters answer 422 naming the field
before any byte of the file is sent. The period is the contract's signing date
(``besa.opendata.selection``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema

from besa.api.auth import bearer_token
from besa.api.filters import QueryDay, QueryText
from besa.exceptions import NotFound
from besa.opendata import flat, packages, writers
from besa.opendata.checkpoints import published_checkpoints
from besa.opendata.selection import Selection, contracts

router = Router(tags=["open data"], auth=None)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SelectionQuery(Schema):
    institution: QueryText | None = Field(None, description="Institution code (siglas o clave).")
    since: QueryDay | None = Field(None, description="Contracts signed on or after (inclusive).")
    until: QueryDay | None = Field(None, description="Contracts signed on or before (inclusive).")

    def selection(self) -> Selection:
        return Selection(institution=self.institution, since=self.since, until=self.until)


def _download(response: Any, name: str, selection: Selection) -> Any:
    stem, dot, ext = name.rpartition(".")
    response["Content-Disposition"] = (
        f'attachment; filename="besa-{stem}-{selection.label()}{dot}{ext}"'
    )
    return response


@router.get("/checkpoints.json", summary="Every signed checkpoint and the keys (public)")
def checkpoints(request: HttpRequest) -> Any:
    """The signed Merkle checkpoints of the logbook, oldest first, with the public keys they
    are checked against: anyone may keep a copy and compare it with the database
    (``besa verify --against URL``) or check a record's entries against it."""
    return published_checkpoints()


@router.get("/ocds/{kind}.json", summary="OCDS release or record package (public)")
def ocds_package(request: HttpRequest, kind: str, query: Query[SelectionQuery]) -> Any:
    """``releases`` or ``records`` of the selected contracts, streamed item by item."""
    if kind not in ("releases", "records"):
        raise NotFound("use releases.json o records.json / use releases.json or records.json")
    selection = query.selection()
    chunks = packages.package_chunks(
        contracts(selection),
        records=kind == "records",
        uri=request.build_absolute_uri(),
    )
    response = StreamingHttpResponse(chunks, content_type="application/json")
    return _download(response, f"{kind}.json", selection)


@router.get(
    "/{view}.csv", summary="CSV flat view (contracts, entries, payments; alerts: signed in)"
)
def csv_view(request: HttpRequest, view: str, query: Query[SelectionQuery]) -> Any:
    """One flat view as CSV (UTF-8 with BOM), streamed row by row."""
    flat_view = flat.VIEWS.get(view)
    if flat_view is None:
        raise NotFound(f"vista desconocida / unknown view: {view}")
    user = None
    if not flat_view.public:
        user = bearer_token(request) or (request.user if request.user.is_authenticated else None)
        if user is None:
            # Private data is indistinguishable from absent data to an anonymous caller.
            raise NotFound(f"vista desconocida / unknown view: {view}")
    selection = query.selection()
    selected = contracts(selection, user)
    lines = writers.csv_lines(flat_view, flat_view.rows(selected, None))
    return _download(StreamingHttpResponse(lines, content_type=CSV_TYPE), f"{view}.csv", selection)


@router.get("/besa.xlsx", summary="Excel workbook of the public flat views")
def xlsx_book(request: HttpRequest, query: Query[SelectionQuery]) -> Any:
    """Contracts, entries and payments as one workbook (one sheet each). Built in a temporary
    file with constant memory, then streamed from it; the file is unlinked at once (it lives
    while the response holds it open)."""
    selection = query.selection()
    selected = contracts(selection)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    path = Path(handle.name)
    try:
        writers.write_xlsx(
            path, [(flat.VIEWS[n], flat.VIEWS[n].rows(selected, None)) for n in flat.PUBLIC_VIEWS]
        )
        stream = path.open("rb")
    finally:
        handle.close()
        path.unlink()
    response = FileResponse(stream, content_type=XLSX_TYPE)
    return _download(response, "besa.xlsx", selection)

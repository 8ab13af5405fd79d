"""Rule inputs that belong to an institution or to the jurisdiction, over the API.

- ``PUT /api/institutions/{code}/budgets/{year}``: the institution's annual acquisitions
  budget (A24). Its coordinator or an administrator; ``GET /api/institutions/{code}/budgets``
  for them and the institution's oversight body.
- ``PUT /api/pef-limits/{year}``: the year's PEF annex (all brackets at once; A24).
  Administrators; ``GET`` for every signed-in user (the decree is public).
- ``POST /api/rescissions``: a supplier's contract rescinded before BESA (A21). A coordinator
  for its own institution, or an administrator; ``GET /api/rescissions?rfc=`` for them.
- ``POST /api/lists/sat-69``: one of SAT's art. 69 files (A16), administrators, as
  ``besa import sat-69``.

The writes go through ``besa.registry.ruleinputs``, as the file imports do: same checks, same
idempotence, same re-evaluation of the contracts concerned. A market-research price, which
belongs to a contract, is a field of the registration payload instead
(``ContractTerms.market_research_prices``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from besa.api.filters import FreeText, QueryText
from besa.api.schemas import ErrorOut
from besa.exceptions import InvalidInput, NotFound, PermissionDenied
from besa.interop.lists import sat69
from besa.interop.lists.ruleinputs import YEARS, BudgetRow, PefRow, RescissionRow
from besa.interop.lists.sat69b import RFC
from besa.interop.lists.snapshots import import_list
from besa.registry.models import (
    Institution,
    InstitutionBudget,
    PefLimit,
    PriorRescission,
    Role,
)
from besa.registry.ruleinputs import (
    InputReport,
    record_prior_rescissions,
    set_budgets,
    set_pef_limits,
)

router = Router(tags=["rule inputs"])

Money = Decimal


class Reevaluation(Schema):
    """What the write changed and the contracts it re-evaluated."""

    created: int
    changed: int
    unchanged: int
    reevaluated: int
    alerts_opened: int
    alerts_corrected: int


def _reevaluation(report: InputReport) -> Reevaluation:
    return Reevaluation(
        created=report.created,
        changed=report.changed,
        unchanged=report.unchanged,
        reevaluated=report.reevaluated,
        alerts_opened=report.opened,
        alerts_corrected=report.corrected,
    )


# --- budgets ------------------------------------------------------------------------------


class BudgetIn(Schema):
    amount: Money = Field(
        gt=0,
        max_digits=18,
        decimal_places=2,
        description="Presupuesto anual de adquisiciones, arrendamientos y servicios, en pesos.",
    )


class BudgetOut(Schema):
    institution: str
    fiscal_year: int
    amount: str
    source: str
    recorded_at: dt.datetime


def _budget_out(row: InstitutionBudget) -> BudgetOut:
    return BudgetOut(
        institution=row.institution.code,
        fiscal_year=row.fiscal_year,
        amount=format(row.amount, "f"),
        source=row.source,
        recorded_at=row.recorded_at,
    )


def _institution(request: HttpRequest, code: str, *, write: bool) -> Institution:
    """The institution ``code`` if the caller may read (or, with ``write``, set) its
    budget: 404 for one it may not even see, 403 for one it sees but may not change."""
    user: Any = request.user
    institution = Institution.objects.filter(code=code).first()
    sees = institution is not None and (
        user.is_central_admin
        or (user.role == Role.COORDINATOR and user.institution_id == institution.pk)
        or (user.role == Role.OVERSIGHT and user.oversees.filter(pk=institution.pk).exists())
    )
    if institution is None or not sees:
        raise NotFound(f"institución no encontrada / institution not found: {code}")
    if write and not (user.is_central_admin or user.role == Role.COORDINATOR):
        raise PermissionDenied("solo coordinador o administrador / coordinators and admins only")
    return institution


@router.get(
    "/institutions/{code}/budgets", response=list[BudgetOut], summary="An institution's budgets"
)
def list_budgets(request: HttpRequest, code: QueryText) -> list[BudgetOut]:
    institution = _institution(request, code, write=False)
    return [_budget_out(row) for row in institution.budgets.select_related("institution")]


@router.put(
    "/institutions/{code}/budgets/{year}",
    response={200: Reevaluation},
    summary="Set an institution's annual acquisitions budget",
)
def put_budget(request: HttpRequest, code: QueryText, year: int, body: BudgetIn) -> Reevaluation:
    """Set the budget A24 reads for the institution's contracts signed in ``year``; the
    exceptions to public tender of that year are re-evaluated."""
    institution = _institution(request, code, write=True)
    if year not in YEARS:
        raise InvalidInput("year", f"ejercicio inválido / invalid fiscal year {year}")
    report = set_budgets(
        [BudgetRow(institution.code, year, body.amount)],
        source=f"API ({request.user})",
        now=timezone.now(),
    )
    return _reevaluation(report)


# --- PEF annex ----------------------------------------------------------------------------


class PefBracketIn(Schema):
    budget_above: Money = Field(ge=0, max_digits=18, decimal_places=2)
    budget_up_to: Money | None = Field(default=None, gt=0, max_digits=18, decimal_places=2)
    direct_award_max: Money = Field(gt=0, max_digits=18, decimal_places=2)
    invitation_max: Money = Field(gt=0, max_digits=18, decimal_places=2)


class PefIn(Schema):
    unit: Literal["miles", "pesos"] = Field(
        default="pesos", description="miles: amounts in thousands of pesos, as the decree prints"
    )
    brackets: list[PefBracketIn] = Field(min_length=1, max_length=50)


class PefBracketOut(Schema):
    budget_above: str
    budget_up_to: str | None
    direct_award_max: str
    invitation_max: str


@router.get("/pef-limits/{year}", response=list[PefBracketOut], summary="A year's PEF annex")
def get_pef(request: HttpRequest, year: int) -> list[PefBracketOut]:
    return [
        PefBracketOut(
            budget_above=format(row.budget_above, "f"),
            budget_up_to=None if row.budget_up_to is None else format(row.budget_up_to, "f"),
            direct_award_max=format(row.direct_award_max, "f"),
            invitation_max=format(row.invitation_max, "f"),
        )
        for row in PefLimit.objects.filter(fiscal_year=year).order_by("budget_above")
    ]


@router.put("/pef-limits/{year}", response={200: Reevaluation}, summary="Set a year's PEF annex")
def put_pef(request: HttpRequest, year: int, body: PefIn) -> Reevaluation:
    """Replace the year's brackets (administrators only); the year's exceptions to public
    tender are re-evaluated."""
    user: Any = request.user
    if not user.is_central_admin:
        raise PermissionDenied("solo administradores / administrators only")
    if year not in YEARS:
        raise InvalidInput("year", f"ejercicio inválido / invalid fiscal year {year}")
    factor = Decimal(1000) if body.unit == "miles" else Decimal(1)
    rows = []
    for index, b in enumerate(body.brackets):
        if b.budget_up_to is not None and b.budget_up_to <= b.budget_above:
            raise InvalidInput(
                f"brackets.{index}.budget_up_to", "no supera / not above budget_above"
            )
        if b.invitation_max < b.direct_award_max:
            raise InvalidInput(
                f"brackets.{index}.invitation_max",
                "menor que direct_award_max / below direct_award_max",
            )
        rows.append(
            PefRow(
                year,
                b.budget_above * factor,
                None if b.budget_up_to is None else b.budget_up_to * factor,
                b.direct_award_max * factor,
                b.invitation_max * factor,
            )
        )
    try:
        report = set_pef_limits(rows, source=f"API ({user})", now=timezone.now())
    except InvalidInput as exc:
        raise InvalidInput("brackets", exc.message) from None
    return _reevaluation(report)


# --- rescissions before BESA --------------------------------------------------------------


class RescissionIn(Schema):
    rfc: QueryText = Field(description="RFC del proveedor")
    supplier_name: FreeText = Field(default="", max_length=300)
    institution_code: QueryText = Field(min_length=1, max_length=20)
    contract_number: QueryText = Field(min_length=1, max_length=100)
    rescinded_on: dt.date = Field(description="Fecha de la resolución de rescisión")
    notice_on: dt.date | None = Field(default=None, description="Fecha de la notificación")


class RescissionOut(Schema):
    rfc: str
    supplier_name: str
    institution_code: str
    contract_number: str
    rescinded_on: dt.date
    notice_on: dt.date | None


def _rescission_writer(request: HttpRequest, institution_code: str | None) -> Any:
    user: Any = request.user
    if user.is_central_admin:
        return user
    if user.role == Role.COORDINATOR and user.institution_id:
        if institution_code is not None and user.institution.code != institution_code:
            raise PermissionDenied(
                "solo para su institución / coordinators record their own institution's"
            )
        return user
    raise PermissionDenied("solo coordinador o administrador / coordinators and admins only")


@router.get(
    "/rescissions",
    response={200: list[RescissionOut], 403: ErrorOut},
    summary="Rescissions before BESA",
)
def list_rescissions(request: HttpRequest, rfc: QueryText | None = None) -> list[RescissionOut]:
    user = _rescission_writer(request, None)
    rows = PriorRescission.objects.all()
    if not user.is_central_admin:
        rows = rows.filter(institution_code=user.institution.code)
    if rfc:
        rows = rows.filter(rfc=rfc.upper())
    return [
        RescissionOut(
            rfc=r.rfc,
            supplier_name=r.supplier_name,
            institution_code=r.institution_code,
            contract_number=r.contract_number,
            rescinded_on=r.rescinded_on,
            notice_on=r.notice_on,
        )
        for r in rows[:1000]
    ]


@router.post(
    "/rescissions",
    response={200: Reevaluation, 201: Reevaluation},
    summary="Record a rescission from before BESA",
)
def post_rescission(request: HttpRequest, body: RescissionIn) -> Status[Reevaluation]:
    """201 when recorded, 200 when this rescission was already recorded (nothing changes);
    422 naming the field when the same contract was recorded with another date."""
    _rescission_writer(request, body.institution_code)
    rfc = body.rfc.strip().upper()
    if not RFC.fullmatch(rfc):
        raise InvalidInput("rfc", f"RFC con formato inválido / malformed RFC {rfc!r}")
    if body.notice_on is not None and body.notice_on > body.rescinded_on:
        raise InvalidInput("notice_on", "posterior a la rescisión / after the rescission")
    row = RescissionRow(
        rfc,
        body.supplier_name.strip(),
        body.institution_code.strip(),
        body.contract_number.strip(),
        body.rescinded_on,
        body.notice_on,
    )
    report = record_prior_rescissions([row], source=f"API ({request.user})", now=timezone.now())
    return Status(201 if report.created else 200, _reevaluation(report))


# --- SAT art. 69 lists ----------------------------------------------------------------------


class ListImportOut(Schema):
    """The stored snapshot and what its import did."""

    list: str
    snapshot_date: dt.date
    snapshot_id: int
    already_imported: bool
    entries: int
    skipped: int
    changed_rfcs: int
    alerts_opened: int


@router.post(
    "/lists/sat-69",
    response={200: ListImportOut, 201: ListImportOut},
    summary="Import one of SAT's art. 69 files",
)
def post_sat69(
    request: HttpRequest,
    file: File[UploadedFile],
    date: Form[dt.date],
    list: Form[str | None] = None,
) -> Status[ListImportOut]:
    """As ``besa import sat-69`` (administrators only): ``file`` is one of SAT's seven CSV
    files, ``date`` its publication day, ``list`` which one (default: from the file name).
    201 with the new snapshot, 200 when this very file was already imported; 422 naming the
    line or field when the file is refused (nothing is written). The running contracts of
    the suppliers it changed are re-evaluated before the answer (a large first import takes
    minutes: the command line suits it better)."""
    user: Any = request.user
    if not user.is_central_admin:
        raise PermissionDenied("solo administradores / administrators only")
    part = list or sat69.part_of(file.name or "")
    if part is None:
        raise InvalidInput("list", "indique la lista / say which list (e.g. firmes)")
    data = file.read()
    parsed = sat69.parse(data, part)
    report = import_list(parsed, data, file_name=file.name or part, snapshot_date=date)
    body = ListImportOut(
        list=report.snapshot.list,
        snapshot_date=report.snapshot.snapshot_date,
        snapshot_id=report.snapshot.pk,
        already_imported=report.already,
        entries=report.rows,
        skipped=len(report.skipped),
        changed_rfcs=len(report.changed_rfcs),
        alerts_opened=report.rescreen.opened,
    )
    return Status(200 if report.already else 201, body)

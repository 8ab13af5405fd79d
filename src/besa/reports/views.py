"""Report pages under /informes/: thin views (parse filters, scope, build, render).

Scoping: a signed-in person's reports cover ``Contract.objects.visible_to(user)``; anonymous
citizens may open the public reports only (aggregates over every registered contract).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from besa.audits import report as audit_report
from besa.exceptions import InvalidInput
from besa.portal.search import public_contracts
from besa.registry.models import BuyingUnit, Contract, Institution
from besa.reports import catalogue, delivery, dossier, rendering, risk_summary
from besa.reports.catalogue import REPORTS
from besa.reports.filters import ReportFilters, scoped_contracts
from besa.reports.tables import Report
from besa.risk.access import NoRiskAccess, audience_of
from besa.web.forms import in_language


def index(request: HttpRequest) -> HttpResponse:
    shown = [
        r
        for r in REPORTS.values()
        if (r.public or request.user.is_authenticated) and _may_read(request.user, r.slug)
    ]
    return render(request, "besa/reports/index.html", {"reports": shown})


def _may_read(user: Any, slug: str) -> bool:
    """False for the risk ranking when the user has no risk audience (operators): the index
    does not offer a report that would answer 403."""
    if slug == audit_report.SLUG:  # the cases an oversight body or the administrator sees
        return bool(user.is_authenticated and (user.is_central_admin or user.role == "oversight"))
    if slug != risk_summary.SLUG:
        return True
    try:
        audience_of(user)
    except NoRiskAccess:
        return False
    return True


def _entry(request: HttpRequest, slug: str) -> catalogue.Entry:
    entry = REPORTS.get(slug)
    if entry is None:
        raise Http404(slug)
    if not entry.public and not request.user.is_authenticated:
        raise PermissionDenied
    return entry


def _build(request: HttpRequest, slug: str) -> tuple[Report, ReportFilters]:
    _entry(request, slug)
    filters = ReportFilters.parse(request.GET)
    scoped = filters.contracts(scoped_contracts(request.user))
    language = translation.get_language() or "es"
    report = catalogue.build(slug, scoped, timezone.now(), language, request.user, filters)
    report.filter_words = filters.words()
    return report, filters


def report(request: HttpRequest, slug: str) -> HttpResponse:
    entry = _entry(request, slug)
    visible = scoped_contracts(request.user)
    # The filter lists: units and institutions with a visible contract, each asked with
    # EXISTS (one probe of the contract's buying-unit index per unit), never a join of every
    # contract made DISTINCT (seconds over a national portfolio).
    units = BuyingUnit.objects.filter(Exists(visible.filter(buying_unit=OuterRef("pk"))))
    context: dict[str, Any] = {
        "institutions": Institution.objects.filter(
            Exists(units.filter(institution=OuterRef("pk")))
        ).order_by("code"),
        "units": units.order_by("code"),
    }
    try:
        built, filters = _build(request, slug)
    except InvalidInput as exc:
        context.update(
            report=entry,
            tables=[],
            filters=ReportFilters(),
            error=in_language(exc.message),
            as_of=timezone.now(),
            query="",
        )
        return render(request, "besa/reports/report.html", context, status=400)
    query = urlencode(filters.query())
    context.update(
        report=built,
        filters=filters,
        tables=[rendering.shown(t) for t in built.tables],
        as_of=built.as_of,
        query=f"?{query}" if query else "",
    )
    return render(request, "besa/reports/report.html", context)


def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        built, _filters = _build(request, slug)
    except InvalidInput as exc:
        return HttpResponse(
            in_language(exc.message), status=400, content_type="text/plain; charset=utf-8"
        )
    body = rendering.pdf(built, translation.get_language() or "es")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="besa-{slug}.pdf"'
    return response


def report_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        built, _filters = _build(request, slug)
    except InvalidInput as exc:
        return HttpResponse(
            in_language(exc.message), status=400, content_type="text/plain; charset=utf-8"
        )
    body = rendering.workbook(built, translation.get_language() or "es")
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="besa-{slug}.xlsx"'
    return response


@login_required
def contract_dossier(request: HttpRequest, contract_id: str) -> HttpResponse:
    """One contract's full dossier as a PDF, for whoever may read the contract."""
    contract = get_object_or_404(Contract.objects.visible_to(request.user), pk=contract_id)
    body = dossier.dossier_pdf(contract, translation.get_language() or "es")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="expediente-{contract.number}.pdf"'
    return response


def public_dossier(request: HttpRequest, contract_id: str) -> HttpResponse:
    """A public contract's dossier for anyone (the citizens' portal's decisions on what is
    withheld: ``dossier_pdf(..., public=True)``)."""
    contract = get_object_or_404(public_contracts(), pk=contract_id)
    body = dossier.dossier_pdf(contract, translation.get_language() or "es", public=True)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="expediente-{contract.number}.pdf"'
    return response


@login_required
def subscription(request: HttpRequest) -> HttpResponse:
    """The signed-in person's monthly report e-mail: on or off (the link in every e-mail)."""
    if request.method == "POST":
        wanted = request.POST.get("monthly") == "on"
        delivery.set_monthly(request.user, wanted)
        return redirect("reports:subscription")
    context = {
        "monthly": delivery.wants_monthly(request.user),
        "eligible": delivery.is_recipient(request.user),
        "saved_label": _("Guardar"),
    }
    return render(request, "besa/reports/subscription.html", context)

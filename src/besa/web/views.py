"""Thin HTML views: parse the request, call one scoped query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, Sum, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from besa.accesslog import record as accesslog
from besa.accesslog.models import What
from besa.alerts.models import ACTIVE_STATES
from besa.exceptions import InvalidInput, PermissionDenied
from besa.interop.cfdi.upload import max_bytes, upload_cfdi
from besa.logbook.actor import Actor
from besa.registry.models import Contract
from besa.web.params import typed
from besa.web.story import documents_of, facts_of, kept_documents


def _param(request: HttpRequest, name: str) -> str:
    """A query parameter as typed, without control characters (never a database error)."""
    return typed(request.GET, name)


def home(request: HttpRequest) -> HttpResponse:
    """The public landing page: what BESA is and portfolio totals (public data)."""
    totals = Contract.objects.aggregate(count=Count("id"))
    by_currency = (
        Contract.objects.values("currency")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by("-count")
    )
    return render(request, "besa/home.html", {"totals": totals, "by_currency": by_currency})


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    """Contracts within the signed-in user's scope, searchable and paginated."""
    query = _param(request, "q")
    contracts = (
        Contract.objects.visible_to(request.user)
        .search(query)
        .select_related("buying_unit__institution")
        .prefetch_related("suppliers")
    )
    page = Paginator(contracts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "besa/contract_list.html",
        {"page": page, "query": query, "total": page.paginator.count},
    )


@login_required
def contract_detail(request: HttpRequest, contract_id: str) -> HttpResponse:
    """One contract in scope; out-of-scope contracts are indistinguishable from missing ones."""
    contract = _visible_contract(request, contract_id)
    accesslog.read(request, What.CONTRACT, contract=contract)
    return _render_detail(request, contract)


@login_required
@require_POST
def contract_cfdi_upload(request: HttpRequest, contract_id: str) -> HttpResponse:
    """The contract page's CFDI form: record the uploaded XML as an invoice entry, then go
    back to the page; a refused file re-renders the page with the reason (nothing written)."""
    contract = _visible_contract(request, contract_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput("file", _("Elija un archivo XML del CFDI."))
        result = upload_cfdi(
            contract,
            upload.read(max_bytes() + 1),
            actor=Actor.of(request.user),
            file_name=upload.name,
        )
    except PermissionDenied:
        return _render_detail(request, contract, status=403, cfdi_error=_("Fuera de su ámbito."))
    except InvalidInput as exc:
        return _render_detail(
            request, contract, status=422, cfdi_error=f"{exc.field}: {exc.message}"
        )
    if result.created:
        messages.success(request, _("CFDI %(uuid)s registrado.") % {"uuid": result.uuid})
    else:
        messages.info(request, _("El CFDI %(uuid)s ya estaba registrado.") % {"uuid": result.uuid})
    for line in result.not_verified:
        messages.warning(request, _("No verificado: %(what)s") % {"what": line})
    return redirect("contract", contract_id=contract.pk)


def _visible_contract(request: HttpRequest, contract_id: str) -> Contract:
    return get_object_or_404(
        Contract.objects.visible_to(request.user).select_related("buying_unit__institution"),
        pk=contract_id,
    )


def _render_detail(
    request: HttpRequest, contract: Contract, *, status: int = 200, **extra: Any
) -> HttpResponse:
    entries = list(contract.entries.order_by("sequence"))
    # Alerts that still ask for action first, the most severe first, then the newest.
    alerts = contract.alerts.annotate(
        closed=Case(When(state__in=ACTIVE_STATES, then=Value(0)), default=Value(1)),
        rank=Case(
            When(severity="H", then=Value(0)), When(severity="M", then=Value(1)), default=Value(2)
        ),
    ).order_by("closed", "rank", "-opened_at")
    head = getattr(contract, "state", None)
    can_write = Contract.objects.writable_by(request.user).filter(pk=contract.pk).exists()
    snapshot = head.snapshot if head is not None else {}
    documents = documents_of(snapshot)
    kept = kept_documents(
        [d["sha256"] for d in documents]
        + [d["sha256"] for e in entries for d in (e.documents or ())]
    )
    context = {
        "contract": contract,
        "entries": entries,
        "alerts": alerts,
        "head": head,
        "can_write": can_write,
        "facts": facts_of(snapshot),
        "documents": documents,
        "kept": kept,
        "today": timezone.localdate(),
        **extra,
    }
    return render(request, "besa/contract_detail.html", context, status=status)

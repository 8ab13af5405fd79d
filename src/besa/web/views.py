"""Thin HTML views: parse the request, call one scoped query, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from besa.alerts.models import AlertState
from besa.alerts.queries import visible_alerts
from besa.registry.models import Contract
from besa.rules import CATALOGUE


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
    contracts = (
        Contract.objects.visible_to(request.user)
        .select_related("buying_unit__institution")
        .prefetch_related("suppliers")
    )
    query = request.GET.get("q", "").strip()
    if query:
        contracts = contracts.filter(
            Q(number__icontains=query)
            | Q(title__icontains=query)
            | Q(ocid__icontains=query)
            | Q(suppliers__name__icontains=query)
            | Q(suppliers__rfc__iexact=query)
        ).distinct()
    page = Paginator(contracts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "besa/contract_list.html",
        {"page": page, "query": query, "total": page.paginator.count},
    )


@login_required
def contract_detail(request: HttpRequest, contract_id: str) -> HttpResponse:
    """One contract in scope; out-of-scope contracts are indistinguishable from missing ones."""
    contract = get_object_or_404(
        Contract.objects.visible_to(request.user).select_related("buying_unit__institution"),
        pk=contract_id,
    )
    entries = contract.entries.order_by("sequence")
    alerts = contract.alerts.order_by("state", "-opened_at")
    head = getattr(contract, "state", None)
    return render(
        request,
        "besa/contract_detail.html",
        {"contract": contract, "entries": entries, "alerts": alerts, "head": head},
    )


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """Alerts on contracts in the user's scope, filterable by rule and state."""
    alerts = visible_alerts(
        request.user,
        rule=request.GET.get("rule") or None,
        state=request.GET.get("state") or None,
    )
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "besa/alert_list.html",
        {
            "page": page,
            "total": page.paginator.count,
            "rules": CATALOGUE,
            "states": AlertState.choices,
            "rule": request.GET.get("rule", ""),
            "state": request.GET.get("state", ""),
        },
    )

"""Alert pages: the inbox (filters, sorting, pagination, bulk actions), one alert, its actions.

The views are thin: the scoping and the lifecycle are ``besa.alerts.queries`` and
``besa.alerts.lifecycle``; this module parses the request, calls them and renders the answer in
words. Filters live in the URL, so a filtered list can be bookmarked, paged and exported
(``besa.web.exports`` reads the same ``AlertFilters``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from besa.accesslog import record as accesslog
from besa.accesslog.models import What
from besa.alerts import lifecycle, words
from besa.alerts.models import ACTIVE_STATES, Alert, AlertState
from besa.alerts.queries import visible_alerts
from besa.documents.store import open_document, store
from besa.exceptions import DocumentRefused, InvalidInput, NotFound, PermissionDenied
from besa.registry.models import BuyingUnit, Contract, Institution, Role
from besa.rules import CATALOGUE
from besa.web.documents import refusal_text
from besa.web.errors import forbidden, not_found
from besa.web.params import typed

#: The actions a person may take, in the order the page offers them, with their button labels.
ACTIONS: dict[str, Any] = {
    "attend": gettext_lazy("Atender"),
    "justify": gettext_lazy("Justificar"),
    "resolve": gettext_lazy("Solventar"),
    "reject": gettext_lazy("Marcar como no solventada"),
    "refer": gettext_lazy("Turnar a investigación"),
}
#: Actions oversight takes on many alerts at once from its inbox.
BULK_ACTIONS = ("resolve", "reject", "refer")
#: Actions that need a written reason (``lifecycle.act`` refuses them without one).
NEEDS_REASON = frozenset({"justify", "reject", "refer"})

#: Age buckets (days since the alert opened): URL value -> (label, first day, last day).
AGES: dict[str, tuple[Any, int, int | None]] = {
    "7": (gettext_lazy("hasta 7 días"), 0, 7),
    "30": (gettext_lazy("de 8 a 30 días"), 8, 30),
    "90": (gettext_lazy("de 31 a 90 días"), 31, 90),
    "older": (gettext_lazy("más de 90 días"), 91, None),
}
SEVERITIES = (
    ("H", gettext_lazy("Alta")),
    ("M", gettext_lazy("Media")),
    ("L", gettext_lazy("Baja")),
)
#: Sort keys in the URL -> ordering; a leading "-" in the URL reverses it.
SORTS = {
    "opened": ("opened_at",),
    "severity": ("severity_rank", "-opened_at"),
    "rule": ("rule", "-opened_at"),
    "state": ("state", "-opened_at"),
    "institution": ("institution__code", "-opened_at"),
    "contract": ("contract__number", "-opened_at"),
}
PAGE_SIZE = 50


@dataclass(frozen=True)
class AlertFilters:
    """The inbox's filters as read from the URL; unknown values are ignored, never an error."""

    institution: str = ""
    rule: str = ""
    severity: str = ""
    state: str = ""
    age: str = ""
    escalated: str = ""
    sort: str = "-opened"

    @classmethod
    def from_query(cls, query: QueryDict) -> AlertFilters:
        def value(name: str) -> str:
            return typed(query, name)

        rule = value("rule").upper()
        severity = value("severity").upper()
        state = value("state")
        sort = value("sort")
        return cls(
            institution=value("institution")[:20],
            rule=rule if rule in CATALOGUE else "",
            severity=severity if severity in ("H", "M", "L") else "",
            state=state if state in AlertState.values or state == "active" else "",
            age=value("age") if value("age") in AGES else "",
            escalated="1" if value("escalated") == "1" else "",
            sort=sort if sort.lstrip("-") in SORTS else "-opened",
        )

    def params(self, **changes: str) -> dict[str, str]:
        """The filters as URL parameters (empty ones left out), with ``changes`` applied."""
        values = {
            "institution": self.institution,
            "rule": self.rule,
            "severity": self.severity,
            "state": self.state,
            "age": self.age,
            "escalated": self.escalated,
            "sort": "" if self.sort == "-opened" else self.sort,
            **changes,
        }
        return {k: v for k, v in values.items() if v}

    def query(self, **changes: str) -> str:
        return urlencode(self.params(**changes))

    def apply(self, user: Any, now: dt.datetime | None = None) -> QuerySet[Alert]:
        """The alerts ``user`` may read that pass the filters, in the chosen order."""
        alerts = visible_alerts(
            user,
            institution=self.institution or None,
            rule=self.rule or None,
            state=self.state if self.state and self.state != "active" else None,
        )
        if self.state == "active":
            alerts = alerts.filter(state__in=ACTIVE_STATES)
        if self.severity:
            alerts = alerts.filter(severity=self.severity)
        if self.escalated:
            alerts = alerts.filter(escalation_level__gte=1)
        if self.age:
            _, first, last = AGES[self.age]
            now = now or timezone.now()
            alerts = alerts.filter(opened_at__lte=now - dt.timedelta(days=first))
            if last is not None:
                alerts = alerts.filter(opened_at__gt=now - dt.timedelta(days=last + 1))
        alerts = alerts.annotate(
            severity_rank=Case(
                When(severity="H", then=Value(0)),
                When(severity="M", then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        key = self.sort.lstrip("-")
        fields = list(SORTS[key])
        if self.sort.startswith("-"):
            fields[0] = fields[0][1:] if fields[0].startswith("-") else f"-{fields[0]}"
        return alerts.order_by(*fields, "id")


def institutions_of(user: Any) -> QuerySet[Institution]:
    """Institutions whose contracts ``user`` may read (the inbox's institution filter)."""
    units = BuyingUnit.objects.visible_to(user)
    return Institution.objects.filter(buying_units__in=units).distinct().order_by("code")


def may_act_in_bulk(user: Any) -> bool:
    """Oversight (and the central administrator) judge many alerts at once."""
    return bool(user.is_overseer)


def available_actions(user: Any, alert: Alert) -> list[tuple[str, Any]]:
    """The lifecycle's transitions open to ``user`` from the alert's state (what to offer)."""
    role = Role.ADMIN if user.is_central_admin else user.role
    offered = []
    for action, label in ACTIONS.items():
        transition = lifecycle.TRANSITIONS.get((alert.state, action))
        if transition is not None and role in transition[1]:
            offered.append((action, label))
    in_scope = role not in (Role.OPERATOR, Role.COORDINATOR) or (
        Contract.objects.writable_by(user).filter(pk=alert.contract_id).exists()
    )
    return offered if in_scope else []


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """The inbox: alerts in scope, filtered and sorted from the URL, 50 a page."""
    filters = AlertFilters.from_query(request.GET)
    alerts = filters.apply(request.user).select_related("contract", "institution")
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    lang = words.language(request.LANGUAGE_CODE)
    return render(
        request,
        "besa/alert_list.html",
        {
            "page": page,
            "total": page.paginator.count,
            "filters": filters,
            "rules": [(code, words.rule_name(code, lang)) for code in sorted(CATALOGUE)],
            "states": [
                ("active", _("Por atender o revisar")),
                *((state, words.state_name(state, lang)) for state in AlertState.values),
            ],
            "severities": SEVERITIES,
            "ages": [(key, label) for key, (label, _a, _b) in AGES.items()],
            "institutions": institutions_of(request.user),
            "sorts": _sort_links(filters),
            "bulk": may_act_in_bulk(request.user),
            "bulk_actions": [(a, ACTIONS[a]) for a in BULK_ACTIONS],
            "page_query": filters.query(),
        },
    )


def _sort_links(filters: AlertFilters) -> dict[str, dict[str, str]]:
    """Per column: the URL that sorts by it (reversing when already sorted by it) and the
    arrow to show."""
    links = {}
    for key in SORTS:
        if filters.sort == key:
            links[key] = {"query": filters.query(sort=f"-{key}"), "arrow": "▲"}
        elif filters.sort == f"-{key}":
            links[key] = {"query": filters.query(sort=key), "arrow": "▼"}
        else:
            links[key] = {"query": filters.query(sort=key), "arrow": ""}
    return links


@login_required
def alert_detail(request: HttpRequest, alert_id: str) -> HttpResponse:
    """One alert in scope: rule, evidence, history, deadline and the actions open to the user;
    out of scope it is indistinguishable from a missing one (404)."""
    alert = _visible(request, alert_id)
    if alert is None:
        return not_found(request)
    accesslog.read(request, What.ALERT, contract=alert.contract)
    return _render_detail(request, alert)


def _visible(request: HttpRequest, alert_id: str) -> Alert | None:
    return (
        visible_alerts(request.user)
        .select_related("contract__buying_unit__institution")
        .filter(pk=alert_id)
        .first()
    )


def _render_detail(
    request: HttpRequest, alert: Alert, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "alert": alert,
        "events": alert.events.order_by("at", "id"),
        "actions": available_actions(request.user, alert),
        **extra,
    }
    return render(request, "besa/alerts/detail.html", context, status=status)


@login_required
def alert_document(request: HttpRequest, alert_id: str, sha256: str) -> HttpResponse | FileResponse:
    """A document presented with an action on the alert, to whoever may read the alert; any
    other hash, or an alert out of scope, answers 404."""
    alert = _visible(request, alert_id)
    document = None
    if alert is not None:
        for documents in alert.events.values_list("documents", flat=True):
            for item in documents or []:
                if item.get("sha256") == sha256.lower():
                    document = item
    if document is None:
        return not_found(request)
    try:
        handle = open_document(document["sha256"])
    except (FileNotFoundError, InvalidInput):
        return not_found(request)  # described by the API without the file: nothing to serve
    accesslog.read(request, What.DOCUMENT, contract=alert.contract)  # type: ignore[union-attr]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.get("file_name") or document["sha256"][:16],
        content_type=document.get("media_type") or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def alert_act(request: HttpRequest, alert_id: str) -> HttpResponse:
    """Take one action on one alert (the lifecycle decides whether it may be taken)."""
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "").strip()
    alert = _visible(request, alert_id)
    if alert is None:
        return not_found(request)
    try:
        # Kept content-addressed by the document store; the action records their descriptions
        # (title, SHA-256, type) as an entry does. A refused file: nothing is done.
        documents = [store(upload) for upload in request.FILES.getlist("attachments")]
    except DocumentRefused as exc:
        return _render_detail(
            request, alert, status=422, error=refusal_text(exc), reason=reason, chosen=action
        )
    try:
        lifecycle.act(request.user, alert.pk, action, reason=reason, documents=documents)
    except NotFound:
        return not_found(request)
    except PermissionDenied:
        return forbidden(request, why=refusal(request.user, action))
    except InvalidInput as exc:
        return _render_detail(
            request,
            alert,
            status=422,
            error=invalid(exc, alert, action),
            reason=reason,
            chosen=action,
        )
    messages.success(
        request,
        _("Alerta: %(state)s.")
        % {"state": words.state_name(_state_after(alert, action), request.LANGUAGE_CODE)},
    )
    return redirect("alert", alert_id=alert.pk)


def _state_after(alert: Alert, action: str) -> str:
    transition = lifecycle.TRANSITIONS.get((alert.state, action))
    return transition[0] if transition else alert.state


def refusal(user: Any, action: str) -> str:
    """Why the user's role may not take ``action``, in the page's language."""
    if user.role == Role.OVERSIGHT and action in ("attend", "justify"):
        return _(
            "El área fiscalizadora revisa las alertas pero no las atiende ni las justifica: "
            "eso corresponde a la unidad compradora. Puede solventarlas, marcarlas como no "
            "solventadas o turnarlas a investigación."
        )
    if action in ("resolve", "reject", "refer"):
        return _(
            "Solo el área fiscalizadora (OIC) puede solventar una alerta, marcarla como no "
            "solventada o turnarla a investigación: quien explica no es quien juzga. Puede "
            "atenderla y justificarla."
        )
    return _(
        "Su rol solo permite consultar este contrato: no puede actuar sobre sus alertas. "
        "Pida el cambio a la unidad compradora responsable."
    )


def invalid(exc: InvalidInput, alert: Alert, action: str) -> str:
    """The lifecycle's refusal of the input, in the page's language."""
    if exc.field == "reason":
        return _("Escriba el motivo: es obligatorio para esta acción.")
    if exc.field == "action":
        return _("Una alerta en estado «%(state)s» no admite esa acción.") % {
            "state": words.state_name(alert.state, words.language(get_language()))
        }
    return _("Los datos enviados no son válidos.")


@login_required
@require_POST
def alert_bulk(request: HttpRequest) -> HttpResponse:
    """Oversight's bulk action: the selected alerts, one action, one reason, one confirmation.

    The first POST shows what will change (a page listing the alerts in words); the second,
    with ``confirm``, applies the action to all of them in one transaction: if any alert
    cannot take it, nothing changes and the page says which and why.
    """
    if not may_act_in_bulk(request.user):
        return forbidden(request, why=refusal(request.user, "resolve"))
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "").strip()
    back = request.POST.get("back", "") or reverse("alerts")
    if not back.startswith("/alertas/"):
        back = reverse("alerts")
    ids = request.POST.getlist("ids")
    alerts = list(
        visible_alerts(request.user).select_related("contract", "institution").filter(pk__in=ids)
        if _uuids(ids)
        else Alert.objects.none()
    )
    problems = []
    if action not in BULK_ACTIONS:
        problems.append(_("Elija una acción."))
    if not alerts:
        problems.append(_("Seleccione al menos una alerta."))
    if action in NEEDS_REASON and not reason:
        problems.append(_("Escriba el motivo: es obligatorio para esta acción."))
    blocked = [a for a in alerts if (a.state, action) not in lifecycle.TRANSITIONS]
    context: dict[str, Any] = {
        "alerts": alerts,
        "action": action,
        "action_label": ACTIONS.get(action, ""),
        "reason": reason,
        "back": back,
        "blocked": blocked,
        "problems": problems,
    }
    if problems or blocked or request.POST.get("confirm") != "1":
        status = 422 if problems or blocked else 200
        return render(request, "besa/alerts/bulk_confirm.html", context, status=status)
    try:
        with transaction.atomic():
            for alert in alerts:
                lifecycle.act(request.user, alert.pk, action, reason=reason)
    except PermissionDenied:
        return forbidden(request, why=refusal(request.user, action))
    except (InvalidInput, NotFound):
        context["problems"] = [_("Alguna alerta cambió mientras tanto; revise la selección.")]
        return render(request, "besa/alerts/bulk_confirm.html", context, status=409)
    messages.success(
        request,
        _("%(count)d alertas: %(state)s.")
        % {
            "count": len(alerts),
            "state": words.state_name(_state_after(alerts[0], action), request.LANGUAGE_CODE),
        },
    )
    return redirect(back)


def _uuids(values: list[str]) -> bool:
    try:
        for value in values:
            uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """The operator's landing page: deadlines due this week and alerts to attend."""
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=7)
    contracts = Contract.objects.writable_by(request.user)
    deadlines = []
    # Only contracts still running owe deliveries; of each snapshot only its deliverables are
    # read (not the whole state, which carries the logbook).
    running = contracts.filter(
        state__status__in=("registered", "in_execution", "suspended")
    ).values_list("id", "number", "title", "state__snapshot__deliverables")
    for pk, number, title, deliverables in running:
        contract = {"id": pk, "number": number, "title": title}
        for key, deliverable in sorted((deliverables or {}).items()):
            due = _day(deliverable.get("due_date"))
            if due and not deliverable.get("fully_accepted_on") and due <= week_end:
                late = due < today
                deadlines.append({"contract": contract, "what": key, "due": due, "late": late})
    deadlines.sort(key=lambda d: d["due"])
    to_attend = (
        visible_alerts(request.user)
        .filter(contract__in=contracts, state__in=(AlertState.OPEN, AlertState.IN_ATTENTION))
        .select_related("contract")
        .order_by("escalate_at", "-opened_at")
    )
    return render(
        request,
        "besa/alerts/my_work.html",
        {
            "deadlines": deadlines,
            "to_attend": to_attend[:50],
            "to_attend_count": to_attend.count(),
            "week_end": week_end,
        },
    )


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Where each role lands after signing in: its work, not a generic list."""
    user: Any = request.user
    if user.is_overseer:
        return redirect(f"{reverse('alerts')}?state=active")
    if user.role == Role.COORDINATOR:
        return redirect("dashboard")
    if user.role == Role.OPERATOR:
        return redirect("my_work")
    return redirect("contracts")

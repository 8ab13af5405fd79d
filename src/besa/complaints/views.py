"""Citizen reports on the web: the public form and status page (no login), and the
oversight body's inbox. Thin: ``besa.complaints.intake`` decides and writes.

The follow-up code never travels in a URL (it would land in server and proxy logs and in the
browser's history): the receipt shows it in the answer to the POST that filed the report, and
the status page asks for it in a POST form. Those answers are marked ``no-store``
(``never_cache``), so no cache or back button keeps a code.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from besa.complaints import intake
from besa.complaints.models import Complaint, ComplaintState
from besa.documents import access
from besa.exceptions import DocumentRefused, InvalidInput, NotFound, PermissionDenied, RateLimited
from besa.portal.search import public_contracts
from besa.signin.addresses import client_address_of
from besa.web.documents import refusal_text
from besa.web.errors import forbidden, not_found
from besa.web.params import typed

#: The honeypot: a field people never see (hidden from sight and from screen readers) and
#: bots fill in. Its name says nothing a browser's autofill would recognise.
HONEYPOT = "referencia_adicional"
PAGE_SIZE = 50
#: What the citizen reads about each state (the status page).
PUBLIC_STATE = {
    ComplaintState.RECEIVED: lambda: _(
        "El órgano de fiscalización competente la recibió y la está revisando."
    ),
    ComplaintState.ACCEPTED: lambda: _(
        "El órgano de fiscalización la aceptó y la integró a un expediente de auditoría. "
        "Los detalles de la auditoría son reservados mientras se realiza."
    ),
    ComplaintState.DISMISSED: lambda: _("El órgano de fiscalización la desestimó."),
}


def _address(request: HttpRequest) -> str:
    """The client's address, as the sign-in lock-out reads it: ``X-Forwarded-For`` only from
    ``BESA_TRUSTED_PROXIES`` (``besa.signin.addresses``; see ``besa.complaints.limits``)."""
    return client_address_of(request) or "unknown"


def _when(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _too_many(exc: RateLimited) -> str:
    minutes = max(1, math.ceil((exc.retry_at - timezone.now()).total_seconds() / 60))
    values = {"when": _when(exc.retry_at), "minutes": minutes}
    if exc.scope == "contract":
        return (
            _(
                "Este contrato recibió hoy demasiadas denuncias y no se aceptan más por ahora. "
                "Podrá enviar la suya a partir del %(when)s (en %(minutes)d minutos); guarde su "
                "texto mientras tanto."
            )
            % values
        )
    if exc.scope == "lookup":
        return (
            _(
                "Se hicieron demasiadas consultas desde su conexión. Podrá consultar de nuevo a "
                "partir del %(when)s (en %(minutes)d minutos)."
            )
            % values
        )
    return (
        _(
            "Se recibieron demasiadas denuncias desde su conexión en la última hora. Podrá "
            "enviar la suya a partir del %(when)s (en %(minutes)d minutos); guarde su texto "
            "mientras tanto."
        )
        % values
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, contract_id: str) -> HttpResponse:
    """The "report a suspicion" form of a public contract; on success, the receipt with the
    follow-up code (shown this once)."""
    contract = get_object_or_404(
        public_contracts().select_related("buying_unit__institution"), pk=contract_id
    )
    values = {
        "text": request.POST.get("text", ""),
        "identity": "identified" if request.POST.get("identity") == "identified" else "anonymous",
        "name": typed(request.POST, "name"),
        "email": typed(request.POST, "email"),
    }
    context: dict[str, Any] = {
        "contract": contract,
        "values": values,
        "honeypot": HONEYPOT,
        "max_files": intake.MAX_FILES,
        "max_mib": f"{intake.file_bytes_limit() / 1024 / 1024:.0f}",
        "min_text": intake.MIN_TEXT,
        "errors": {},
    }
    if request.method != "POST":
        return render(request, "besa/complaints/report.html", context)
    status = 422
    if request.POST.get(HONEYPOT):
        context["errors"]["form"] = _(
            "No se envió: un campo oculto del formulario se llenó, como lo hacen los programas "
            "automáticos. Si usted escribió la denuncia, desactive el llenado automático del "
            "navegador y envíela de nuevo."
        )
        return render(request, "besa/complaints/report.html", context, status=status)
    limit = intake.file_bytes_limit()
    # One file past the maximum is enough for intake to refuse the count: never read more.
    files = request.FILES.getlist("documents")[: intake.MAX_FILES + 1]
    uploads = [intake.Upload(str(f.name or "documento")[:200], f.read(limit + 1)) for f in files]
    try:
        filed = intake.file(
            contract,
            text=values["text"],
            anonymous=values["identity"] == "anonymous",
            name=values["name"],
            email=values["email"],
            uploads=uploads,
            address=_address(request),
        )
    except DocumentRefused as exc:
        context["errors"]["documents"] = refusal_text(exc)
    except InvalidInput as exc:
        context["errors"][exc.field] = exc.message
    except RateLimited as exc:
        context["errors"]["form"] = _too_many(exc)
        status = 429
        response = render(request, "besa/complaints/report.html", context, status=status)
        response["Retry-After"] = str(max(1, int((exc.retry_at - timezone.now()).total_seconds())))
        return response
    except NotFound:
        return not_found(request)
    else:
        return render(
            request,
            "besa/complaints/receipt.html",
            {"contract": contract, "complaint": filed.complaint, "code": filed.code},
            status=201,
        )
    return render(request, "besa/complaints/report.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    """The status page: asks for the follow-up code (POST, so it stays out of URLs) and shows
    the state, the dates and the public reason, never the case, the staff or the text."""
    context: dict[str, Any] = {"code": "", "error": "", "complaint": None}
    if request.method != "POST":
        return render(request, "besa/complaints/follow_up.html", context)
    context["code"] = typed(request.POST, "code")[:40]
    status = 200
    try:
        complaint = intake.look_up(context["code"], address=_address(request))
    except InvalidInput as exc:
        context["error"], status = exc.message, 422
    except RateLimited as exc:
        context["error"], status = _too_many(exc), 429
    else:
        if complaint is None:
            context["error"], status = (
                _(
                    "Ninguna denuncia tiene ese código. Revise que lo copió completo (16 letras "
                    "y números); si lo perdió, no es posible recuperarlo: presente la denuncia "
                    "de nuevo."
                ),
                404,
            )
        else:
            context["complaint"] = complaint
            context["meaning"] = PUBLIC_STATE[ComplaintState(complaint.state)]()
    return render(request, "besa/complaints/follow_up.html", context, status=status)


# --- the oversight body's inbox ---------------------------------------------------------------


def _refusal() -> str:
    return _(
        "Las denuncias ciudadanas solo las ve el área fiscalizadora (OIC) competente para la "
        "institución del contrato: las unidades compradoras y los coordinadores pueden ser lo "
        "denunciado. Si recibió una denuncia por otro medio, remítala al OIC."
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The reports the user's oversight body may read, the waiting ones first by default;
    ``estado`` in the URL filters by state."""
    if not intake.may_decide(request.user):
        return forbidden(request, why=_refusal())
    state = typed(request.GET, "estado")
    state = state if state in ComplaintState.values or state == "todas" else ""
    rows = Complaint.objects.visible_to(request.user).select_related("contract", "institution")
    if state in ComplaintState.values:
        rows = rows.filter(state=state)
    elif not state:
        rows = rows.waiting()
    page = Paginator(rows.order_by("-filed_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "besa/complaints/inbox.html",
        {
            "page": page,
            "total": page.paginator.count,
            "state": state,
            "states": [("", _("Por decidir")), *ComplaintState.choices, ("todas", _("Todas"))],
            "query": urlencode({"estado": state} if state else {}),
        },
    )


def _visible(request: HttpRequest, complaint_id: int) -> Complaint | None:
    return (
        Complaint.objects.visible_to(request.user)
        .select_related("contract__buying_unit__institution", "institution", "decided_by")
        .filter(pk=complaint_id)
        .first()
    )


def _detail(
    request: HttpRequest, complaint: Complaint, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "complaint": complaint,
        "may_decide": complaint.state == ComplaintState.RECEIVED,
        "errors": {},
        "values": {},
        **extra,
    }
    return render(request, "besa/complaints/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """One report in scope, with the decision forms while it waits; out of scope, 404."""
    if not intake.may_decide(request.user):
        return forbidden(request, why=_refusal())
    complaint = _visible(request, complaint_id)
    if complaint is None:
        return not_found(request)
    return _detail(request, complaint)


@login_required
@require_POST
def decide(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """Accept (with the case's reference) or dismiss (with a reason) a waiting report."""
    if not intake.may_decide(request.user):
        return forbidden(request, why=_refusal())
    complaint = _visible(request, complaint_id)
    if complaint is None:
        return not_found(request)
    decision = request.POST.get("decision", "")
    values = {
        "case_reference": typed(request.POST, "case_reference"),
        "accept_reason": request.POST.get("accept_reason", ""),
        "dismiss_reason": request.POST.get("dismiss_reason", ""),
    }
    try:
        if decision == "accept":
            intake.accept(
                request.user,
                complaint.pk,
                case_reference=values["case_reference"],
                public_reason=values["accept_reason"],
            )
        elif decision == "dismiss":
            intake.dismiss(request.user, complaint.pk, reason=values["dismiss_reason"])
        else:
            raise InvalidInput("decision", _("Elija aceptar o desestimar."))
    except NotFound:
        return not_found(request)
    except PermissionDenied:
        return forbidden(request, why=_refusal())
    except InvalidInput as exc:
        field = exc.field
        if field == "public_reason":
            field = "accept_reason" if decision == "accept" else "dismiss_reason"
        return _detail(request, complaint, status=422, errors={field: exc.message}, values=values)
    return redirect("complaints:detail", complaint_id=complaint.pk)


@login_required
def document(request: HttpRequest, complaint_id: int, sha256: str) -> HttpResponse | FileResponse:
    """A file attached to a report in scope; any other hash answers 404."""
    if not intake.may_decide(request.user):
        return forbidden(request, why=_refusal())
    complaint = _visible(request, complaint_id)
    found = None
    if complaint is not None:
        found = next((d for d in complaint.documents if d.get("sha256") == sha256.lower()), None)
    response = access.attachment(found) if found is not None else None
    return response if response is not None else not_found(request)

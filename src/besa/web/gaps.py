"""Pages for what imported contracts lack and whether their buying units registered them.

- ``data_gaps``: per institution the completeness rate, per contract what is missing and by
  when (``besa.alerts.completeness``);
- ``reconciliation``: published versus registered contracts per institution, with the list
  (``besa.alerts.reconciliation``);
- ``confirm_registration``: a buying unit reviews an imported contract's pre-filled
  registration, corrects it and confirms it (``besa.registry.confirmation``).

Every page reads within the signed-in user's scope: a contract out of scope is a 404, as if it
did not exist; a reader who may see but not write it (oversight) gets a 403 on the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from besa.alerts import reconciliation, words
from besa.alerts.completeness import completeness, visible_gaps
from besa.exceptions import Conflict, InvalidInput, PermissionDenied
from besa.jurisdiction import from_env
from besa.logbook.actor import Actor
from besa.registry.confirmation import EDITABLE, OPTIONAL, confirm, prefilled
from besa.registry.models import Contract, Institution
from besa.registry.publication import publication_of
from besa.web.params import typed


def _param(request: HttpRequest, name: str) -> str:
    return typed(request.GET, name)


def _day(request: HttpRequest, name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_param(request, name))
    except ValueError:
        return None


def _institutions(user: Any) -> list[Institution]:
    """Institutions whose contracts ``user`` may see, for the filters."""
    visible = Contract.objects.visible_to(user).values("buying_unit__institution")
    return list(Institution.objects.filter(pk__in=visible).order_by("code"))


def subject_words(subject: str) -> str:
    """What a gap is about, in words: the whole contract, a deliverable, a supplier."""
    kind, _sep, key = subject.partition(":")
    if kind == "deliverable":
        return _("Entregable %(id)s") % {"id": key}
    if kind == "supplier":
        return _("Proveedor %(rfc)s") % {"rfc": key}
    return _("Contrato")


@login_required
def data_gaps(request: HttpRequest) -> HttpResponse:
    """Completeness per institution and the open gaps per contract, in the user's scope."""
    institution = _param(request, "institution") or None
    overdue = {"yes": True, "no": False}.get(_param(request, "overdue"))
    rows = visible_gaps(request.user, institution=institution, overdue=overdue)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    lang = words.language(get_language())
    items = [
        {
            "gap": gap,
            "subject": subject_words(gap.subject),
            "rules": [(code, words.rule_name(code, lang)) for code in gap.rules.split(",")],
        }
        for gap in page
    ]
    return render(
        request,
        "besa/gaps/data_gaps.html",
        {
            "page": page,
            "items": items,
            "total": page.paginator.count,
            "rates": completeness(request.user, institution=institution),
            "institutions": _institutions(request.user),
            "institution": institution or "",
            "overdue": _param(request, "overdue"),
            "coverage": from_env().coverage,
        },
    )


@login_required
def reconciliation_view(request: HttpRequest) -> HttpResponse:
    """Published versus registered contracts per institution, and the list."""
    institution = _param(request, "institution") or None
    signed_from, signed_until = _day(request, "from"), _day(request, "until")
    state = _param(request, "state")
    state = state if state in reconciliation.STATES else ""
    filtered = reconciliation.contracts(
        request.user, institution=institution, signed_from=signed_from, signed_until=signed_until
    )
    listed = reconciliation.contracts(
        request.user,
        institution=institution,
        signed_from=signed_from,
        signed_until=signed_until,
        state=state or None,
    )
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "contract": contract,
            "state": reconciliation.state_of(contract),
            "deadline": reconciliation.registration_deadline(contract),
        }
        for contract in page
    ]
    return render(
        request,
        "besa/gaps/reconciliation.html",
        {
            "page": page,
            "rows": rows,
            "total": page.paginator.count,
            "counts": reconciliation.counts(filtered),
            "institutions": _institutions(request.user),
            "institution": institution or "",
            "from": signed_from.isoformat() if signed_from else "",
            "until": signed_until.isoformat() if signed_until else "",
            "state": state,
            "states": _state_labels(),
        },
    )


def _state_labels() -> list[tuple[str, str]]:
    return [
        ("registered", _("Registrado por la unidad compradora")),
        ("confirmed", _("Publicado y confirmado")),
        ("pending", _("Publicado, en plazo de confirmar")),
        ("not_registered", _("Publicado y no registrado (plazo vencido)")),
    ]


@login_required
def confirm_registration(request: HttpRequest, contract_id: str) -> HttpResponse:
    """Review an imported contract's pre-filled registration; POST confirms it."""
    contract = get_object_or_404(
        Contract.objects.visible_to(request.user).select_related("buying_unit__institution"),
        pk=contract_id,
    )
    publication = publication_of(contract.pk)
    can_write = Contract.objects.writable_by(request.user).filter(pk=contract.pk).exists()
    _registration, payload = prefilled(contract)
    values = {name: _shown(payload["contract"].get(name)) for name, _kind in EDITABLE}
    error = ""
    status = 200
    if request.method == "POST":
        if not can_write:
            status, error = 403, _("Fuera de su ámbito de escritura.")
        else:
            values = {name: request.POST.get(name, "") for name, _kind in EDITABLE}
            try:
                confirm(contract, values, actor=Actor.of(request.user))
            except PermissionDenied:
                status, error = 403, _("Fuera de su ámbito de escritura.")
            except Conflict:
                status, error = (
                    409,
                    _("Este contrato ya fue confirmado o no es un contrato publicado."),
                )
            except InvalidInput as exc:
                status = 422
                error = _("Revise el campo «%(field)s»: el valor no es válido.") % {
                    "field": _field_labels().get(exc.field, exc.field)
                }
            else:
                messages.success(request, _("Registro confirmado por la unidad compradora."))
                return redirect("contract", contract_id=contract.pk)
    labels = _field_labels()
    fields = [
        {
            "name": name,
            "kind": kind,
            "label": labels[name],
            "value": values.get(name, ""),
            "required": name not in OPTIONAL,
        }
        for name, kind in EDITABLE
    ]
    return render(
        request,
        "besa/gaps/confirm.html",
        {
            "contract": contract,
            "publication": publication,
            "deadline": reconciliation.registration_deadline(contract),
            "payload": payload,
            "fields": fields,
            "can_write": can_write,
            "error": error,
        },
        status=status,
    )


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _field_labels() -> dict[str, str]:
    """The editable terms' labels, in the request's language."""
    return {
        "number": _("Número de contrato"),
        "title": _("Título"),
        "description": _("Descripción"),
        "procedure_number": _("Número de procedimiento"),
        "legal_basis": _("Fundamento legal"),
        "exception_justification": _("Justificación de la excepción"),
        "award_date": _("Fecha del fallo"),
        "signing_date": _("Fecha de firma"),
        "start_date": _("Inicio de vigencia"),
        "end_date": _("Fin de vigencia"),
        "amount": _("Importe sin IVA"),
        "vat_amount": _("IVA"),
        "guarantee_percent": _("Garantía de cumplimiento (%)"),
        "penalty_rate_percent": _("Pena convencional (%)"),
        "advance_percent": _("Anticipo (%)"),
    }

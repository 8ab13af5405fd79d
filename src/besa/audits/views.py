"""Audit pages under /auditorias/ and the institution's requests under /requerimientos/:
thin views that parse the form, call one function of ``besa.audits.cases`` or ``plans``, and
render. A refused step comes back to the page with the reason and the input kept."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from besa.alerts.models import Alert
from besa.alerts.words import headline, rule_name
from besa.audits import cases, machine, plans
from besa.audits.models import (
    AuditCase,
    AuditPlan,
    CaseState,
    InfoRequest,
    Source,
    Stage,
    Verdict,
)
from besa.audits.words import action_label, field_label
from besa.documents import access
from besa.documents.store import store
from besa.exceptions import DocumentRefused, InvalidInput, NotFound, PermissionDenied
from besa.registry.models import BuyingUnit, Contract, Institution, Role, User, oversight_scope
from besa.risk.words import INDICATORS
from besa.web.documents import refusal_text
from besa.web.forms import in_language


def _staff(request: HttpRequest) -> None:
    user = request.user
    if not user.is_overseer:  # type: ignore[union-attr]
        raise DjangoPermissionDenied


def _refusal(exc: InvalidInput | PermissionDenied) -> str:
    if isinstance(exc, PermissionDenied):
        return _("Su función o su ámbito no le permiten este paso.")
    return _("Revise «%(field)s»: %(message)s") % {
        "field": field_label(exc.field),
        "message": in_language(exc.message),
    }


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The auditor's cases, filtered by state (``?estado=``)."""
    _staff(request)
    found = AuditCase.objects.visible_to(request.user).select_related("institution")
    state = request.GET.get("estado", "")
    if state in CaseState.values:
        found = found.filter(state=state)
    context = {"cases": found[:500], "states": CaseState.choices, "state": state}
    return render(request, "audits/case_list.html", context)


@login_required
def open_case_page(request: HttpRequest) -> HttpResponse:
    """Open a case from an alert (``?alerta=<id>``), a ranking entry (``?ocid=``) or by hand
    (the contract's ocid typed in)."""
    _staff(request)
    alert = None
    source: str = Source.MANUAL
    reference, ocid = "", request.GET.get("ocid", "")
    if request.GET.get("alerta"):
        alert = get_object_or_404(
            Alert.objects.filter(contract__in=Contract.objects.visible_to(request.user)),
            pk=request.GET["alerta"],
        )
        source, reference, ocid = Source.ALERT, str(alert.id), alert.ocid
    elif ocid:
        source, reference = Source.RANKING, ocid
    values: dict[str, Any] = {
        "title": alert.contract.title if alert else "",
        # The alert in words (its summary carries the rule's internal codes).
        "reason": _alert_in_words(alert) if alert else "",
        "ocid": ocid,
        "stages": [],
    }
    error = None
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in ("title", "reason", "ocid")}
        values["stages"] = request.POST.getlist("stages")
        source = request.POST.get("source", Source.MANUAL)
        reference = request.POST.get("source_reference", "")
        contract = (
            Contract.objects.visible_to(request.user)
            .select_related("buying_unit__institution")
            .filter(ocid=values["ocid"])
            .first()
        )
        try:
            if contract is None:
                raise InvalidInput("contracts", _("no hay un contrato con ese ocid a su alcance"))
            case = cases.open_case(
                opened_by=request.user,
                institution=contract.buying_unit.institution,
                contracts=[contract],
                source=source,
                source_reference=reference,
                title=values["title"],
                reason=values["reason"],
                stages=values["stages"],
            )
        except (InvalidInput, PermissionDenied) as exc:
            error = _refusal(exc)
        else:
            messages.success(request, _("Caso %(number)s abierto.") % {"number": case.number})
            return redirect("audits:case", case_id=case.id)
    context = {
        "values": values,
        "source": source,
        "source_label": Source(source).label,
        "reference": reference,
        "alert": alert,
        "error": error,
        "stages": Stage.choices,
    }
    return render(request, "audits/open.html", context, status=400 if error else 200)


def _alert_in_words(alert: Alert) -> str:
    lang = get_language() or "es"
    return f"{rule_name(alert.rule, lang)}: {headline(alert.rule, alert.evidence, lang)}"


@login_required
def case_page(request: HttpRequest, case_id: str) -> HttpResponse:
    """The case: its object, state and the steps the user may take, the dialogue with the
    buying unit, the findings, referrals and history."""
    _staff(request)
    try:
        case = cases.case_for(request.user, case_id)
    except NotFound as exc:
        raise Http404 from exc
    return _render_case(request, case)


def _render_case(
    request: HttpRequest, case: AuditCase, error: str | None = None, status: int = 200
) -> HttpResponse:
    role = cases.role_of(request.user)
    steps = [(s.action.value, action_label(s.action)) for s in machine.allowed(case.state, role)]
    contracts = list(case.contracts.select_related("buying_unit"))
    units = {c.buying_unit for c in contracts}
    context = {
        "case": case,
        "steps": steps,
        "contracts": contracts,
        "units": sorted(units, key=lambda u: u.code),
        "requests": case.requests.select_related("buying_unit"),
        "findings": case.findings.all(),
        "referrals": case.referrals.all(),
        "events": case.events.select_related("by"),
        "can_request": case.state in machine.REQUEST_STATES,
        "can_find": case.state in machine.FINDING_STATES,
        "can_verdict": case.state == CaseState.REMEDIATION,
        "can_refer": case.state in machine.REFERRAL_STATES,
        "verdicts": [v for v in Verdict.choices if v[0] != Verdict.PENDING],
        "resolutions": [(o, machine_outcome_label(o)) for o in sorted(machine.RESOLUTIONS)],
        "error": error,
        "form": request.POST if error else {},
        "alert_id": _alert_id(case),
        "candidates": User.objects.filter(
            role=Role.OVERSIGHT, is_active=True, oversees=case.institution
        ).exclude(pk__in=case.auditors.values("pk"))
        if case.state not in machine.FINAL
        else User.objects.none(),
    }
    return render(request, "audits/case.html", context, status=status)


def _alert_id(case: AuditCase) -> str | None:
    """The alert a case came from, when its reference is one (a link, not a raw id)."""
    if case.source != Source.ALERT:
        return None
    try:
        return str(uuid.UUID(case.source_reference))
    except ValueError:
        return None


def machine_outcome_label(outcome: str) -> str:
    from besa.audits.models import Outcome

    return str(Outcome(outcome).label)


@login_required
@require_POST
def case_act(request: HttpRequest, case_id: str) -> HttpResponse:
    """Every form of the case page posts here with ``do``: a step of the machine, or
    ``request``, ``finding``, ``verdict``, ``refer``."""
    _staff(request)
    try:
        case = cases.case_for(request.user, case_id)
    except NotFound as exc:
        raise Http404 from exc
    post, user, do = request.POST, request.user, request.POST.get("do", "")
    try:
        if do == "request":
            unit = BuyingUnit.objects.filter(code=post.get("buying_unit", "")).first()
            if unit is None:
                raise InvalidInput("buying_unit", _("elija la unidad compradora"))
            try:
                days = int(post.get("business_days", ""))
            except ValueError:
                raise InvalidInput("business_days", _("escriba un número de días")) from None
            cases.send_request(
                case,
                by=user,
                buying_unit=unit,
                subject=post.get("subject", ""),
                body=post.get("body", ""),
                business_days=days,
            )
            messages.success(request, _("Requerimiento enviado."))
        elif do == "finding":
            cases.record_finding(
                case,
                by=user,
                title=post.get("title", ""),
                description=post.get("description", ""),
                legal_basis=post.get("legal_basis", ""),
                amount_at_stake=post.get("amount_at_stake", ""),
            )
            messages.success(request, _("Observación registrada."))
        elif do == "verdict":
            finding = get_object_or_404(case.findings, pk=post.get("finding", ""))
            cases.set_verdict(
                finding,
                by=user,
                verdict=post.get("verdict", ""),
                amount_recovered=post.get("amount_recovered", "") or 0,
            )
            messages.success(request, _("Dictamen registrado."))
        elif do == "assign":
            auditor = User.objects.filter(pk=post.get("auditor") or 0).first()
            cases.assign_auditor(case, auditor, by=user)
            messages.success(request, _("Auditor asignado."))
        elif do == "refer":
            cases.refer(
                case, by=user, authority=post.get("authority", ""), grounds=post.get("grounds", "")
            )
            messages.success(request, _("Caso turnado a investigación."))
        else:
            until = None
            if post.get("remediation_until"):
                try:
                    until = dt.date.fromisoformat(post["remediation_until"])
                except ValueError:
                    raise InvalidInput("remediation_until", _("fecha no válida")) from None
            cases.take_step(
                case,
                do,
                by=user,
                reason=post.get("reason", ""),
                outcome=post.get("outcome", ""),
                remediation_until=until,
            )
            messages.success(request, _("Paso registrado: %(step)s.") % {"step": action_label(do)})
    except (InvalidInput, PermissionDenied) as exc:
        case.refresh_from_db()
        return _render_case(request, case, _refusal(exc), status=400)
    return redirect("audits:case", case_id=case.id)


# --- the institution's side -------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """Requests addressed to the user's buying units (operator) or institution (coordinator)."""
    found = InfoRequest.objects.addressed_to(request.user).select_related("case", "buying_unit")
    context = {"waiting": found.waiting(), "answered": found.filter(answered_at__isnull=False)}
    return render(request, "audits/request_list.html", context)


@login_required
def request_page(request: HttpRequest, request_id: str) -> HttpResponse:
    """One request and, while it waits, the form to answer it with documents."""
    info = get_object_or_404(
        InfoRequest.objects.addressed_to(request.user).select_related("case", "buying_unit"),
        pk=request_id,
    )
    error, answer = None, ""
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        try:
            documents = [
                store(f, title=request.POST.get("title", "").strip() or None)
                for f in request.FILES.getlist("files")
            ]
            cases.answer_request(info, by=request.user, answer=answer, documents=documents)
        except DocumentRefused as exc:
            error = refusal_text(exc)
        except (InvalidInput, PermissionDenied) as exc:
            error = _refusal(exc)
        else:
            messages.success(request, _("Respuesta enviada."))
            return redirect("audits:requests")
    context = {"info": info, "error": error, "answer": answer}
    return render(request, "audits/request.html", context, status=400 if error else 200)


@login_required
def request_document(request: HttpRequest, request_id: str, sha256: str) -> FileResponse:
    """A document of an answer, for the auditor of the case or the institution answering."""
    info = (
        InfoRequest.objects.addressed_to(request.user).filter(pk=request_id).first()
        or InfoRequest.objects.filter(
            pk=request_id, case__in=AuditCase.objects.visible_to(request.user)
        ).first()
    )
    document = next((d for d in (info.documents if info else []) if d["sha256"] == sha256), None)
    response = access.attachment(document) if document is not None else None
    if response is None:
        raise Http404(sha256)
    return response


# --- plans ------------------------------------------------------------------------------


@login_required
def plan_page(request: HttpRequest) -> HttpResponse:
    """Plan audits from the risk ranking: capacity, minimum score, indicators, subject
    (institution, buying unit, supplier) and the stages to examine → the contracts chosen, the
    risk and amount covered, and what is left; confirming writes the plan and its cases."""
    _staff(request)
    params = request.POST if request.method == "POST" else request.GET
    values: dict[str, Any] = {
        name: params.get(name, default).strip()
        for name, default in (
            ("title", ""),
            ("capacity", "5"),
            ("min_score", "0.3"),
            ("period_start", ""),
            ("period_end", ""),
            ("institution", ""),
            ("buying_unit", ""),
            ("supplier", ""),
        )
    }
    values["indicators"] = params.getlist("indicators")
    values["stages"] = params.getlist("stages")
    scope = plans.Scope(
        institution=values["institution"],
        buying_unit=values["buying_unit"],
        supplier=values["supplier"],
        indicators=tuple(values["indicators"]),
        stages=tuple(values["stages"]),
    )
    error, proposal = None, None
    try:
        capacity = _int("capacity", values["capacity"])
        min_score = _float("min_score", values["min_score"])
        proposal = plans.propose(request.user, capacity=capacity, min_score=min_score, scope=scope)
        if request.method == "POST":
            plan = plans.create_plan(
                request.user,
                title=values["title"],
                period_start=_day("period_start", values["period_start"]),
                period_end=_day("period_end", values["period_end"]),
                capacity=capacity,
                min_score=min_score,
                scope=scope,
            )
            messages.success(
                request,
                _("Programa «%(title)s» creado con %(n)s casos.")
                % {"title": plan.title, "n": plan.cases.count()},
            )
            return redirect("audits:plan", plan_id=plan.id)
    except (InvalidInput, PermissionDenied) as exc:
        error = _refusal(exc)
    institutions = Institution.objects.filter(oversight_scope(request.user, ""))
    context = {
        "values": values,
        "proposal": proposal,
        "error": error,
        "institutions": institutions.order_by("code"),
        "units": BuyingUnit.objects.filter(institution__in=institutions).order_by("code"),
        "indicators": sorted(INDICATORS.items(), key=lambda kv: str(kv[1])),
        "stages": Stage.choices,
    }
    return render(request, "audits/plan_new.html", context, status=400 if error else 200)


@login_required
def plan_detail(request: HttpRequest, plan_id: str) -> HttpResponse:
    _staff(request)
    plan = get_object_or_404(AuditPlan, pk=plan_id)
    visible = AuditCase.objects.visible_to(request.user)
    items = plan.items.select_related("contract", "institution", "case").filter(
        oversight_scope(request.user)
    )
    if (
        not request.user.is_central_admin  # type: ignore[union-attr]
        and plan.created_by_id != request.user.pk
        and not visible.filter(plan=plan).exists()
    ):
        raise Http404(plan_id)
    chosen = [i for i in items if i.selected]
    left = [i for i in items if not i.selected]
    context = {
        "plan": plan,
        "chosen": chosen,
        "left": left,
        "chosen_amount": sum(i.amount for i in chosen),
        "left_amount": sum(i.amount for i in left),
        "chosen_risk": round(sum(i.score or 0 for i in chosen), 3),
        "left_risk": round(sum(i.score or 0 for i in left), 3),
    }
    return render(request, "audits/plan.html", context)


def _int(field: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(field, _("escriba un número entero")) from None


def _float(field: str, value: str) -> float:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise InvalidInput(field, _("escriba un número entre 0 y 1")) from None


def _day(field: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, _("escriba una fecha")) from None

"""The one writer of audit cases: every step checks the actor's scope and the state machine
(``besa.audits.machine``) first, then writes the case's rows and appends the step to the
logbook of each contract concerned, in one transaction, so a refused step leaves no trace and
an accepted one is hash-chained like any other fact.

Scope: an oversight body acts on the cases of the institutions it oversees (``User.oversees``);
the central administrator on any. A request is answered by the operators of the buying unit it
is addressed to, or by their institution's coordinator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from besa.audits import machine
from besa.audits.models import (
    AuditCase,
    AuditPlan,
    CaseEvent,
    CaseState,
    Finding,
    InfoRequest,
    Outcome,
    Referral,
    Source,
    Stage,
    Verdict,
)
from besa.documents import store
from besa.exceptions import InvalidInput, NotFound, PermissionDenied
from besa.jurisdiction import from_env
from besa.logbook.actor import Actor
from besa.logbook.append import append, audit_writer
from besa.registry.models import BuyingUnit, Contract, Institution, Role
from besa.rules.audits import answer_due_on

__all__ = [
    "answer_request",
    "assign_auditor",
    "checked_stages",
    "open_case",
    "record_finding",
    "refer",
    "role_of",
    "send_request",
    "set_verdict",
    "take_step",
]

#: The longest answer period an auditor may give, in business days.
MAX_BUSINESS_DAYS = 60


def role_of(user: Any) -> str:
    """The machine's name for ``user``'s role (the central administrator is ``admin``)."""
    return machine.ADMIN if user.is_central_admin else str(user.role)


def _check_oversees(user: Any, institution: Institution) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("inicie sesión / sign in")
    if user.is_central_admin:
        return
    if user.role != Role.OVERSIGHT or not user.oversees.filter(pk=institution.pk).exists():
        raise PermissionDenied(
            "la institución no está bajo su fiscalización / institution outside your oversight"
        )


def _text(field: str, value: str, limit: int = 5000) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(field, "obligatorio / required")
    if len(value) > limit:
        raise InvalidInput(field, f"más de {limit} caracteres / longer than {limit} characters")
    return value


def _record(case: AuditCase, kind: str, payload: Mapping[str, Any], by: Any, now: dt.datetime,
            contracts: Iterable[Contract] | None = None) -> None:  # fmt: skip
    """Append the step to the logbook of each contract concerned (all the case's by default)."""
    actor = Actor.of(by)
    with audit_writer():
        for contract in contracts if contracts is not None else case.contracts.all():
            append(contract, kind, dict(payload), actor=actor, now=now)


def open_case(
    *,
    opened_by: Any,
    institution: Institution,
    contracts: Sequence[Contract],
    source: str,
    source_reference: str,
    title: str,
    reason: str,
    plan: AuditPlan | None = None,
    stages: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> AuditCase:
    """Open an audit case (state draft) on ``contracts`` of ``institution`` and record its
    opening in each contract's logbook; ``opened_by`` becomes its first auditor. ``stages``
    (``Stage`` values) are what of the contracts it examines; empty: every stage.

    ``source`` is one of plan / alert / ranking / complaint / manual; ``source_reference``
    names what it came from (the plan, the alert id, the ranking entry, the complaint's
    follow-up code; may be empty for ``manual``). Raises ``PermissionDenied`` when
    ``opened_by`` does not oversee ``institution`` and ``InvalidInput`` naming the field for
    bad input (no contract, a contract of another institution, an unknown source or stage, an
    empty title or reason); nothing is written then.
    """
    _check_oversees(opened_by, institution)
    if source not in Source.values:
        raise InvalidInput("source", f"one of {', '.join(Source.values)}")
    stages = checked_stages(stages)
    title = _text("title", title, 300)
    reason = _text("reason", reason)
    source_reference = (source_reference or "").strip()[:300]
    contracts = list(dict.fromkeys(contracts))
    if not contracts:
        raise InvalidInput("contracts", "al menos un contrato / at least one contract")
    for contract in contracts:
        if contract.buying_unit.institution_id != institution.pk:
            raise InvalidInput(
                "contracts",
                f"el contrato {contract.number} es de otra institución / "
                f"contract {contract.number} belongs to another institution",
            )
        if getattr(contract, "state", None) is None:
            raise InvalidInput("contracts", f"contract {contract.number} has no logbook")
    now = now or timezone.now()
    with transaction.atomic():
        case = AuditCase.objects.create(
            number=_next_number(now),
            title=title,
            reason=reason,
            source=source,
            source_reference=source_reference,
            institution=institution,
            opened_by=opened_by,
            plan=plan,
            stages=stages,
            opened_at=now,
            state_since=now,
        )
        case.contracts.set(contracts)
        case.auditors.add(opened_by)
        CaseEvent.objects.create(
            case=case, action="open", to_state=CaseState.DRAFT, at=now, by=opened_by, reason=reason
        )
        payload: dict[str, Any] = {
            "case": str(case.id),
            "number": case.number,
            "title": title,
            "source": source,
            "reason": reason,
            "institution_code": institution.code,
        }
        if source_reference:
            payload["source_reference"] = source_reference
        if stages:
            payload["stages"] = stages
        _record(case, "audit_opened", payload, opened_by, now, contracts)
    return case


def checked_stages(stages: Iterable[str]) -> list[str]:
    """``stages`` without repeats, in the contract's order (``Stage``); ``InvalidInput`` on
    ``stages`` naming an unknown one. All of them is the same as none: every stage."""
    chosen = set(stages)
    unknown = sorted(chosen - set(Stage.values))
    if unknown:
        raise InvalidInput("stages", f"etapa desconocida / unknown stage: {', '.join(unknown)}")
    ordered = [s for s in Stage.values if s in chosen]
    return [] if len(ordered) == len(Stage.values) else ordered


def _next_number(now: dt.datetime) -> str:
    """``AUD-<year>-<n>``, n counting the year's cases; the unique column settles a race."""
    year = now.astimezone(from_env().zone).year
    prefix = f"AUD-{year}-"
    count = AuditCase.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


def _locked(case: AuditCase) -> AuditCase:
    return AuditCase.objects.select_for_update().get(pk=case.pk)


def take_step(
    case: AuditCase,
    action: str,
    *,
    by: Any,
    reason: str = "",
    outcome: str = "",
    remediation_until: dt.date | None = None,
    now: dt.datetime | None = None,
) -> AuditCase:
    """Move ``case`` by ``action`` (``machine.Action``) and record the step.

    ``open_remediation`` needs ``remediation_until`` (a day after today); ``resolve`` an
    ``outcome``; ``cancel``, ``stop`` and ``close_without_findings`` a ``reason``. Raises
    like ``machine.transition`` plus ``PermissionDenied`` out of scope; writes nothing then.
    A case that ends withdraws its unanswered requests.
    """
    _check_oversees(by, case.institution)
    now = now or timezone.now()
    with transaction.atomic():
        case = _locked(case)
        target = machine.transition(
            case.state,
            action,
            role_of(by),
            reason=reason,
            outcome=outcome,
            findings=case.findings.count(),
        )
        payload: dict[str, Any] = {"case": str(case.id), "action": action, "state": str(target)}
        if action == machine.Action.OPEN_REMEDIATION:
            today = now.astimezone(from_env().zone).date()
            if remediation_until is None:
                raise InvalidInput("remediation_until", "obligatorio / required")
            if remediation_until <= today:
                raise InvalidInput(
                    "remediation_until", "debe ser posterior a hoy / must be after today"
                )
            case.remediation_until = remediation_until
            payload["remediation_until"] = remediation_until.isoformat()
        if action == machine.Action.RESOLVE:
            case.outcome = outcome
            payload["outcome"] = outcome
        if action == machine.Action.CLOSE_WITHOUT_FINDINGS:
            case.outcome = Outcome.NO_FINDINGS
            payload["outcome"] = Outcome.NO_FINDINGS
        if reason.strip():
            payload["reason"] = _text("reason", reason)
        CaseEvent.objects.create(
            case=case,
            action=action,
            from_state=case.state,
            to_state=target,
            at=now,
            by=by,
            reason=reason.strip(),
        )
        case.state = str(target)
        case.state_reason = reason.strip()
        case.state_since = now
        case.save()
        if target in machine.FINAL:
            case.requests.filter(answered_at__isnull=True).update(withdrawn=True)
        _record(case, "audit_step", payload, by, now)
    return case


def assign_auditor(
    case: AuditCase, auditor: Any, *, by: Any, now: dt.datetime | None = None
) -> AuditCase:
    """Assign ``auditor`` (an oversight user who oversees the case's institution) to a case
    that has not ended; recorded as an ``audit_step`` ``assign`` (the state does not change).
    Assigning someone already assigned writes nothing."""
    _check_oversees(by, case.institution)
    if (
        auditor is None
        or auditor.role != Role.OVERSIGHT
        or not auditor.is_active
        or not auditor.oversees.filter(pk=case.institution_id).exists()
    ):
        raise InvalidInput(
            "auditor",
            "debe ser del área fiscalizadora de la institución / "
            "must be an oversight user of the institution",
        )
    now = now or timezone.now()
    with transaction.atomic():
        case = _locked(case)
        if case.state in machine.FINAL:
            raise InvalidInput("auditor", "el caso concluyó / the case has ended")
        if case.auditors.filter(pk=auditor.pk).exists():
            return case
        case.auditors.add(auditor)
        CaseEvent.objects.create(
            case=case,
            action="assign",
            from_state=case.state,
            to_state=case.state,
            at=now,
            by=by,
            reason=auditor.get_full_name() or auditor.get_username(),
        )
        payload = {
            "case": str(case.id),
            "action": "assign",
            "state": case.state,
            "auditor": auditor.get_username(),
        }
        _record(case, "audit_step", payload, by, now)
    return case


def send_request(
    case: AuditCase,
    *,
    by: Any,
    buying_unit: BuyingUnit,
    subject: str,
    body: str,
    business_days: int,
    now: dt.datetime | None = None,
) -> InfoRequest:
    """Send a request for information to ``buying_unit``, due ``business_days`` business days
    after today on the jurisdiction's calendar (``besa.rules.audits.answer_due_on``); recorded
    on the logbooks of the case's contracts of that unit, where rule A26 watches it. The case
    must be active, with findings or in remediation."""
    _check_oversees(by, case.institution)
    subject = _text("subject", subject, 300)
    body = _text("body", body)
    if not isinstance(business_days, int) or not 1 <= business_days <= MAX_BUSINESS_DAYS:
        raise InvalidInput(
            "business_days", f"de 1 a {MAX_BUSINESS_DAYS} / 1 to {MAX_BUSINESS_DAYS}"
        )
    now = now or timezone.now()
    jurisdiction = from_env()
    sent_on = now.astimezone(jurisdiction.zone).date()
    due_on = answer_due_on(jurisdiction.calendar, sent_on, business_days)
    with transaction.atomic():
        case = _locked(case)
        if case.state not in machine.REQUEST_STATES:
            raise InvalidInput(
                "case", "el caso no admite requerimientos en su estado / not in this state"
            )
        contracts = [c for c in case.contracts.all() if c.buying_unit_id == buying_unit.pk]
        if not contracts:
            raise InvalidInput(
                "buying_unit",
                "ningún contrato del caso es de esa unidad compradora / "
                "no contract of the case belongs to that buying unit",
            )
        request = InfoRequest.objects.create(
            case=case,
            buying_unit=buying_unit,
            subject=subject,
            body=body,
            sent_at=now,
            sent_on=sent_on,
            business_days=business_days,
            due_on=due_on,
            sent_by=by,
        )
        payload = {
            "case": str(case.id),
            "request": str(request.id),
            "subject": subject,
            "body": body,
            "addressed_to": buying_unit.code,
            "sent_on": sent_on.isoformat(),
            "business_days": business_days,
            "due_on": due_on.isoformat(),
        }
        _record(case, "audit_request", payload, by, now, contracts)
    return request


def answer_request(
    request: InfoRequest,
    *,
    by: Any,
    answer: str,
    documents: Sequence[Mapping[str, Any]] = (),
    now: dt.datetime | None = None,
) -> InfoRequest:
    """Record the buying unit's answer (with the documents already kept in the document
    store: ``{title, sha256, media_type, file_name?}``). Only a person the request is
    addressed to may answer (``InfoRequest.objects.addressed_to``), once, while it is not
    withdrawn. An answer after the deadline is accepted (and closes its A26 alert as
    corrected, like any late fact). A document whose file is not in the store is refused
    (``InvalidInput`` on ``documents``): the auditor must be able to open what was sent."""
    if not InfoRequest.objects.addressed_to(by).filter(pk=request.pk).exists():
        raise PermissionDenied(
            "el requerimiento no está dirigido a usted / the request is not addressed to you"
        )
    answer = _text("answer", answer)
    named = {str(d.get("sha256", "")).lower() for d in documents}
    missing = sorted(named - store.kept(named))
    if missing:
        raise InvalidInput(
            "documents",
            "suba primero el archivo (POST /api/documents) / upload the file first: "
            + ", ".join(m[:16] or "—" for m in missing),
        )
    now = now or timezone.now()
    with transaction.atomic():
        request = InfoRequest.objects.select_for_update().get(pk=request.pk)
        if request.answered_at is not None:
            raise InvalidInput("answer", "ya contestado / already answered")
        if request.withdrawn:
            raise InvalidInput("answer", "el caso concluyó / the case has ended")
        request.answer = answer
        request.documents = [dict(d) for d in documents]
        request.answered_at = now
        request.answered_by = by
        request.save()
        payload = {
            "case": str(request.case_id),
            "request": str(request.id),
            "answer": answer,
            "documents": request.documents,
        }
        contracts = [
            c for c in request.case.contracts.all() if c.buying_unit_id == request.buying_unit_id
        ]
        _record(request.case, "audit_answer", payload, by, now, contracts)
    return request


def _amount(field: str, value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(field, "no es un monto / not an amount") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e18"):
        raise InvalidInput(field, "monto no válido / invalid amount")
    return amount.quantize(Decimal("0.01"))


def _finding_payload(finding: Finding) -> dict[str, Any]:
    return {
        "case": str(finding.case_id),
        "finding": str(finding.id),
        "title": finding.title,
        "description": finding.description,
        "legal_basis": finding.legal_basis,
        "amount_at_stake": str(finding.amount_at_stake),
        "verdict": finding.verdict,
        **(
            {"amount_recovered": str(finding.amount_recovered)}
            if finding.verdict != Verdict.PENDING
            else {}
        ),
    }


def record_finding(
    case: AuditCase,
    *,
    by: Any,
    title: str,
    description: str,
    legal_basis: str,
    amount_at_stake: Any,
    now: dt.datetime | None = None,
) -> Finding:
    """Record a finding (observación) with its legal basis and the amount at stake, while
    the case is active or its findings are being reported."""
    _check_oversees(by, case.institution)
    title = _text("title", title, 300)
    description = _text("description", description)
    legal_basis = _text("legal_basis", legal_basis, 300)
    amount = _amount("amount_at_stake", amount_at_stake)
    now = now or timezone.now()
    with transaction.atomic():
        case = _locked(case)
        if case.state not in machine.FINDING_STATES:
            raise InvalidInput("case", "el caso no admite observaciones / not in this state")
        finding = Finding.objects.create(
            case=case,
            title=title,
            description=description,
            legal_basis=legal_basis,
            amount_at_stake=amount,
            recorded_at=now,
            recorded_by=by,
        )
        _record(case, "audit_finding", _finding_payload(finding), by, now)
    return finding


def set_verdict(
    finding: Finding,
    *,
    by: Any,
    verdict: str,
    amount_recovered: Any = 0,
    now: dt.datetime | None = None,
) -> Finding:
    """Give a finding its verdict once the remediation period is assessed (the case in
    remediation), with the amount recovered; recorded as a new ``audit_finding`` entry."""
    case = finding.case
    _check_oversees(by, case.institution)
    if verdict not in Verdict.values or verdict == Verdict.PENDING:
        raise InvalidInput("verdict", "elija un dictamen / choose a verdict")
    recovered = _amount("amount_recovered", amount_recovered or 0)
    now = now or timezone.now()
    with transaction.atomic():
        case = _locked(case)
        if case.state != CaseState.REMEDIATION:
            raise InvalidInput(
                "verdict", "solo en el periodo de solventación / only during remediation"
            )
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if recovered > finding.amount_at_stake:
            raise InvalidInput(
                "amount_recovered", "mayor que el monto observado / above the amount at stake"
            )
        finding.verdict = verdict
        finding.amount_recovered = recovered
        finding.save()
        _record(case, "audit_finding", _finding_payload(finding), by, now)
    return finding


def refer(
    case: AuditCase, *, by: Any, authority: str, grounds: str, now: dt.datetime | None = None
) -> Referral:
    """Refer the case to investigation: to ``authority``, on ``grounds``."""
    _check_oversees(by, case.institution)
    authority = _text("authority", authority, 300)
    grounds = _text("grounds", grounds)
    now = now or timezone.now()
    with transaction.atomic():
        case = _locked(case)
        if case.state not in machine.REFERRAL_STATES:
            raise InvalidInput("case", "no hay observaciones que turnar / nothing to refer yet")
        referral = Referral.objects.create(
            case=case, authority=authority, grounds=grounds, at=now, by=by
        )
        payload = {"case": str(case.id), "authority": authority, "grounds": grounds}
        _record(case, "audit_referral", payload, by, now)
    return referral


def case_for(user: Any, case_id: Any) -> AuditCase:
    """The case ``case_id`` if ``user`` may read it; ``NotFound`` otherwise."""
    case = AuditCase.objects.visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"audit case {case_id}")
    return case

"""The audits API: the cases in the caller's scope with their dialogue and findings, a step
on a case, and the requests addressed to the caller with their answer. Thin: every write is
one call to ``besa.audits.cases`` (same checks, same logbook entries as the pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from besa.api.schemas import ERRORS, ErrorOut
from besa.audits import cases
from besa.audits.models import AuditCase, InfoRequest
from besa.exceptions import NotFound

router = Router(tags=["audits"])


class RequestOut(Schema):
    id: UUID
    case_number: str
    buying_unit: str
    subject: str
    body: str
    sent_on: dt.date
    business_days: int
    due_on: dt.date
    answered_at: dt.datetime | None
    answer: str
    documents: list[dict[str, Any]]
    withdrawn: bool


class FindingOut(Schema):
    id: UUID
    title: str
    description: str
    legal_basis: str
    amount_at_stake: Decimal
    verdict: str
    amount_recovered: Decimal


class CaseOut(Schema):
    id: UUID
    number: str
    title: str
    institution: str
    source: str
    source_reference: str
    state: str
    outcome: str
    opened_at: dt.datetime
    ocids: list[str]


class CaseDetail(CaseOut):
    requests: list[RequestOut]
    findings: list[FindingOut]


class StepIn(Schema):
    """A step of the case's state machine (``besa.audits.machine``): 422 when the case's
    state does not allow it or a reason, outcome or date is missing; 403 out of role."""

    action: Literal[
        "activate", "report_findings", "close_without_findings", "open_remediation",
        "resolve", "close", "stop", "cancel",
    ]  # fmt: skip
    reason: str = ""
    outcome: str = ""
    remediation_until: dt.date | None = None


class AnswerIn(Schema):
    answer: str
    #: Documents already uploaded to the document store: ``{title, sha256, media_type}``.
    documents: list[dict[str, Any]] = []


def _case(case: AuditCase) -> dict[str, Any]:
    return {
        "id": case.id,
        "number": case.number,
        "title": case.title,
        "institution": case.institution.code,
        "source": case.source,
        "source_reference": case.source_reference,
        "state": case.state,
        "outcome": case.outcome,
        "opened_at": case.opened_at,
        "ocids": list(case.contracts.values_list("ocid", flat=True)),
    }


def _request(info: InfoRequest) -> dict[str, Any]:
    return {
        "id": info.id,
        "case_number": info.case.number,
        "buying_unit": info.buying_unit.code,
        "subject": info.subject,
        "body": info.body,
        "sent_on": info.sent_on,
        "business_days": info.business_days,
        "due_on": info.due_on,
        "answered_at": info.answered_at,
        "answer": info.answer,
        "documents": info.documents,
        "withdrawn": info.withdrawn,
    }


def _detail(case: AuditCase) -> dict[str, Any]:
    return {
        **_case(case),
        "requests": [_request(r) for r in case.requests.select_related("case", "buying_unit")],
        "findings": list(case.findings.values(*FindingOut.model_fields)),
    }


@router.get("/cases", response=list[CaseOut], summary="Audit cases in scope")
def list_cases(request: HttpRequest) -> list[dict[str, Any]]:
    found = AuditCase.objects.visible_to(request.user).select_related("institution")
    return [_case(c) for c in found[:1000]]


@router.get("/cases/{case_id}", response={200: CaseDetail, 404: ErrorOut}, summary="One case")
def case_detail(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    return _detail(cases.case_for(request.user, case_id))


@router.post("/cases/{case_id}/steps", response={200: CaseDetail, **ERRORS}, summary="A step")
def case_step(request: HttpRequest, case_id: UUID, body: StepIn) -> dict[str, Any]:
    case = cases.take_step(
        cases.case_for(request.user, case_id),
        body.action,
        by=request.user,
        reason=body.reason,
        outcome=body.outcome,
        remediation_until=body.remediation_until,
    )
    return _detail(case)


@router.get("/requests", response=list[RequestOut], summary="Requests addressed to me")
def list_requests(request: HttpRequest) -> list[dict[str, Any]]:
    found = InfoRequest.objects.addressed_to(request.user).select_related("case", "buying_unit")
    return [_request(r) for r in found[:1000]]


@router.post(
    "/requests/{request_id}/answer", response={200: RequestOut, **ERRORS}, summary="Answer"
)
def answer(request: HttpRequest, request_id: UUID, body: AnswerIn) -> dict[str, Any]:
    info = InfoRequest.objects.addressed_to(request.user).filter(pk=request_id).first()
    if info is None:
        raise NotFound("requerimiento no encontrado / request not found")
    return _request(
        cases.answer_request(info, by=request.user, answer=body.answer, documents=body.documents)
    )

"""The payloads of the audit steps recorded in a contract's logbook (``besa.audits``).

Every step of an audit case (its opening, each change of state, each request to the buying
unit and its answer, each finding, a referral to investigation) is appended to the logbook of
every contract the case covers, so the audit trail is hash-chained and ``besa verify`` checks
it like any other fact. The whole payload of these kinds is withheld from the public hashed
form (``besa.logbook.disclosure``): an audit at work is reserved information, so the public
sees that a step happened, and its hash, while oversight can check the content.

Only ``besa.audits`` appends them (``besa.logbook.append.audit_writer``): they are not
recorded from the contract page nor through the logbook API. Pure: no Django.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from besa.logbook.kinds.fields import (
    Day,
    LocalId,
    LongText,
    MediaType,
    NonNegativeAmount,
    Payload,
    ScheduledDay,
    Sha256,
    Text,
    _,
    about,
)

#: Where a case came from (``besa.audits.cases.open_case``'s ``source``).
Source = Literal["plan", "alert", "ranking", "complaint", "manual"]
#: The stages of a contract a case examines (``besa.audits.models.Stage``).
Stage = Literal["planning", "tender", "award", "contract", "implementation"]
CaseState = Literal[
    "draft", "active", "findings", "remediation", "resolved", "closed", "stopped", "cancelled"
]
Action = Literal[
    "assign",
    "activate",
    "report_findings",
    "close_without_findings",
    "open_remediation",
    "resolve",
    "close",
    "stop",
    "cancel",
]
Outcome = Literal["eliminated", "partly_eliminated", "not_eliminated", "no_findings"]
Verdict = Literal["pending", "eliminated", "partly_eliminated", "not_eliminated"]


class AuditOpened(Payload):
    """An audit case was opened covering this contract (among others, perhaps)."""

    case: LocalId = about(_("Caso"))
    number: Text = about(_("Número del caso"))
    title: Text = about(_("Título"))
    source: Source = about(_("Origen"))
    source_reference: Text | None = about(_("Referencia del origen"), default=None)
    reason: LongText = about(_("Motivo"))
    institution_code: Text = about(_("Institución auditada"))
    #: Absent when the case examines every stage (and in cases opened before stages existed).
    stages: list[Stage] | None = about(_("Etapas auditadas"), default=None)


class AuditStep(Payload):
    """The case changed state (``besa.audits.machine``)."""

    case: LocalId = about(_("Caso"))
    action: Action = about(_("Paso"))
    state: CaseState = about(_("Estado nuevo"))
    outcome: Outcome | None = about(_("Resultado"), default=None)
    reason: LongText | None = about(_("Motivo"), default=None)
    remediation_until: ScheduledDay | None = about(_("Plazo de solventación"), default=None)
    #: ``assign``: the user name of the auditor assigned (the state does not change).
    auditor: Text | None = about(_("Auditor asignado"), default=None)


class AuditRequest(Payload):
    """A request for information from the auditor to the buying unit, with its deadline
    (``due_on``: ``business_days`` after ``sent_on`` on the jurisdiction's calendar)."""

    case: LocalId = about(_("Caso"))
    request: LocalId = about(_("Requerimiento"))
    subject: Text = about(_("Asunto"))
    body: LongText = about(_("Información solicitada"))
    addressed_to: Text = about(_("Unidad compradora requerida"))
    sent_on: Day = about(_("Fecha de envío"))
    business_days: int = about(_("Plazo en días hábiles"), ge=1, le=60)
    due_on: ScheduledDay = about(_("Fecha límite de respuesta"))


class AnswerDocument(Payload):
    """A file sent with an answer, known by its SHA-256 (kept in the document store)."""

    title: Text = about(_("Título"))
    sha256: Sha256 = about(_("SHA-256"))
    media_type: MediaType = about(_("Tipo de archivo"))
    file_name: Text | None = about(_("Nombre del archivo"), default=None)


class AuditAnswer(Payload):
    """The buying unit's answer to a request, with its documents."""

    case: LocalId = about(_("Caso"))
    request: LocalId = about(_("Requerimiento"))
    answer: LongText = about(_("Respuesta"))
    documents: list[AnswerDocument] = Field(default_factory=list, title=_("Documentos"))


class AuditFinding(Payload):
    """A finding (observación): what is irregular, on what legal basis, how much is at stake,
    and its verdict once the remediation period is assessed."""

    case: LocalId = about(_("Caso"))
    finding: LocalId = about(_("Observación"))
    title: Text = about(_("Observación"))
    description: LongText = about(_("Descripción"))
    legal_basis: Text = about(_("Fundamento legal"))
    amount_at_stake: NonNegativeAmount = about(_("Monto observado"))
    verdict: Verdict = about(_("Dictamen"), default="pending")
    amount_recovered: NonNegativeAmount | None = about(_("Monto recuperado"), default=None)


class AuditReferral(Payload):
    """The case was referred to investigation (turnado a la autoridad investigadora)."""

    case: LocalId = about(_("Caso"))
    authority: Text = about(_("Autoridad competente"))
    grounds: LongText = about(_("Fundamentos"))


#: The audit kinds and their payload models, in the order of a case's life.
AUDIT_MODELS: dict[str, type[Payload]] = {
    "audit_opened": AuditOpened,
    "audit_step": AuditStep,
    "audit_request": AuditRequest,
    "audit_answer": AuditAnswer,
    "audit_finding": AuditFinding,
    "audit_referral": AuditReferral,
}
#: Kinds only ``besa.audits`` appends.
AUDIT_KINDS: frozenset[str] = frozenset(AUDIT_MODELS)

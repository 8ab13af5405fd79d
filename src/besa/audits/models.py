"""Audit plans, cases, requests to the buying unit, findings, referrals and the history of
each case's states.

These rows are the working copy the pages read; every step is also an entry in the logbook
of each contract the case covers (``besa.audits.cases``), written in the same transaction,
which is what makes the audit trail tamper-evident. Only ``besa.audits.cases`` and
``besa.audits.plans`` write them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from besa.audits.machine import CaseState as MachineState
from besa.jsonfield import FastJSONField
from besa.registry.models import BuyingUnit, Contract, Institution, Role, oversight_scope


class CaseState(models.TextChoices):
    #: opened, not yet started
    DRAFT = MachineState.DRAFT, _("Borrador")
    #: the audit is under way
    ACTIVE = MachineState.ACTIVE, _("En curso")
    #: findings reported to the institution
    FINDINGS = MachineState.FINDINGS, _("Observaciones notificadas")
    #: the institution may eliminate the irregularities until the remediation deadline
    REMEDIATION = MachineState.REMEDIATION, _("Periodo de solventación")
    #: the remediation was assessed
    RESOLVED = MachineState.RESOLVED, _("Dictaminado")
    #: finished
    CLOSED = MachineState.CLOSED, _("Concluido")
    #: ended while at work, with a reason
    STOPPED = MachineState.STOPPED, _("Suspendido definitivamente")
    #: withdrawn before any finding, with a reason
    CANCELLED = MachineState.CANCELLED, _("Cancelado")


class Outcome(models.TextChoices):
    #: the irregularities were eliminated (solventadas)
    ELIMINATED = "eliminated", _("Solventadas")
    #: some remain
    PARTLY_ELIMINATED = "partly_eliminated", _("Parcialmente solventadas")
    #: none was eliminated
    NOT_ELIMINATED = "not_eliminated", _("No solventadas")
    #: nothing to observe
    NO_FINDINGS = "no_findings", _("Sin observaciones")


class Source(models.TextChoices):
    #: selected in an audit plan
    PLAN = "plan", _("Programa de auditoría")
    #: an alert
    ALERT = "alert", _("Alerta")
    #: an entry of the risk ranking
    RANKING = "ranking", _("Ranking de riesgo")
    #: a citizen report (denuncia)
    COMPLAINT = "complaint", _("Denuncia ciudadana")
    #: opened by hand
    MANUAL = "manual", _("Apertura directa")


class Stage(models.TextChoices):
    """The stages of a contract an audit examines (its object), in OCDS's words."""

    PLANNING = "planning", _("Planeación")
    TENDER = "tender", _("Procedimiento de contratación")
    AWARD = "award", _("Adjudicación")
    CONTRACT = "contract", _("Formalización del contrato")
    IMPLEMENTATION = "implementation", _("Ejecución: entregas y pagos")


def stage_names(stages: list[str]) -> list[str]:
    """``stages`` in words, in the contract's order; empty when none is named (all)."""
    labels = dict(Stage.choices)
    return [str(labels.get(s, s)) for s in stages]


class Verdict(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    ELIMINATED = "eliminated", _("Solventada")
    PARTLY_ELIMINATED = "partly_eliminated", _("Parcialmente solventada")
    NOT_ELIMINATED = "not_eliminated", _("No solventada")


class AuditCaseQuerySet(models.QuerySet["AuditCase"]):
    def visible_to(self, user: Any) -> AuditCaseQuerySet:
        """Cases ``user`` may read: an oversight body, those of the institutions it oversees;
        the central administrator, all. Operators and coordinators see no case (they see the
        requests addressed to them, ``InfoRequest.objects.addressed_to``)."""
        return self.filter(oversight_scope(user))


class AuditPlan(models.Model):
    """What an oversight body chose to audit in a period, and why (the method: which ranking
    and thresholds; the subject and object: each item), within its capacity."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("título"), max_length=300)
    period_start = models.DateField(_("inicio del periodo"))
    period_end = models.DateField(_("fin del periodo"))
    capacity = models.PositiveIntegerField(_("capacidad (auditorías en el periodo)"))
    #: The method: the ranking kind, the minimum score and any filter (JSON).
    method = FastJSONField(_("método"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("creado"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("programa de auditoría")
        verbose_name_plural = _("programas de auditoría")

    def __str__(self) -> str:
        return self.title

    @property
    def stage_names(self) -> list[str]:
        """The stages its cases examine, in words (empty: all)."""
        return stage_names(self.method.get("stages") or [])


class PlanItem(models.Model):
    """One candidate of a plan: a contract, with its risk and amount; ``selected`` ones are
    audited (each opens a case), the others are what the plan leaves."""

    plan = models.ForeignKey(AuditPlan, on_delete=models.CASCADE, related_name="items")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("riesgo"), null=True)
    amount = models.DecimalField(_("monto"), max_digits=20, decimal_places=2)
    reasons = FastJSONField(_("motivos"), default=list)
    selected = models.BooleanField(_("seleccionado"), default=False)
    case = models.ForeignKey(
        "AuditCase", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-selected", "-score"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.contract_id}"


class AuditCase(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("número"), max_length=30, unique=True)
    title = models.CharField(_("título"), max_length=300)
    reason = models.TextField(_("motivo"))
    source = models.CharField(_("origen"), max_length=20, choices=Source)
    source_reference = models.CharField(_("referencia del origen"), max_length=300, blank=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="audit_cases"
    )
    contracts = models.ManyToManyField(Contract, related_name="audit_cases")
    auditors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="audit_cases"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        AuditPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    state = models.CharField(
        _("estado"), max_length=20, choices=CaseState, default=CaseState.DRAFT, db_index=True
    )
    outcome = models.CharField(_("resultado"), max_length=20, choices=Outcome, blank=True)
    state_reason = models.TextField(_("motivo del estado"), blank=True)
    remediation_until = models.DateField(_("plazo de solventación"), null=True, blank=True)
    #: The stages of its contracts the case examines (``Stage``); empty: all of them.
    stages = FastJSONField(_("etapas auditadas"), default=list, blank=True)
    opened_at = models.DateTimeField(_("abierto"))
    state_since = models.DateTimeField(_("en este estado desde"))

    objects = AuditCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("caso de auditoría")
        verbose_name_plural = _("casos de auditoría")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def stage_names(self) -> list[str]:
        """The stages it examines, in words (empty: all)."""
        return stage_names(self.stages or [])


class CaseEvent(models.Model):
    """One change of a case's state: who, when, from and to, why (time per stage)."""

    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, choices=CaseState)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_state} → {self.to_state}"


class InfoRequestQuerySet(models.QuerySet["InfoRequest"]):
    def addressed_to(self, user: Any) -> InfoRequestQuerySet:
        """Requests ``user`` must answer: an operator, those to its buying units; a
        coordinator, those to its institution's units. Nobody else answers."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.OPERATOR:
            return self.filter(buying_unit__operators=user)
        if user.role == Role.COORDINATOR and user.institution_id:
            return self.filter(buying_unit__institution_id=user.institution_id)
        return self.none()

    def waiting(self) -> InfoRequestQuerySet:
        return self.filter(answered_at__isnull=True, withdrawn=False)


class InfoRequest(models.Model):
    """A request for information from the auditor to a buying unit, with its deadline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="requests")
    buying_unit = models.ForeignKey(BuyingUnit, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("asunto"), max_length=300)
    body = models.TextField(_("información solicitada"))
    sent_at = models.DateTimeField(_("enviado"))
    sent_on = models.DateField(_("fecha de envío"))
    business_days = models.PositiveIntegerField(_("plazo en días hábiles"))
    due_on = models.DateField(_("fecha límite"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("respuesta"), blank=True)
    documents = FastJSONField(_("documentos"), default=list)
    answered_at = models.DateTimeField(_("contestado"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn = models.BooleanField(_("retirado"), default=False)

    objects = InfoRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "sent_at"]
        verbose_name = _("requerimiento de información")
        verbose_name_plural = _("requerimientos de información")

    def __str__(self) -> str:
        return self.subject


class Finding(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(_("observación"), max_length=300)
    description = models.TextField(_("descripción"))
    legal_basis = models.CharField(_("fundamento legal"), max_length=300)
    amount_at_stake = models.DecimalField(_("monto observado"), max_digits=20, decimal_places=2)
    verdict = models.CharField(
        _("dictamen"), max_length=20, choices=Verdict, default=Verdict.PENDING
    )
    amount_recovered = models.DecimalField(
        _("monto recuperado"), max_digits=20, decimal_places=2, default=0
    )
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return self.title


class Referral(models.Model):
    """The case referred to investigation, to the competent authority, with its grounds."""

    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="referrals")
    authority = models.CharField(_("autoridad competente"), max_length=300)
    grounds = models.TextField(_("fundamentos"))
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.authority}"


__all__ = [
    "AuditCase",
    "AuditPlan",
    "CaseEvent",
    "CaseState",
    "Finding",
    "InfoRequest",
    "Outcome",
    "PlanItem",
    "Referral",
    "Source",
    "Verdict",
]

"""Alert rows, their transitions, deadline watches, notifications and webhook subscriptions.

An alert's state follows domain.md §4's lifecycle::

    open ──► in_attention ──► justified ──► resolved        (oversight accepts)
      │            │              └──────► not_resolved ──► referred (to investigation)
      └────────────┴──► corrected   (closed by itself when the data that caused it is fixed)

At most one alert per (contract, rule, subject) is not ``corrected``: a finding that persists
after oversight resolved it is not raised again, and one that returns after a correction
raises a new alert. Every change is an ``AlertEvent``: who, when, why.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from besa.jsonfield import FastJSONField
from besa.registry.models import Contract, Institution


class AlertState(models.TextChoices):
    #: raised by a rule; nobody has acted yet (escalates when left unattended)
    OPEN = "open", _("Abierta")
    #: the operator is attending it (gathering evidence)
    IN_ATTENTION = "in_attention", _("En atención")
    #: the operator justified it, with documents; awaits oversight
    JUSTIFIED = "justified", _("Justificada")
    #: closed by itself when the data that caused it was fixed
    CORRECTED = "corrected", _("Corregida")
    #: oversight accepted the justification (solventada)
    RESOLVED = "resolved", _("Solventada")
    #: oversight rejected the justification (no solventada)
    NOT_RESOLVED = "not_resolved", _("No solventada")
    #: oversight referred it to investigation (turnada a investigación)
    REFERRED = "referred", _("Turnada a investigación")


#: States in which the alert still asks someone to act, and in which the rule may close it.
ACTIVE_STATES = (AlertState.OPEN, AlertState.IN_ATTENTION, AlertState.JUSTIFIED)


class Alert(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="alerts")
    ocid = models.CharField(max_length=100, db_index=True)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("regla"), max_length=4, db_index=True)
    subject = models.CharField(_("objeto"), max_length=120)
    severity = models.CharField(_("severidad"), max_length=1)
    state = models.CharField(
        _("estado"), max_length=20, choices=AlertState, default=AlertState.OPEN, db_index=True
    )
    evidence = FastJSONField(_("evidencia"))
    summary = models.CharField(_("resumen"), max_length=500, blank=True)
    opened_at = models.DateTimeField(_("abierta"))
    updated_at = models.DateTimeField(_("actualizada"))
    closed_at = models.DateTimeField(_("cerrada"), null=True, blank=True)
    #: 0: operator; 1: escalated to the coordinator; 2: escalated to oversight
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalate_at = models.DateTimeField(null=True, blank=True, db_index=True)
    #: The day the breach began (a delivery became late, a payment was made…), when the rule
    #: can tell; an alert found by importing past history is opened long after it.
    breach_since = models.DateField(_("incumplimiento desde"), null=True, blank=True)
    #: Found when past history was imported (``besa import ocds``), not as the facts happened.
    found_at_import = models.BooleanField(_("hallada al importar"), default=False)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("alerta")
        verbose_name_plural = _("alertas")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "rule", "subject"],
                condition=~Q(state="corrected"),
                name="one_uncorrected_alert_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.ocid} {self.subject} ({self.state})"


class AlertEvent(models.Model):
    """One change of an alert: opened, evidence updated, a transition, an escalation."""

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.CharField(max_length=150)  #: username, or "system:<job>"
    reason = models.TextField(blank=True)
    documents = FastJSONField(default=list)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.action} {self.from_state}→{self.to_state}"


def default_events() -> list[str]:
    """Subscriptions made before events could be chosen heard every alert event."""
    return ["alert.*"]


class WebhookSubscription(models.Model):
    """A system that wants events by HTTP POST, signed with HMAC-SHA256.

    ``events`` lists what it hears: ``entry.appended`` (every new logbook entry),
    ``alert.opened``, ``alert.corrected``, ``alert.escalated:1``… or a family with a trailing
    ``*`` (``alert.*``, ``*``).
    """

    name = models.CharField(max_length=100)
    url = models.URLField()
    secret = models.CharField(max_length=200)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("vacío: todas las instituciones"),
    )
    active = models.BooleanField(default=True)
    events = FastJSONField(
        _("eventos"),
        default=default_events,
        help_text=_('p. ej. ["entry.appended", "alert.*"]'),
    )

    def __str__(self) -> str:
        return f"{self.name} → {self.url}"

    def wants(self, event: str) -> bool:
        """Whether this subscription hears ``event`` (exact name, or a ``prefix*`` pattern)."""
        for pattern in self.events or ():
            if pattern == event or (pattern.endswith("*") and event.startswith(pattern[:-1])):
                return True
        return False


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    SENT = "sent", _("Enviada")
    FAILED = "failed", _("Fallida")


class Notification(models.Model):
    """One message about one alert or logbook event to one recipient over one channel.

    ``alert`` is empty for a logbook event (``entry.appended``), which only goes to webhooks.

    Delivered by the worker (``notifications.deliver``) with retries and exponential back-off.
    ``key`` makes creation idempotent: two workers raising the same event create one row.
    A failure is recorded in ``last_error``; after ``MAX_ATTEMPTS`` the row is ``failed``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    alert = models.ForeignKey(
        Alert, on_delete=models.PROTECT, related_name="notifications", null=True, blank=True
    )
    key = models.CharField(max_length=250, unique=True)
    event = models.CharField(max_length=30)
    channel = models.CharField(max_length=20)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    address = models.CharField(max_length=500)
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.SET_NULL, null=True, blank=True
    )
    payload = FastJSONField()
    status = models.CharField(
        max_length=10, choices=NotificationStatus, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(null=True)
    claim = models.UUIDField(null=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.channel}:{self.address} {self.event} ({self.status})"


class GapItem(models.TextChoices):
    """What a buying unit may have to complete (``besa.alerts.gaps.ITEMS``)."""

    BUDGET_SUFFICIENCY = "budget_sufficiency", _("Suficiencia presupuestaria")
    MULTIYEAR_AUTHORISATION = "multiyear_authorisation", _("Autorización plurianual de la SHCP")
    PERFORMANCE_GUARANTEE = "performance_guarantee", _("Garantía de cumplimiento o su excepción")
    COMPLIANCE_OPINIONS = "compliance_opinions", _("Opiniones de cumplimiento de obligaciones")
    RECENT_EVENTS = "recent_events", _("Hechos posteriores a los publicados")
    EXCEPTION_BASIS = "exception_basis", _("Fundamento legal o dictamen de la excepción")
    DELIVERABLE_AMOUNT = "deliverable_amount", _("Importe del entregable")
    SETTLEMENT = "settlement", _("Importes del finiquito")


class DataGap(models.Model):
    """One piece of information a contract's data lack (``besa.alerts.gaps``), kept in step
    with the contract by ``besa.alerts.evaluation.sync`` like its alerts: opened when the
    rules first see it, closed (``closed_at``) when the buying unit records the fact, reopened
    if it goes missing again. One row per (contract, item, subject).

    ``kind``: ``missing`` (its absence is a misconduct finding once ``due_on`` has passed;
    ``overdue`` then, and the alert is raised) or ``unjudgeable`` (a rule cannot judge without
    it; no deadline). ``due_on`` is None outside coverage (``Coverage.covered_from``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="data_gaps")
    item = models.CharField(_("dato"), max_length=40, choices=GapItem)
    subject = models.CharField(_("objeto"), max_length=120)
    kind = models.CharField(_("tipo"), max_length=12)
    rules = models.CharField(_("reglas"), max_length=40)
    due_on = models.DateField(_("plazo"), null=True, blank=True)
    overdue = models.BooleanField(_("vencido"), default=False)
    opened_at = models.DateTimeField(_("detectado"))
    closed_at = models.DateTimeField(_("completado"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["due_on", "contract_id", "item", "subject"]
        verbose_name = _("dato faltante")
        verbose_name_plural = _("datos faltantes")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "item", "subject"], name="data_gap_once_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.item} {self.subject}"

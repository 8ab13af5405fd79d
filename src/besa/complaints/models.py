"""Citizen reports and the counters that limit how often they may be filed.

A report (``Complaint``) belongs to one contract and is routed, when filed, to the institution
the contract belongs to: the oversight users who oversee that institution (``User.oversees``)
are the competent body, and only they (and the central administrator) see it
(``ComplaintQuerySet.visible_to``). Buying units and coordinators never see reports: they may
be what is reported.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from besa.jsonfield import FastJSONField
from besa.registry.models import Contract, Institution, oversight_scope


class ComplaintState(models.TextChoices):
    #: Filed; waiting for the competent oversight body
    RECEIVED = "received", _("Recibida, en revisión")
    #: Accepted into an audit case (``case_reference``)
    ACCEPTED = "accepted", _("Aceptada en un expediente")
    #: Dismissed with a reason the reporter reads (``public_reason``)
    DISMISSED = "dismissed", _("Desestimada")


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def visible_to(self, user: Any) -> ComplaintQuerySet:
        """Reports ``user`` may read: an oversight user's, those filed about contracts of the
        institutions it oversees; the central administrator's, all; nobody else's, none."""
        return self.filter(oversight_scope(user))

    def waiting(self) -> ComplaintQuerySet:
        """Reports no one has decided yet."""
        return self.filter(state=ComplaintState.RECEIVED)


class Complaint(models.Model):
    """A citizen's report (denuncia) about one contract.

    ``code_digest`` is the SHA-256 of the follow-up code (``besa.complaints.code``); the code
    itself is shown once, to the reporter, and never stored. An anonymous report stores no
    name and no e-mail (``reporter_name`` and ``reporter_email`` stay empty), and no report
    stores the address it came from (the submission counters keep only a keyed digest of it,
    apart from the report). Written only by ``besa.complaints.intake``.
    """

    id = models.BigAutoField(primary_key=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("contrato")
    )
    #: The contract's institution when filed: whose oversight body decides the report.
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("institución"),
    )
    code_digest = models.CharField(max_length=64, unique=True)
    text = models.TextField(_("hechos denunciados"))
    #: Attached files as an entry holds them: ``{title, sha256, media_type, file_name}``.
    documents = FastJSONField(_("documentos"), default=list, blank=True)
    anonymous = models.BooleanField(_("anónima"), default=True)
    reporter_name = models.CharField(_("nombre de quien denuncia"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("correo de quien denuncia"), blank=True)
    filed_at = models.DateTimeField(_("recibida"))
    state = models.CharField(
        _("estado"), max_length=10, choices=ComplaintState, default=ComplaintState.RECEIVED
    )
    #: The audit case the report was accepted into (``besa.audits`` once merged).
    case_reference = models.CharField(_("expediente"), max_length=100, blank=True)
    #: What the reporter reads about the decision (required to dismiss).
    public_reason = models.TextField(_("motivo comunicado a quien denuncia"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decidió"),
    )
    decided_at = models.DateTimeField(_("decidida"), null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("denuncia")
        verbose_name_plural = _("denuncias")
        indexes = [models.Index(fields=["institution", "state", "filed_at"])]
        constraints = [
            # Anonymous means anonymous: no identifying field may be stored with it.
            models.CheckConstraint(
                condition=Q(anonymous=False) | (Q(reporter_name="") & Q(reporter_email="")),
                name="complaint_anonymous_stores_no_identity",
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | ~Q(case_reference=""),
                name="complaint_accepted_names_its_case",
            ),
            models.CheckConstraint(
                condition=~Q(state="dismissed") | ~Q(public_reason=""),
                name="complaint_dismissed_gives_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.folio

    @property
    def folio(self) -> str:
        """The report's reference among staff (not secret, unlike the follow-up code)."""
        return f"DEN-{self.pk:06d}"


class SubmissionCounter(models.Model):
    """How many submissions one key made in one fixed time window (``besa.complaints.limits``).

    ``key`` is ``a:<keyed digest of the client address>``, ``c:<contract id>`` or
    ``s:<digest>`` (status look-ups). Rows live in the database so that every web process and
    thread counts the same submissions; old windows are deleted as new reports arrive.
    """

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="submission_counter_once")
        ]
        indexes = [models.Index(fields=["window_start"], name="submission_counter_window")]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M} {self.count}"

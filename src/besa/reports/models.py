"""Monthly report delivery: who opted out, and which (institution, month, person) was sent.

``MonthlyDelivery`` is the idempotency record: one row per (institution, month, recipient),
created before the e-mail goes out (the unique constraint makes two workers, or a restarted
one, create it once) and stamped ``sent_at`` after. A row whose sending failed stays unsent and
is retried by the next run; a sent row is never sent again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from besa.registry.models import Institution


class ReportPreference(models.Model):
    """A person's choice about the monthly report e-mail (no row: they receive it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_preference"
    )
    monthly_email = models.BooleanField(_("recibir el informe mensual"), default=True)

    class Meta:
        verbose_name = _("preferencia de informes")
        verbose_name_plural = _("preferencias de informes")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.monthly_email}"


class MonthlyDelivery(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    #: The month reported on, as its first day.
    month = models.DateField(_("mes"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    address = models.EmailField(_("correo"))
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("envío mensual")
        verbose_name_plural = _("envíos mensuales")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "month", "recipient"], name="monthly_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.month:%Y-%m} → {self.address}"

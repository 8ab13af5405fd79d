"""One row per read of non-public data (see the package docstring)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class What(models.TextChoices):
    """What was read."""

    CONTRACT = "contract", _("Contrato")
    ALERT = "alert", _("Alerta")
    DOCUMENT = "document", _("Documento")
    EXPORT = "export", _("Exportación")
    API = "api", _("API")


class Read(models.Model):
    """``user`` read ``what`` at ``at`` through ``path``; ``contract`` and ``institution`` say
    whose data it was (the institution scopes oversight's queries; for an export of many
    contracts it is the reader's own institution, when the reader has one)."""

    at = models.DateTimeField(_("fecha y hora"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("usuario"),
    )
    what = models.CharField(_("qué"), max_length=10, choices=What)
    path = models.CharField(_("dirección"), max_length=400)
    contract = models.ForeignKey(
        "registry.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contrato"),
    )
    institution = models.ForeignKey(
        "registry.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institución"),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("lectura")
        verbose_name_plural = _("lecturas")
        indexes = [models.Index(fields=["institution", "-at"], name="accesslog_institution_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.user_id} {self.what} {self.path}"

"""A background job: what a person started from the web application and the worker runs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    IMPORT_OCDS = "import_ocds", _("Importación OCDS")
    IMPORT_COMPRANET = "import_compranet", _("Importación de contratos de CompraNet")
    IMPORT_SAT69B = "import_sat69b", _("Importación de la lista 69-B del SAT")
    EXPORT_CONTRACTS = "export_contracts", _("Exportación de la lista de contratos")


class JobState(models.TextChoices):
    #: Waiting for a worker.
    QUEUED = "queued", _("En espera")
    #: A worker holds it (``lease_until``); one whose lease lapsed was interrupted.
    RUNNING = "running", _("En curso")
    DONE = "done", _("Terminado")
    FAILED = "failed", _("Falló")


class Job(models.Model):
    """One run of long work. ``progress_done``/``progress_total`` (None: unknown yet) are
    written by the worker as it goes; ``report`` holds the work's figures at its end (or why it
    failed); ``result_file`` names a file in the job's directory to download."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("tipo"), max_length=30, choices=JobKind)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jobs",
        verbose_name=_("iniciado por"),
    )
    parameters = models.JSONField(_("parámetros"), default=dict)
    state = models.CharField(
        _("estado"), max_length=10, choices=JobState, default=JobState.QUEUED, db_index=True
    )
    phase = models.CharField(_("fase"), max_length=40, blank=True)
    progress_done = models.PositiveIntegerField(_("avance"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    #: ``{counts: {name: n}, resumed: bool, failure: "" | "invalid" | "interrupted" |
    #: "internal", detail: str}``: figures and reasons, put in words by the page.
    report = models.JSONField(_("informe"), default=dict, blank=True)
    result_file = models.CharField(_("archivo de resultado"), max_length=200, blank=True)
    #: How many times a worker took it (more than one: it was resumed after an interruption).
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    started_at = models.DateTimeField(_("inicio"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("trabajo")
        verbose_name_plural = _("trabajos")
        indexes = [models.Index(fields=["state", "lease_until"], name="jobs_claim_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.state})"

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

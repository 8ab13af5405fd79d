"""What an OCDS import leaves behind besides registered contracts and entries.

``ImportRun``: one row per distinct input (the SHA-256 of its files), so re-running the same
files finds the same run: a run killed midway is resumed and completed; a completed one is
left as it was. A fatal error in the input (truncated, wrong encoding, too large) is found
before the first write, so it leaves no run and no data at all.

``ImportedProcess``: every contracting process read, above or below the registration
threshold, with its compiled release (tender, bids, awards: what risk analytics reads) and
the issues its mapping met.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from besa.jsonfield import FastJSONField
from besa.registry.models import Contract


class RunStatus(models.TextChoices):
    #: Reading or writing; a run left in this state was interrupted and resumes when re-run.
    RUNNING = "running", _("En curso")
    #: Every process of the input was written (or found already written).
    COMPLETED = "completed", _("Terminada")


class ImportRun(models.Model):
    """One import of a set of files, identified by the SHA-256 of their contents."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(_("fuente"), max_length=30, default="ocds")
    sha256 = models.CharField(_("SHA-256 de la entrada"), max_length=64, unique=True)
    files = FastJSONField(_("archivos"), default=list)
    publisher = models.CharField(_("publicador"), max_length=100, blank=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=RunStatus, default=RunStatus.RUNNING
    )
    started_at = models.DateTimeField(_("inicio"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    #: Figures of the run that completed it: releases, processes, registered, entries,
    #: skipped, repaired, kept.
    counts = FastJSONField(_("conteos"), default=dict)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")

    def __str__(self) -> str:
        return f"{self.source} {self.sha256[:12]} ({self.status})"


class ImportedProcess(models.Model):
    """A contracting process as last imported, keyed by its (possibly repaired) ocid."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ocid = models.CharField(_("ocid"), max_length=200, unique=True)
    publisher = models.CharField(_("publicador"), max_length=100)
    #: SHA-256 of the canonical compiled release: equal means nothing to do on re-import.
    content_hash = models.CharField(_("huella del contenido"), max_length=64)
    compiled_release = FastJSONField(_("release compilado"))
    #: The issues met mapping this process (JSON of ``besa.interop.ocds.report.Issue``),
    #: repeated in the report of every import that reads it.
    issues = FastJSONField(_("incidencias"), default=list)
    contracts = models.ManyToManyField(
        Contract,
        blank=True,
        related_name="imported_processes",
        verbose_name=_("contratos registrados"),
    )
    run = models.ForeignKey(
        ImportRun,
        on_delete=models.PROTECT,
        related_name="processes",
        verbose_name=_("importación que lo escribió"),
    )

    class Meta:
        ordering = ["ocid"]
        verbose_name = _("proceso importado")
        verbose_name_plural = _("procesos importados")

    def __str__(self) -> str:
        return self.ocid

"""Stored risk results: each run, and every flag and score with the fence and population it
came from, so that a verdict stays explainable after the portfolio changes.

A run is never updated after it finished; a later run adds new rows. "The current ranking" is
the latest finished run of a kind whose scope covers what is asked (``RiskRunQuerySet``).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from besa.jsonfield import FastJSONField
from besa.registry.models import Supplier


class RunKind(models.TextChoices):
    #: ``besa risk``: execution flags, CRI and networks over registered contracts
    PORTFOLIO = "portfolio", _("Cartera registrada")
    #: the output of a Cardinal-compatible ``besa indicators`` run, with its fences
    INDICATORS = "indicators", _("Indicadores (Cardinal)")
    #: per-process rules over a set of imported OCDS processes, with their bidder network
    PROCESS = "process", _("Procesos importados")
    #: per-process rules on one imported process as it arrives (real time; not a population,
    #: so it never replaces a ``process`` run in the rankings)
    LIVE_PROCESS = "process_live", _("Proceso importado (tiempo real)")


class SubjectKind(models.TextChoices):
    #: a registered contract or an imported process, by ocid
    CONTRACT = "contract", _("Contrato")
    #: a buying institution, by its code (Cardinal's Buyer: its organisation id)
    BUYER = "buyer", _("Institución compradora")
    #: Cardinal's ProcuringEntity, by organisation id
    PROCURING_ENTITY = "procuring_entity", _("Unidad compradora")
    #: a supplier, by RFC (Cardinal's Tenderer: its organisation id)
    SUPPLIER = "supplier", _("Proveedor")


class RiskRunQuerySet(models.QuerySet["RiskRun"]):
    def latest_for(self, kind: str, institution: str = "") -> RiskRun | None:
        """The latest finished run of ``kind`` computed for exactly this institution scope
        ('' = the whole portfolio) over every period, or None. A run limited to a period
        (``besa risk --since/--until``) never stands for the portfolio."""
        return (
            self.filter(
                kind=kind,
                institution=institution,
                since__isnull=True,
                until__isnull=True,
                finished_at__isnull=False,
            )
            .order_by("-finished_at")
            .first()
        )


class RiskRun(models.Model):
    """One computation: its scope, its population and its parameters."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("tipo"), max_length=20, choices=RunKind)
    #: the institution code the run was limited to ('' = all)
    institution = models.CharField(_("institución"), max_length=20, blank=True)
    since = models.DateField(_("desde"), null=True, blank=True)
    until = models.DateField(_("hasta"), null=True, blank=True)
    #: the day flags were judged on (a delivery is late relative to it)
    as_of = models.DateField(_("fecha de corte"))
    #: how the population was chosen, in words and filters (shown with every result)
    population = FastJSONField(_("población"), default=dict)
    population_size = models.PositiveIntegerField(_("tamaño de la población"), default=0)
    parameters = FastJSONField(_("parámetros"), default=dict)
    started_at = models.DateTimeField(_("inicio"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)

    objects = RiskRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("cálculo de riesgo")
        verbose_name_plural = _("cálculos de riesgo")

    def __str__(self) -> str:
        return f"{self.kind} {self.institution or '*'} {self.as_of} ({self.population_size})"


class RiskResult(models.Model):
    """One indicator's verdict on one subject in one run, self-contained: the value, the
    evidence, the fence it was compared with, and the population that fence came from."""

    run = models.ForeignKey(RiskRun, on_delete=models.CASCADE, related_name="results")
    subject_kind = models.CharField(_("sujeto"), max_length=20, choices=SubjectKind)
    subject_id = models.CharField(_("identificador"), max_length=200)
    subject_label = models.CharField(_("nombre"), max_length=300, blank=True)
    #: institution code of the subject (contracts and buyers), for scoping and filtering
    institution = models.CharField(max_length=20, blank=True, db_index=True)
    #: signing date of a contract (None for aggregates), for period filters
    signed_on = models.DateField(null=True, blank=True)
    code = models.CharField(_("indicador"), max_length=20)
    #: 0–1, or None when not computable (never the same as 0)
    value = models.FloatField(_("valor"), null=True, blank=True)
    evidence = FastJSONField(_("evidencia"), default=dict)
    fence = FastJSONField(_("cerca"), null=True, blank=True)
    population = FastJSONField(_("población"), default=dict)
    population_size = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(_("calculado"))

    class Meta:
        ordering = ["run", "subject_kind", "subject_id", "code"]
        verbose_name = _("resultado de riesgo")
        verbose_name_plural = _("resultados de riesgo")
        indexes = [
            models.Index(fields=["run", "subject_kind", "code", "value"]),
            models.Index(fields=["subject_kind", "subject_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject_kind}:{self.subject_id} = {self.value}"


class Shareholder(models.Model):
    """A shareholder (accionista or socio) of a supplier, from its incorporation deed or
    the supplier's registration; used to link suppliers in networks."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="shareholders")
    name = models.CharField(_("nombre"), max_length=300)
    rfc = models.CharField(_("RFC"), max_length=13, blank=True)
    share_percent = models.DecimalField(
        _("participación (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("fuente"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("accionista")
        verbose_name_plural = _("accionistas")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "name"], name="shareholder_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.supplier_id})"

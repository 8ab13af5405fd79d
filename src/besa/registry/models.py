"""Registry models: institutions, buying units, users and roles, suppliers, contracts.

Role scoping of every query is defined once, on the querysets (``visible_to`` and
``writable_by``); views, the API and commands must go through them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from besa.exceptions import InvalidInput
from besa.registry import validation
from besa.registry.terms import check_contract


class GovernmentLevel(models.TextChoices):
    """Orden de gobierno, with CompraNet's codes."""

    #: Administración Pública Federal
    FEDERAL = "APF", _("Federal")
    #: Gobierno estatal (state bodies spending their own or federal funds)
    STATE = "GE", _("Estatal")
    #: Gobierno municipal
    MUNICIPAL = "GM", _("Municipal")


class InstitutionKind(models.TextChoices):
    #: Secretaría or other body of the centralised administration
    DEPENDENCIA = "dependencia", _("Dependencia")
    #: Organismo descentralizado, empresa de participación estatal or fideicomiso público
    ENTIDAD = "entidad", _("Entidad paraestatal")
    #: A state body (ente estatal)
    STATE_BODY = "ente_estatal", _("Ente estatal")
    #: A municipal body (ente municipal)
    MUNICIPAL_BODY = "ente_municipal", _("Ente municipal")


class Role(models.TextChoices):
    """What a signed-in person may do; citizens are anonymous and have no role row."""

    #: Central administrator (SFP/SABG or the state's control body): everything
    ADMIN = "admin", _("Administrador central")
    #: Coordinator: the UAF of one institution
    COORDINATOR = "coordinator", _("Coordinador (UAF)")
    #: Operator of one or more buying units
    OPERATOR = "operator", _("Operador (unidad compradora)")
    #: Oversight body (OIC, área fiscalizadora) over a set of institutions; reads, never writes
    OVERSIGHT = "oversight", _("Área fiscalizadora (OIC)")


class Institution(models.Model):
    """A dependencia, entidad, or state or municipal body that buys."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("siglas o clave"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=300)
    level = models.CharField(_("orden de gobierno"), max_length=3, choices=GovernmentLevel)
    kind = models.CharField(_("tipo"), max_length=20, choices=InstitutionKind)
    rfc = models.CharField(_("RFC"), max_length=13, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self) -> None:
        if self.rfc:
            self.rfc = _django_errors(lambda: validation.check_rfc(self.rfc, strict=True).rfc)


class BuyingUnitQuerySet(models.QuerySet["BuyingUnit"]):
    def visible_to(self, user: Any) -> BuyingUnitQuerySet:
        """Buying units whose contracts ``user`` may read."""
        return self.filter(_contract_scope(user, write=False, prefix=""))

    def writable_by(self, user: Any) -> BuyingUnitQuerySet:
        """Buying units whose contracts ``user`` may register and record facts for."""
        return self.filter(_contract_scope(user, write=True, prefix=""))


class BuyingUnit(models.Model):
    """A unidad compradora (UC): the office of an institution that runs procedures."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="buying_units"
    )
    code = models.CharField(_("clave de la UC"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=300)
    head = models.CharField(_("responsable de la UC"), max_length=200, blank=True)

    objects = BuyingUnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("unidad compradora")
        verbose_name_plural = _("unidades compradoras")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class User(AbstractUser):
    """A public servant with one role and the scope that role needs.

    - coordinator: ``institution``
    - operator: ``buying_units`` (one or more)
    - oversight: ``oversees`` (one or more institutions)
    - admin: no scope needed
    """

    role = models.CharField(_("rol"), max_length=20, choices=Role, default=Role.OPERATOR)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinators",
        verbose_name=_("institución (coordinador)"),
    )
    buying_units = models.ManyToManyField(
        BuyingUnit, blank=True, related_name="operators", verbose_name=_("unidades compradoras")
    )
    oversees = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="oversight_users",
        verbose_name=_("instituciones fiscalizadas"),
    )

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")

    @property
    def is_central_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)

    @property
    def is_overseer(self) -> bool:
        """Oversight staff or the central administrator: those who work audit cases, decide
        citizen reports and read the access log (each within ``oversight_scope``)."""
        return self.is_active and (self.is_central_admin or self.role == Role.OVERSIGHT)


class Supplier(models.Model):
    """A proveedor, identified by its RFC (generic RFCs for foreign suppliers are allowed)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    rfc = models.CharField(_("RFC"), max_length=13, db_index=True)
    name = models.CharField(_("razón social"), max_length=300)
    person_type = models.CharField(
        _("tipo de persona"),
        max_length=6,
        choices=[("moral", _("Moral")), ("fisica", _("Física"))],
    )
    country = models.CharField(_("país"), max_length=2, default="MX")
    foreign_tax_id = models.CharField(
        _("identificación fiscal extranjera"), max_length=40, blank=True
    )
    rfc_warning = models.CharField(_("advertencia del RFC"), max_length=100, blank=True)
    fiscal_address = models.CharField(_("domicilio fiscal"), max_length=300, blank=True)
    legal_representative = models.CharField(_("representante legal"), max_length=200, blank=True)
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("proveedor")
        verbose_name_plural = _("proveedores")
        constraints = [
            # The generic RFCs are shared by many foreign suppliers; every other RFC is one
            # taxpayer and so one supplier.
            models.UniqueConstraint(
                fields=["rfc"],
                condition=~Q(rfc__in=sorted(validation.GENERIC_RFCS)),
                name="supplier_rfc_unique_unless_generic",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.rfc})"

    def clean(self) -> None:
        def check() -> validation.RFCCheck:
            return validation.check_rfc(self.rfc, strict=self._state.adding)

        result = _django_errors(check)
        self.rfc, self.person_type = result.rfc, result.person_type


class ProcedureType(models.TextChoices):
    """Tipo de procedimiento (LAASSP 2000 and 2025)."""

    #: Licitación pública
    OPEN_TENDER = "licitacion_publica", _("Licitación pública")
    #: Invitación a cuando menos tres personas
    INVITATION = "invitacion_tres", _("Invitación a cuando menos tres personas")
    #: Adjudicación directa
    DIRECT_AWARD = "adjudicacion_directa", _("Adjudicación directa")
    #: Subasta inversa (LAASSP 2025)
    REVERSE_AUCTION = "subasta_inversa", _("Subasta inversa")
    #: Diálogo competitivo (LAASSP 2025)
    COMPETITIVE_DIALOGUE = "dialogo_competitivo", _("Diálogo competitivo")
    #: Adjudicación directa con estrategia de negociación (LAASSP 2025)
    NEGOTIATED_DIRECT_AWARD = "adjudicacion_negociacion", _("Adjudicación directa con negociación")


class Character(models.TextChoices):
    NATIONAL = "nacional", _("Nacional")
    INTERNATIONAL = "internacional", _("Internacional abierta")
    TREATIES = "tratados", _("Internacional bajo tratados")


class ContractingType(models.TextChoices):
    GOODS = "adquisicion", _("Adquisición")
    LEASE = "arrendamiento", _("Arrendamiento")
    SERVICES = "servicio", _("Servicio")


class ContractQuerySet(models.QuerySet["Contract"]):
    """Named, scoped queries over contracts."""

    def visible_to(self, user: Any) -> ContractQuerySet:
        """Contracts ``user`` may read.

        Operator: its buying units'. Coordinator: its institution's. Oversight: its
        institutions'. Admin: all. Anonymous citizens: every registered contract, through the
        public portal's public fields only (contract data is public under transparency law).
        """
        if user is None or not user.is_authenticated:
            return self.all()
        return self.filter(_contract_scope(user, write=False, prefix="buying_unit__"))

    def writable_by(self, user: Any) -> ContractQuerySet:
        """Contracts whose facts ``user`` may record: operators and coordinators in scope,
        and the administrator. Oversight bodies and citizens never write contract data."""
        return self.filter(_contract_scope(user, write=True, prefix="buying_unit__"))

    def search(self, query: str) -> ContractQuerySet:
        """The contract list's search (``/contratos/`` and its export): ``query`` in the
        number, title, ocid or a supplier's name, or a supplier's exact RFC. An empty query
        finds everything."""
        if not query:
            return self
        return self.filter(
            Q(number__icontains=query)
            | Q(title__icontains=query)
            | Q(ocid__icontains=query)
            | Q(suppliers__name__icontains=query)
            | Q(suppliers__rfc__iexact=query)
        ).distinct()


def _contract_scope(user: Any, *, write: bool, prefix: str) -> Q:
    """The one definition of role scope, as a filter on buying units (``prefix`` reaches the
    buying unit from the queried model). Unknown, inactive or anonymous users get nothing."""
    nothing = Q(pk__in=[])
    if user is None or not user.is_authenticated or not user.is_active:
        return nothing
    if user.is_central_admin:
        return Q()
    if user.role == Role.OPERATOR:
        return Q(**{f"{prefix}operators": user})
    if user.role == Role.COORDINATOR and user.institution_id:
        return Q(**{f"{prefix}institution_id": user.institution_id})
    if user.role == Role.OVERSIGHT and not write:
        return Q(**{f"{prefix}institution__oversight_users": user})
    return nothing


def oversight_scope(user: Any, institution: str = "institution") -> Q:
    """The one definition of oversight's reach, as a filter on a model whose ``institution``
    field (or the path given; ``""``: the model is ``Institution``) is the institution
    concerned: everything for the central
    administrator, the institutions it oversees for oversight staff, nothing for anyone else
    (operators, coordinators, anonymous or inactive users)."""
    if user is None or not user.is_authenticated or not user.is_overseer:
        return Q(pk__in=[])
    if user.is_central_admin:
        return Q()
    return Q(**{f"{institution}__oversight_users" if institution else "oversight_users": user})


class Contract(models.Model):
    """A registered procurement contract (domain.md §3.3 A).

    The registry holds what identifies the contract and its signed terms; every later fact
    (guarantees, deliveries, invoices, payments, amendments…) lives in the logbook. The row is
    the projection of the registration entry as rectified (``besa.logbook.projection``):
    written only by ``append()`` and ``besa rebuild``, and checked by ``besa verify``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ocid = models.CharField(_("ocid"), max_length=100, unique=True)
    number = models.CharField(_("número de contrato"), max_length=100)
    compranet_code = models.CharField(_("código CompraNet/ComprasMX"), max_length=60, blank=True)
    procedure_number = models.CharField(_("número de procedimiento"), max_length=100, blank=True)
    buying_unit = models.ForeignKey(
        BuyingUnit,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("unidad compradora"),
    )
    suppliers: models.ManyToManyField[Supplier, ContractSupplier] = models.ManyToManyField(
        Supplier,
        through="ContractSupplier",
        related_name="contracts",
        verbose_name=_("proveedores"),
    )
    title = models.CharField(_("título"), max_length=500)
    description = models.TextField(_("descripción"), blank=True)
    contracting_type = models.CharField(
        _("tipo de contratación"), max_length=20, choices=ContractingType
    )
    procedure_type = models.CharField(
        _("tipo de procedimiento"), max_length=30, choices=ProcedureType
    )
    character = models.CharField(
        _("carácter"), max_length=20, choices=Character, default=Character.NATIONAL
    )
    legal_basis = models.CharField(_("fundamento legal"), max_length=200, blank=True)
    exception_justification = models.TextField(_("dictamen de excepción"), blank=True)
    regime = models.CharField(_("marco normativo"), max_length=30)
    award_date = models.DateField(_("fecha de fallo"), null=True, blank=True)
    signing_date = models.DateField(_("fecha de firma"))
    start_date = models.DateField(_("inicio de vigencia"))
    end_date = models.DateField(_("fin de vigencia"))
    amount = models.DecimalField(_("importe sin IVA"), max_digits=18, decimal_places=2)
    vat_amount = models.DecimalField(
        _("IVA"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("moneda"), max_length=3, default="MXN")
    exchange_rate = models.DecimalField(
        _("tipo de cambio"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    is_open = models.BooleanField(_("contrato abierto"), default=False)
    min_amount = models.DecimalField(
        _("importe mínimo"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    max_amount = models.DecimalField(
        _("importe máximo"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    multiyear = models.BooleanField(_("plurianual"), default=False)
    advance_percent = models.DecimalField(
        _("anticipo (%)"), max_digits=5, decimal_places=2, default=0
    )
    guarantee_percent = models.DecimalField(
        _("garantía de cumplimiento (%)"), max_digits=5, decimal_places=2, default=10
    )
    penalty_rate_percent = models.DecimalField(
        _("pena convencional diaria (%)"), max_digits=5, decimal_places=2, default=0
    )
    registered_at = models.DateTimeField(_("registrado"), auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-signing_date", "number"]
        verbose_name = _("contrato")
        verbose_name_plural = _("contratos")
        indexes = [
            models.Index(fields=["buying_unit", "signing_date"]),
            # The citizens' portal (besa.portal.search): its default order and date range,
            # and its amount range, over every institution at once.
            models.Index(fields=["signing_date", "ocid"], name="contract_signing_ocid"),
            models.Index(fields=["amount"], name="contract_amount"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="contract_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title[:60]}"

    @property
    def amount_mxn(self) -> Any:
        """The amount without VAT in the jurisdiction's currency (original × exchange rate)."""
        return self.amount * (self.exchange_rate or 1)

    def clean(self) -> None:
        _django_errors(lambda: check_contract(self))


class ContractSupplier(models.Model):
    """A supplier of a contract; several for a joint proposal (proposición conjunta)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT)
    share_percent = models.DecimalField(
        _("participación (%)"), max_digits=5, decimal_places=2, default=100
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "supplier"], name="contract_supplier_once")
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.share_percent} % of {self.contract_id}"


def _django_errors(check: Any) -> Any:
    """Run a domain check and turn ``InvalidInput`` into Django's field-keyed error."""
    try:
        return check()
    except InvalidInput as exc:
        raise ValidationError({exc.field: exc.message}) from exc


class ListName(models.TextChoices):
    #: SAT list of taxpayers under art. 69-B CFF (presumed issuers of simulated invoices)
    SAT_69B = "sat_69b", _("SAT 69-B")
    #: SAT list under art. 69 CFF (no localizados, firm debts…), as written by the demo and
    #: before the art. 69 importer; the importer writes one list per SAT file (below), since
    #: SAT publishes and refreshes each file on its own day.
    SAT_69 = "sat_69", _("SAT 69")
    #: Art. 69 CFF: créditos fiscales firmes (Firmes.csv)
    SAT_69_FIRMES = "sat_69_firmes", _("SAT 69: créditos firmes")
    #: Art. 69 CFF: contribuyentes no localizados (No_localizados.csv)
    SAT_69_NO_LOCALIZADOS = "sat_69_no_localizados", _("SAT 69: no localizados")
    #: Art. 69 CFF: créditos exigibles no pagados ni garantizados (Exigibles.csv)
    SAT_69_EXIGIBLES = "sat_69_exigibles", _("SAT 69: créditos exigibles")
    #: Art. 69 CFF: créditos cancelados (Cancelados.csv)
    SAT_69_CANCELADOS = "sat_69_cancelados", _("SAT 69: créditos cancelados")
    #: Art. 69 CFF: sentencias condenatorias por delito fiscal (Sentencias.csv)
    SAT_69_SENTENCIAS = "sat_69_sentencias", _("SAT 69: sentencias condenatorias")
    #: Art. 69 CFF: entes públicos y de gobierno omisos (EntespublicosydeGobiernoomisos.csv)
    SAT_69_ENTES_OMISOS = "sat_69_entes_omisos", _("SAT 69: entes públicos omisos")
    #: Art. 69 CFF: certificados de sello digital sin efectos (CSDsinefectos.csv)
    SAT_69_CSD = "sat_69_csd", _("SAT 69: CSD sin efectos")
    #: Directorio de Proveedores y Contratistas Sancionados (SFP/SABG)
    SANCTIONS = "sanctions", _("Proveedores sancionados")


class Listing(models.Model):
    """A supplier's entry on a SAT or sanctions list, as of one list snapshot.

    Alert rules A16 and A18 read these (``screening_for``); the list importers write them.
    """

    rfc = models.CharField(_("RFC"), max_length=13, db_index=True)
    name = models.CharField(_("nombre"), max_length=300, blank=True)
    list = models.CharField(_("lista"), max_length=30, choices=ListName)
    status = models.CharField(_("situación"), max_length=40, blank=True)
    published = models.DateField(_("publicación"), null=True, blank=True)
    start = models.DateField(_("inicio"), null=True, blank=True)
    end = models.DateField(_("fin"), null=True, blank=True)
    source = models.CharField(_("fuente"), max_length=200)
    snapshot_date = models.DateField(_("fecha de la lista"))
    #: The import that brought the row; empty for rows written directly (the demo).
    snapshot = models.ForeignKey(
        "ListSnapshot",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("versión de lista"),
    )
    #: What identifies the entry across snapshots: the RFC on SAT lists; a digest of the
    #: name, institution and case file in the sanctions directory (which has no RFC).
    key = models.CharField(_("clave"), max_length=64, blank=True, db_index=True)
    #: The sanctioned party's name normalised for matching (``besa.interop.lists.names``).
    name_key = models.CharField(_("nombre normalizado"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("inscripción en lista")
        verbose_name_plural = _("inscripciones en listas")
        indexes = [models.Index(fields=["list", "snapshot_date"])]

    def __str__(self) -> str:
        return f"{self.rfc} {self.list} {self.status}"

    def as_screening(self) -> dict[str, Any]:
        """The form rules read (``besa.rules.base.Context.screening``)."""
        return {
            "list": self.list,
            "status": self.status,
            "name": self.name,
            "published": self.published.isoformat() if self.published else None,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "source": self.source,
            "snapshot_date": self.snapshot_date.isoformat(),
        }


class ListSnapshot(models.Model):
    """One imported file of a SAT or sanctions list: the list as published on one date.

    Snapshots are kept (never replaced), so the history of who was listed when can be
    reconstructed; rules read only the newest snapshot of each list. ``sha256`` identifies the
    file: importing the same file again is a no-op. ``rescreened_at`` is set once the
    contracts affected by the snapshot have been re-evaluated (``besa.interop.lists.rescreen``);
    it stays empty if that step was interrupted, and importing the same file again finishes it.
    """

    id = models.BigAutoField(primary_key=True)
    list = models.CharField(_("lista"), max_length=30, choices=ListName)
    snapshot_date = models.DateField(_("fecha de la lista"))
    sha256 = models.CharField(_("SHA-256 del archivo"), max_length=64)
    file_name = models.CharField(_("archivo"), max_length=300, blank=True)
    row_count = models.PositiveIntegerField(_("renglones"))
    skipped_count = models.PositiveIntegerField(_("renglones omitidos"), default=0)
    imported_at = models.DateTimeField(_("importada"))
    rescreened_at = models.DateTimeField(_("re-evaluación"), null=True, blank=True)

    class Meta:
        ordering = ["list", "-snapshot_date"]
        verbose_name = _("versión de lista")
        verbose_name_plural = _("versiones de listas")
        constraints = [
            models.UniqueConstraint(fields=["list", "sha256"], name="list_snapshot_file_once"),
            models.UniqueConstraint(
                fields=["list", "snapshot_date"], name="list_snapshot_one_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list} {self.snapshot_date} ({self.row_count})"


class MatchMethod(models.TextChoices):
    #: The sanctions row carries the supplier's RFC: counts at once
    RFC = "rfc", _("RFC")
    #: Similar normalised names: counts only once confirmed by a person
    NAME = "name", _("Nombre")


class MatchStatus(models.TextChoices):
    #: Waiting for a coordinator or administrator to decide
    PENDING = "pending", _("Pendiente")
    #: The sanctioned party is this supplier (RFC matches are confirmed on creation)
    CONFIRMED = "confirmed", _("Confirmada")
    #: A different party with a similar name
    REJECTED = "rejected", _("Rechazada")


class SanctionMatchQuerySet(models.QuerySet["SanctionMatch"]):
    def counting(self) -> SanctionMatchQuerySet:
        """Matches that make the sanction count as the supplier's (rule A18)."""
        return self.filter(status=MatchStatus.CONFIRMED)


class SanctionMatch(models.Model):
    """A candidate link between a supplier and an entry of the sanctioned suppliers directory.

    ``listing_key`` is the entry's stable key (``Listing.key``), so a decision made once holds
    for the same entry in later snapshots; ``listing`` is the row seen when the match was made.
    """

    id = models.BigAutoField(primary_key=True)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="sanction_matches"
    )
    listing = models.ForeignKey(
        "Listing", on_delete=models.PROTECT, related_name="matches", verbose_name=_("inscripción")
    )
    listing_key = models.CharField(_("clave de la inscripción"), max_length=64, db_index=True)
    name_on_list = models.CharField(_("nombre en la lista"), max_length=300)
    method = models.CharField(_("método"), max_length=4, choices=MatchMethod)
    confidence = models.PositiveSmallIntegerField(_("confianza (0–100)"))
    status = models.CharField(
        _("estado"), max_length=10, choices=MatchStatus, default=MatchStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decidida"), null=True, blank=True)
    created_at = models.DateTimeField(_("creada"))

    objects = SanctionMatchQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-confidence", "id"]
        verbose_name = _("coincidencia con sancionado")
        verbose_name_plural = _("coincidencias con sancionados")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "listing_key"], name="sanction_match_once_per_entry"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.supplier_id} ~ {self.name_on_list} ({self.confidence})"


class OpinionSource(models.TextChoices):
    #: SAT opinion of compliance with tax obligations (CFF art. 32-D)
    SAT_32D = "sat_32d", _("SAT 32-D")
    #: IMSS opinion of compliance with social security obligations
    IMSS = "imss", _("IMSS")
    #: INFONAVIT opinion of compliance with housing contributions
    INFONAVIT = "infonavit", _("INFONAVIT")


class OpinionResult(models.TextChoices):
    POSITIVE = "positive", _("Positiva")
    NEGATIVE = "negative", _("Negativa")


class ComplianceOpinion(models.Model):
    """A compliance opinion recorded on the supplier (not on one contract).

    Rule A17 reads them for a supplier whose registration entry carries no opinion of its
    own (``besa.alerts.evaluation``). ``folio`` identifies the opinion: one row per
    (supplier, source, folio), so importing the same file twice changes nothing.
    """

    id = models.BigAutoField(primary_key=True)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="compliance_opinions"
    )
    source = models.CharField(_("emisor"), max_length=10, choices=OpinionSource)
    result = models.CharField(_("sentido"), max_length=10, choices=OpinionResult)
    issued_on = models.DateField(_("fecha de emisión"))
    valid_until = models.DateField(_("vigente hasta"), null=True, blank=True)
    folio = models.CharField(_("folio"), max_length=60)
    recorded_at = models.DateTimeField(_("registrada"))

    class Meta:
        ordering = ["supplier", "source", "-issued_on"]
        verbose_name = _("opinión de cumplimiento")
        verbose_name_plural = _("opiniones de cumplimiento")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "source", "folio"], name="compliance_opinion_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.source} {self.result} {self.issued_on}"

    def as_opinion(self) -> dict[str, Any]:
        """The form rule A17 reads (like a registration entry's ``compliance`` item)."""
        opinion: dict[str, Any] = {
            "source": self.source,
            "date": self.issued_on.isoformat(),
            "result": self.result,
            "folio": self.folio,
            "supplier_rfc": self.supplier.rfc,
        }
        if self.valid_until:
            opinion["valid_until"] = self.valid_until.isoformat()
        return opinion


# --- rule inputs that are not contract facts (A24, A21) -------------------------------------


class InstitutionBudget(models.Model):
    """An institution's annual acquisitions budget for one fiscal year (presupuesto autorizado
    para adquisiciones, arrendamientos y servicios), in the jurisdiction's currency.

    Rule A24 reads it twice: it places the institution in a bracket of the PEF annex
    (``PefLimit``) and it bounds the share of art. 42 awards (``direct_award_budget_cap_
    percent``). One row per (institution, year): a later import or API call replaces the
    amount, keeping who set it and from where.
    """

    id = models.BigAutoField(primary_key=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("institución")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("ejercicio fiscal"))
    amount = models.DecimalField(
        _("presupuesto anual de adquisiciones"), max_digits=18, decimal_places=2
    )
    source = models.CharField(_("fuente"), max_length=300)
    recorded_at = models.DateTimeField(_("registrado"))

    class Meta:
        ordering = ["institution", "-fiscal_year"]
        verbose_name = _("presupuesto anual de adquisiciones")
        verbose_name_plural = _("presupuestos anuales de adquisiciones")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "fiscal_year"], name="institution_budget_once_a_year"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="institution_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.fiscal_year}: {self.amount}"


class PefLimit(models.Model):
    """One bracket of the annual federal budget decree's (PEF) annex of maximum amounts.

    An institution whose annual acquisitions budget is above ``budget_above`` and at most
    ``budget_up_to`` (no upper bound when empty) may award each operation directly up to
    ``direct_award_max`` and by invitation to at least three persons up to
    ``invitation_max``; amounts without VAT, in pesos (the annex writes thousands; the
    importer multiplies). Rule A24 reads the bracket of the contract's institution and year.
    """

    id = models.BigAutoField(primary_key=True)
    fiscal_year = models.PositiveSmallIntegerField(_("ejercicio fiscal"))
    budget_above = models.DecimalField(_("presupuesto mayor de"), max_digits=18, decimal_places=2)
    budget_up_to = models.DecimalField(
        _("presupuesto hasta"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    direct_award_max = models.DecimalField(
        _("máximo por adjudicación directa"), max_digits=18, decimal_places=2
    )
    invitation_max = models.DecimalField(
        _("máximo por invitación a tres"), max_digits=18, decimal_places=2
    )
    source = models.CharField(_("fuente"), max_length=300)
    recorded_at = models.DateTimeField(_("registrado"))

    class Meta:
        ordering = ["-fiscal_year", "budget_above"]
        verbose_name = _("límite del PEF")
        verbose_name_plural = _("límites del PEF")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "budget_above"], name="pef_limit_one_bracket"
            )
        ]

    def __str__(self) -> str:
        return f"PEF {self.fiscal_year} > {self.budget_above}"


class PriorRescission(models.Model):
    """A supplier's contract rescinded before BESA kept its logbook (imported from a file or
    recorded over the API). Rule A21 counts it with the rescissions in the logbook when it
    looks for a supplier's second rescission within two years (LAASSP arts. 50 fr. III, 60).

    One row per (RFC, institution, contract number): importing the same file again changes
    nothing.
    """

    id = models.BigAutoField(primary_key=True)
    rfc = models.CharField(_("RFC"), max_length=13, db_index=True)
    supplier_name = models.CharField(_("proveedor"), max_length=300, blank=True)
    institution_code = models.CharField(_("institución"), max_length=20)
    contract_number = models.CharField(_("número de contrato"), max_length=100)
    rescinded_on = models.DateField(_("fecha de la resolución de rescisión"))
    notice_on = models.DateField(_("fecha de la notificación"), null=True, blank=True)
    source = models.CharField(_("fuente"), max_length=300)
    recorded_at = models.DateTimeField(_("registrado"))

    class Meta:
        ordering = ["rfc", "-rescinded_on"]
        verbose_name = _("rescisión anterior")
        verbose_name_plural = _("rescisiones anteriores")
        constraints = [
            models.UniqueConstraint(
                fields=["rfc", "institution_code", "contract_number"],
                name="prior_rescission_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rfc} {self.contract_number} {self.rescinded_on}"

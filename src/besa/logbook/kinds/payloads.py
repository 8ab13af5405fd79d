"""The shape of each entry kind's payload (domain.md §3.3, records C–N).

These models check types, required fields, codes and single-field ranges only (a date's
window too: ``Day`` for facts that already happened, ``ScheduledDay`` for planned ones). Rules
that relate two fields, or a field to the contract's state (dates in order, RFCs that must match,
ids that must exist), live in ``besa.logbook.kinds.checks``. Optional fields default to
``None`` and are left out of the normalised payload; fields with a real default (``action``,
the withholdings of a payment) are always written out.

Codes are the registry's (``besa.registry.models`` choices), repeated here because this module
imports no Django; a test keeps the two in step.

Each field carries a ``title`` and, where the law matters, a ``description`` (a hint): the one
definition from which the API schema (OpenAPI), the web forms (``besa.web.forms``) and the
timeline's words are made. They are Spanish, marked with ``_`` for ``makemessages`` and
translated where they are shown (this module imports no Django, so ``_`` only marks them).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import StrictBool

from besa.logbook.kinds.audit import AUDIT_MODELS
from besa.logbook.kinds.fields import (
    RFC,
    Amount,
    CfdiUUID,
    Currency,
    Day,
    EntryId,
    LocalId,
    LongText,
    MediaType,
    NonNegativeAmount,
    Payload,
    Percent,
    PositivePercent,
    ScheduledDay,
    Sha256,
    SignedAmount,
    Text,
    Token,
    _,
    about,
    scheduled_fields,
)

ProcedureType = Literal[
    "licitacion_publica",
    "invitacion_tres",
    "adjudicacion_directa",
    "subasta_inversa",
    "dialogo_competitivo",
    "adjudicacion_negociacion",
]
ContractingType = Literal["adquisicion", "arrendamiento", "servicio"]
Character = Literal["nacional", "internacional", "tratados"]
GovernmentLevel = Literal["APF", "GE", "GM"]
#: Guarantee types (what the guarantee covers): cumplimiento, anticipo, calidad/vicios ocultos.
GuaranteeType = Literal["performance", "advance", "quality"]
GuaranteeAction = Literal["new", "extension", "release", "enforcement", "exemption"]
Instrument = Literal["surety_bond", "letter_of_credit", "certified_check", "deposit"]
DeliveryResult = Literal["accepted", "rejected", "partial", "deficient"]
#: A CFDI's status at the SAT (``besa.interop.cfdi.status``): its three answers, or
#: ``desconocido`` when a check got no usable answer.
SatStatus = Literal["vigente", "cancelado", "no_encontrado", "desconocido"]


# --- registration and budget (records A, B, C) --------------------------------------------


class ContractTerms(Payload):
    """The signed terms of the contract (record A). Amounts are without VAT."""

    number: Text = about(_("Número de contrato"))
    title: Text = about(_("Título"), _("Lo que se adquiere, en pocas palabras."))
    description: LongText | None = about(_("Descripción"), default=None)
    procedure_type: ProcedureType = about(
        _("Tipo de procedimiento"),
        _(
            "Licitación pública, invitación a cuando menos tres personas o adjudicación directa "
            "(LAASSP art. 26)."
        ),
    )
    procedure_number: Text | None = about(_("Número de procedimiento"), default=None)
    compranet_code: Text | None = about(_("Código CompraNet/ComprasMX"), default=None)
    contracting_type: ContractingType = about(_("Tipo de contratación"))
    character: Character = about(_("Carácter del procedimiento"))
    legal_basis: Text | None = about(
        _("Fundamento legal"),
        _(
            "Artículo de la ley que sustenta el procedimiento; obligatorio para una excepción a "
            "la licitación."
        ),
        default=None,
    )
    exception_justification: LongText | None = about(
        _("Dictamen de excepción"),
        _("Motivación de la excepción a la licitación pública (LAASSP art. 40)."),
        default=None,
    )
    regime: Text = about(
        _("Marco normativo"),
        _("Ley aplicable según la fecha de firma; se deduce de ella si se deja vacío."),
    )
    award_date: Day | None = about(_("Fecha del fallo"), default=None)
    signing_date: Day = about(
        _("Fecha de firma"),
        _(
            "Los contratos se registran en la bitácora dentro del plazo que fija la normativa a "
            "partir de esta fecha."
        ),
    )
    start_date: ScheduledDay = about(_("Inicio de vigencia"))
    end_date: ScheduledDay = about(_("Fin de vigencia"))
    amount: Amount = about(_("Importe sin IVA"), _("En la moneda del contrato."))
    vat_amount: NonNegativeAmount | None = about(_("IVA"), default=None)
    currency: Currency = about(_("Moneda"), _("Código ISO 4217, p. ej. MXN, USD o EUR."))
    exchange_rate: Amount | None = about(
        _("Tipo de cambio"),
        _("Pesos por unidad de la moneda del contrato; obligatorio si no es MXN."),
        default=None,
    )
    is_open: StrictBool = about(
        _("Contrato abierto"), _("Con importe mínimo y máximo (LAASSP art. 47)."), default=False
    )
    min_amount: Amount | None = about(
        _("Importe mínimo"),
        _("Para un contrato abierto: al menos el 40 % del máximo."),
        default=None,
    )
    max_amount: Amount | None = about(_("Importe máximo"), default=None)
    multiyear: StrictBool = about(_("Plurianual"), default=False)
    advance_percent: Percent = about(_("Anticipo (%)"), default=Decimal(0))
    guarantee_percent: Percent = about(
        _("Garantía de cumplimiento (%)"),
        _("Porcentaje del importe sin IVA que cubre la fianza de cumplimiento (LAASSP art. 48)."),
    )
    penalty_rate_percent: Percent = about(
        _("Pena convencional diaria (%)"),
        _("Porcentaje diario sobre lo entregado con atraso (LAASSP art. 53)."),
    )
    #: For an exception to public tender by amount (old art. 42): the PEF annex's maximum for
    #: the procedure used, for the buyer's budget band and fiscal year, in the home currency
    #: without VAT (alert A24). Left out for an exception by cause (old art. 41).
    pef_max_amount: Amount | None = about(
        _("Monto máximo del PEF"),
        _(
            "Para una excepción por monto: el máximo del anexo del PEF para el procedimiento "
            "usado, en pesos sin IVA."
        ),
        default=None,
    )
    #: The budget set for the procedure, without VAT, in the contract's currency (A25).
    procedure_budget: Amount | None = about(_("Presupuesto del procedimiento"), default=None)
    #: The prices the market research (investigación de mercado) found: one per source or
    #: quotation, each for the whole of the contracted goods and quantities, without VAT, in the
    #: contract's currency. A25 compares the amount with their median (precio no aceptable) and,
    #: unless ``market_average_amount`` is given, with their average (precio no conveniente).
    market_research_prices: list[Amount] | None = about(
        _("Precios de la investigación de mercado"),
        _(
            "Un precio por fuente o cotización, cada uno por el total de lo contratado, sin IVA, "
            "en la moneda del contrato. Se compara el importe con su mediana y su promedio."
        ),
        default=None,
        min_length=1,
        max_length=100,
    )
    #: The median of the market research's prices for the contracted goods and quantities,
    #: without VAT, in the contract's currency (A25: precio no aceptable). When
    #: ``market_research_prices`` are given it may be left out; if given, it must be their
    #: median (``checks``).
    market_median_amount: Amount | None = about(
        _("Mediana de la investigación de mercado"),
        _("Puede omitirse si se dan los precios; si se da, debe ser su mediana."),
        default=None,
    )
    #: The average of the prices of the technically accepted proposals (or, lacking them, of
    #: the market research), same basis (A25: precio no conveniente).
    market_average_amount: Amount | None = about(_("Promedio de precios aceptados"), default=None)


class Buyer(Payload):
    """The buying institution and its buying unit (unidad compradora)."""

    institution_code: Text = about(_("Clave de la institución"))
    institution_name: Text = about(_("Institución"))
    institution_rfc: RFC = about(_("RFC de la institución"))
    buying_unit_code: Text = about(_("Clave de la unidad compradora"))
    buying_unit_name: Text = about(_("Unidad compradora"))
    level: GovernmentLevel = about(_("Orden de gobierno"))


class SupplierShare(Payload):
    """One supplier of the contract and its share of a joint proposal, in percent."""

    rfc: RFC = about(
        _("RFC del proveedor"),
        _("12 caracteres para una persona moral, 13 para una persona física."),
    )
    name: Text = about(_("Nombre o razón social"))
    share_percent: PositivePercent = about(
        _("Participación (%)"),
        _(
            "En una propuesta conjunta, la parte de cada proveedor; las participaciones suman "
            "100 %."
        ),
    )


class ComplianceOpinion(Payload):
    """A compliance opinion (SAT 32-D, IMSS, INFONAVIT) seen at award or signing.

    ``supplier_rfc`` may be left out when the contract has a single supplier.
    """

    source: Literal["sat_32d", "imss", "infonavit"] = about(_("Emisor de la opinión"))
    date: Day = about(_("Fecha de emisión"))
    result: Literal["positive", "negative"] = about(_("Sentido"))
    folio: Text | None = about(_("Folio"), default=None)
    valid_until: ScheduledDay | None = about(_("Vigente hasta"), default=None)
    supplier_rfc: RFC | None = about(
        _("RFC del proveedor"),
        _("Puede omitirse si el contrato tiene un solo proveedor."),
        default=None,
    )


class MultiyearAuthorization(Payload):
    """SHCP's authorisation of a multiyear commitment."""

    oficio_number: Text = about(_("Número de oficio de la SHCP"))
    date: Day = about(_("Fecha del oficio"))


class BudgetSufficiency(Payload):
    """Record C: the budget sufficiency (suficiencia presupuestaria) behind the contract."""

    oficio_number: Text = about(_("Número de oficio"))
    date: Day = about(_("Fecha del oficio"))
    amount: Amount = about(_("Importe"))
    fiscal_year: int = about(_("Ejercicio fiscal"), ge=2000, le=2100, strict=True)
    budget_key: Text = about(_("Clave presupuestaria"))
    expense_item: Text | None = about(_("Partida de gasto"), default=None)
    commitment_folio: Text | None = about(_("Folio del compromiso"), default=None)
    multiyear_authorization: MultiyearAuthorization | None = about(
        _("Autorización plurianual"),
        _("Solo para compromisos plurianuales (LFPRH art. 50)."),
        default=None,
    )


class Registration(Payload):
    """The first entry of every contract: its terms, parties and opening evidence."""

    contract: ContractTerms = about(_("Términos del contrato"))
    buyer: Buyer = about(_("Comprador"))
    suppliers: list[SupplierShare] = about(_("Proveedores"), min_length=1)
    home_currency: Currency = about(_("Moneda nacional"))
    compliance: list[ComplianceOpinion] = about(
        _("Opiniones de cumplimiento"),
        _("Opiniones del SAT (32-D), IMSS e INFONAVIT vistas al adjudicar o firmar."),
        default_factory=list,
    )
    budget_sufficiency: BudgetSufficiency | None = about(
        _("Suficiencia presupuestaria"), default=None
    )


# --- guarantees and deliverables (records D, E) --------------------------------------------


class Guarantee(Payload):
    """Record D: one action on a guarantee, identified by the client-chosen ``guarantee_id``.

    ``date_received`` is when the action took effect at the entity: the instrument (or its
    endorsement) was received, the release letter issued, enforcement requested, or the
    exemption authorised. ``amount`` is the guarantee's total after the action (for an
    enforcement, the amount enforced). ``currency`` defaults to the contract's.
    """

    guarantee_id: LocalId = about(
        _("Identificador de la garantía"),
        _("Elegido por usted; úselo de nuevo para endosar, ampliar o liberar la misma garantía."),
    )
    type: GuaranteeType = about(_("Qué garantiza"))
    action: GuaranteeAction = about(_("Acción"), default="new")
    instrument: Instrument | None = about(_("Instrumento"), default=None)
    issuer: Text | None = about(_("Emisor (afianzadora o banco)"), default=None)
    issuer_rfc: RFC | None = about(_("RFC del emisor"), default=None)
    policy_number: Text | None = about(_("Número de póliza"), default=None)
    amount: Amount | None = about(
        _("Importe garantizado"),
        _("Total de la garantía después de esta acción; en una ejecución, lo ejecutado."),
        default=None,
    )
    currency: Currency | None = about(_("Moneda"), _("Si se omite, la del contrato."), default=None)
    percent: PositivePercent | None = about(_("Porcentaje del contrato"), default=None)
    beneficiary: Text | None = about(_("Beneficiario"), default=None)
    date_received: Day = about(
        _("Fecha de recepción"),
        _(
            "Cuando la acción surtió efecto: se recibió la póliza o el endoso, se emitió la "
            "liberación o se autorizó la excepción. La fianza de cumplimiento se entrega a más "
            "tardar 10 días naturales después de la firma (LAASSP art. 48)."
        ),
    )
    valid_from: ScheduledDay | None = about(_("Vigente desde"), default=None)
    valid_until: ScheduledDay | None = about(_("Vigente hasta"), default=None)
    legal_basis: Text | None = about(
        _("Fundamento legal"),
        _("Para una excepción de garantía, el artículo que la permite."),
        default=None,
    )
    amendment_id: LocalId | None = about(
        _("Convenio que la motiva"),
        _("Identificador del convenio modificatorio, para un endoso."),
        default=None,
    )


class Deliverable(Payload):
    """One planned deliverable or milestone (entregable); amounts are without VAT.

    ``amount`` left out: unknown (an imported OCDS 1.1 milestone has no value). The rules
    that need it then say "not judgeable: amount unknown" (the state's ``data_gaps``).
    """

    deliverable_id: LocalId = about(_("Identificador del entregable"))
    description: LongText = about(_("Descripción"))
    quantity: Amount = about(_("Cantidad"))
    unit: Text | None = about(_("Unidad de medida"), default=None)
    unit_price: Amount | None = about(_("Precio unitario"), default=None)
    amount: Amount | None = about(_("Importe sin IVA"), default=None)
    due_date: ScheduledDay = about(_("Fecha límite de entrega"))
    place: Text | None = about(_("Lugar de entrega"), default=None)


class DeliverableSchedule(Payload):
    """Record E (plan): deliverables with due dates. Naming a known id re-plans it."""

    deliverables: list[Deliverable] = about(
        _("Entregables"),
        _("Un entregable ya registrado con el mismo identificador se reprograma."),
        min_length=1,
    )


class Delivery(Payload):
    """Record E (reception): what was received for one deliverable and what was accepted."""

    deliverable_id: LocalId = about(_("Entregable"))
    date: Day = about(_("Fecha de recepción"))
    quantity_received: Amount = about(_("Cantidad recibida"))
    quantity_accepted: NonNegativeAmount = about(_("Cantidad aceptada"))
    result: DeliveryResult = about(_("Resultado"))
    reason: LongText | None = about(
        _("Motivo"), _("Obligatorio si se rechaza o se acepta en parte."), default=None
    )
    receipt_document: Text | None = about(_("Documento de recepción"), default=None)


# --- invoices and payments (records F, G) --------------------------------------------------


class Invoice(Payload):
    """Record F: a CFDI received by the entity. ``total = subtotal − discount + taxes``."""

    uuid: CfdiUUID = about(_("Folio fiscal (UUID)"))
    series: Text | None = about(_("Serie"), default=None)
    folio: Text | None = about(_("Folio"), default=None)
    issue_date: Day = about(_("Fecha de emisión"))
    date_received: Day = about(
        _("Fecha de recepción"),
        _("El plazo de pago corre desde la entrega del CFDI (LAASSP art. 51)."),
    )
    issuer_rfc: RFC = about(_("RFC del emisor"))
    receiver_rfc: RFC = about(_("RFC del receptor"))
    subtotal: Amount = about(_("Subtotal"))
    discount: NonNegativeAmount | None = about(_("Descuento"), default=None)
    taxes: NonNegativeAmount = about(_("Impuestos"))
    total: Amount = about(_("Total"))
    currency: Currency = about(_("Moneda"))
    exchange_rate: Amount | None = about(_("Tipo de cambio"), default=None)
    payment_method: Literal["PUE", "PPD"] = about(_("Método de pago"))
    deliverable_ids: list[LocalId] = about(_("Entregables facturados"), default_factory=list)
    deficiency_letter_date: Day | None = about(_("Fecha del escrito de deficiencias"), default=None)
    corrected_invoice_date: Day | None = about(_("Fecha del CFDI corregido"), default=None)
    #: The CFDI's status at the SAT's verification service when checked at reception (A15);
    #: ``desconocido``: the check got no answer. Later checks are ``invoice_status`` entries.
    sat_status: SatStatus | None = about(_("Estado en el SAT"), default=None)
    sat_status_checked_on: Day | None = about(_("Fecha de la consulta al SAT"), default=None)


class InvoiceStatus(Payload):
    """Record F, again: a recorded CFDI's status at the SAT, checked anew (A15).

    Appended by BESA before a payment of the CFDI and before the closure (``occasion``), or
    on demand (``manual``). ``status`` ``desconocido`` means the SAT gave no usable answer
    (``detail`` says why). ``sat_code``, ``cancellable`` and ``cancellation_status`` are the
    SAT's ``CodigoEstatus``, ``EsCancelable`` and ``EstatusCancelacion``, as it wrote them.
    """

    invoice_uuid: CfdiUUID = about(_("Folio fiscal (UUID)"))
    status: SatStatus = about(_("Estado en el SAT"))
    checked_on: Day = about(_("Fecha de la consulta"))
    occasion: Literal["payment", "closure", "manual"] = about(
        _("Motivo de la consulta"), default="manual"
    )
    sat_code: Text | None = about(_("Código de estatus del SAT"), default=None)
    cancellable: Text | None = about(_("¿Es cancelable?"), default=None)
    cancellation_status: Text | None = about(_("Estatus de cancelación"), default=None)
    detail: Text | None = about(_("Detalle"), default=None)


class Payment(Payload):
    """Record G: a payment to the supplier (net of what was withheld)."""

    date: Day = about(
        _("Fecha de pago"),
        _("El pago vence 20 días naturales después de recibir el CFDI (LAASSP art. 51)."),
    )
    amount: Amount = about(_("Importe pagado"), _("Neto de lo retenido."))
    currency: Currency = about(_("Moneda"))
    exchange_rate: Amount | None = about(_("Tipo de cambio"), default=None)
    invoice_uuids: list[CfdiUUID] = about(
        _("CFDI pagados"), _("Un folio fiscal (UUID) por renglón."), default_factory=list
    )
    clc_folio: Text | None = about(_("Folio de la CLC"), default=None)
    channel: Text | None = about(_("Medio de pago"), default=None)
    complement_uuid: CfdiUUID | None = about(_("Complemento de pago (UUID)"), default=None)
    penalties_withheld: NonNegativeAmount = about(_("Penas retenidas"), default=Decimal(0))
    deductions_withheld: NonNegativeAmount = about(_("Deducciones retenidas"), default=Decimal(0))
    financial_charges: NonNegativeAmount = about(
        _("Gastos financieros pagados"), _("Por pago tardío (LAASSP art. 51)."), default=Decimal(0)
    )
    is_advance: StrictBool = about(_("Es un anticipo"), default=False)


# --- penalties, deductions, amendments (records H, I, J) -----------------------------------


class Penalty(Payload):
    """Record H: a conventional penalty (pena convencional) for late delivery."""

    deliverable_id: LocalId | None = about(_("Entregable"), default=None)
    days_late: int = about(_("Días de atraso"), ge=1, strict=True)
    daily_rate_percent: PositivePercent = about(_("Pena diaria (%)"))
    base_amount: Amount = about(
        _("Base de cálculo"), _("Importe de lo entregado con atraso, sin IVA.")
    )
    calculated_amount: NonNegativeAmount = about(_("Pena calculada"))
    applied_amount: NonNegativeAmount = about(
        _("Pena aplicada"),
        _("La suma de penas no puede exceder la garantía de cumplimiento (LAASSP art. 53)."),
    )
    application: Literal["withheld", "paid_by_supplier"] = about(_("Forma de aplicación"))
    date: Day = about(_("Fecha"))


class Deduction(Payload):
    """Record I: a deduction (deductiva) for partial or deficient performance."""

    deliverable_id: LocalId | None = about(_("Entregable"), default=None)
    description: LongText = about(_("Descripción"))
    percent: PositivePercent | None = about(_("Porcentaje"), default=None)
    amount: Amount = about(_("Importe"))
    date: Day = about(_("Fecha"))


class Amendment(Payload):
    """Record J: an amendment agreement (convenio modificatorio).

    ``amount_change`` is signed, in the contract's currency; ``quantity_change_percent`` is
    the signed change in quantities.
    """

    amendment_id: LocalId = about(_("Identificador del convenio"))
    number: Text | None = about(_("Número del convenio"), default=None)
    signing_date: Day = about(_("Fecha de firma"))
    types: list[Literal["amount", "quantity", "term", "other"]] = about(
        _("Qué modifica"), min_length=1
    )
    amount_change: SignedAmount = about(
        _("Cambio en el importe"),
        _(
            "Con signo, en la moneda del contrato. El total de los convenios no debe exceder el "
            "20 % (LAASSP art. 52)."
        ),
        default=Decimal(0),
    )
    quantity_change_percent: SignedAmount | None = about(
        _("Cambio en cantidades (%)"), default=None
    )
    new_end_date: ScheduledDay | None = about(_("Nueva fecha de término"), default=None)
    justification: LongText = about(_("Justificación"))
    guarantee_adjustment: Text | None = about(_("Ajuste de la garantía"), default=None)


# --- suspension, termination, closure (records K, L) ---------------------------------------


class Suspension(Payload):
    """Record K: the contract is suspended (``action`` ``suspend``) or resumes (``resume``).

    ``cause`` is required to suspend.
    """

    action: Literal["suspend", "resume"] = about(_("Acción"), default="suspend")
    date: Day = about(_("Fecha"))
    cause: LongText | None = about(_("Causa"), _("Obligatoria para suspender."), default=None)
    expected_resume_date: ScheduledDay | None = about(_("Reanudación prevista"), default=None)


class EarlyTermination(Payload):
    """Record K: early termination (terminación anticipada)."""

    date: Day = about(_("Fecha"))
    cause: LongText = about(_("Causa"))
    justification_document: Text | None = about(_("Documento que la justifica"), default=None)
    reimbursed_expenses: NonNegativeAmount | None = about(_("Gastos reembolsados"), default=None)
    #: Non-recoverable expenses the supplier documented (art. 54 Bis), for A22.
    documented_expenses: NonNegativeAmount | None = about(
        _("Gastos no recuperables comprobados"),
        _("Los que el proveedor documentó (LAASSP art. 54 Bis)."),
        default=None,
    )


class Rescission(Payload):
    """Record K: one stage of a rescission procedure: notice, supplier's answer, resolution.

    ``decision`` only belongs to the resolution (default ``rescinded``); ``cause`` is required
    for the notice.
    """

    stage: Literal["notice", "answer", "resolution"] = about(_("Etapa"))
    date: Day = about(_("Fecha"))
    cause: LongText | None = about(
        _("Causa"), _("Obligatoria en el inicio del procedimiento."), default=None
    )
    supplier_answer_date: Day | None = about(_("Fecha de respuesta del proveedor"), default=None)
    decision: Literal["rescinded", "not_rescinded"] | None = about(_("Resolución"), default=None)
    guarantee_enforced_amount: NonNegativeAmount | None = about(
        _("Garantía ejecutada"), default=None
    )


class Closure(Payload):
    """Record L: the settlement (finiquito) and closure; amounts in the contract's currency.

    The amounts are required (``checks``) unless ``settlement_unknown``: a closure known
    only from published data (an imported OCDS contract ``terminated``/``concluded``), whose
    settlement figures and guarantee release nobody published; ``paid_amount`` may then
    carry OCDS's ``finalValue``.
    """

    date: Day = about(_("Fecha del finiquito"))
    delivered_amount: NonNegativeAmount | None = about(_("Importe entregado"), default=None)
    invoiced_amount: NonNegativeAmount | None = about(_("Importe facturado"), default=None)
    paid_amount: NonNegativeAmount | None = about(_("Importe pagado"), default=None)
    penalties_total: NonNegativeAmount | None = about(_("Total de penas"), default=None)
    deductions_total: NonNegativeAmount | None = about(_("Total de deducciones"), default=None)
    balance_owed_to_supplier: NonNegativeAmount | None = about(
        _("Saldo a favor del proveedor"), default=None
    )
    balance_owed_to_buyer: NonNegativeAmount | None = about(
        _("Saldo a favor de la dependencia"), default=None
    )
    guarantee_release_date: ScheduledDay | None = about(
        _("Liberación de la garantía"), default=None
    )
    settlement_unknown: StrictBool = about(
        _("Finiquito desconocido"),
        _("Solo para un cierre conocido por datos publicados, sin cifras del finiquito."),
        default=False,
    )


# --- documents and corrections (records M, N) ----------------------------------------------


class AttachedDocument(Payload):
    """A file attached to an entry, known by its SHA-256 (the file itself is stored apart)."""

    title: Text = about(_("Título"))
    sha256: Sha256 = about(_("SHA-256"))
    media_type: MediaType = about(_("Tipo de archivo"))
    file_name: Text | None = about(_("Nombre del archivo"), default=None)
    #: Whether the citizens' portal lists and serves the file (``besa.documents.publicity``).
    #: Inside the hashed entry, so the decision is as tamper-evident as the fact it goes with.
    public: bool | None = about(_("Público en el portal"), default=None)


class Document(Payload):
    """Record M as an entry of its own: a document about the contract as a whole.

    ``document_type`` is an open code, preferably one of OCDS's documentType codelist
    (``contractSigned``, ``contractAnnexe``, ``completionCertificate``…).
    """

    document_type: Token = about(_("Tipo de documento"))
    title: Text = about(_("Título"))
    sha256: Sha256 = about(_("SHA-256"))
    media_type: MediaType = about(_("Tipo de archivo"))
    file_name: Text | None = about(_("Nombre del archivo"), default=None)
    #: As ``AttachedDocument.public``; a later ``document`` entry for the same file (same
    #: SHA-256) publishes or withdraws it (``besa.documents.publicity``).
    public: bool | None = about(
        _("Público en el portal"),
        _("Solo una versión pública: sin datos personales (identificaciones, firmas, domicilios)."),
        default=None,
    )


class Rectification(Payload):
    """A correction of an earlier entry: ``payload`` replaces that entry's payload in full.

    The inner payload is validated as the corrected entry's kind (see ``checks``).
    """

    corrects: EntryId = about(_("Asiento que se corrige"))
    reason: LongText = about(
        _("Motivo de la corrección"),
        _("La corrección no borra el asiento original: ambos quedan en la bitácora."),
    )
    payload: dict[str, object] = about(_("Contenido corregido"))


#: The payload model of each kind, in the order of a contract's life.
MODELS: dict[str, type[Payload]] = {
    "registration": Registration,
    "budget_sufficiency": BudgetSufficiency,
    "guarantee": Guarantee,
    "deliverable_schedule": DeliverableSchedule,
    "delivery": Delivery,
    "invoice": Invoice,
    "invoice_status": InvoiceStatus,
    "payment": Payment,
    "penalty": Penalty,
    "deduction": Deduction,
    "amendment": Amendment,
    "suspension": Suspension,
    "early_termination": EarlyTermination,
    "rescission": Rescission,
    "closure": Closure,
    "document": Document,
    "rectification": Rectification,
}

# The audit kinds live in their own module (written only by ``besa.audits``).
MODELS.update(AUDIT_MODELS)


#: Payload keys, at any depth, that hold a scheduled date (``ScheduledDay``): every other date
#: of a payload is a fact that happened on or before the day it is recorded.
SCHEDULED_KEYS: frozenset[str] = frozenset().union(
    *(scheduled_fields(model) for model in Payload.__subclasses__())
)

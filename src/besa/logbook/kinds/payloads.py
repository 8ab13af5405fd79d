"""The shape of each entry kind's payload (domain.md §3.3, records C–N).

These models check types, required fields, codes and single-field ranges only (a date's
window too: ``Day`` for facts that already happened, ``ScheduledDay`` for planned ones). Rules
that relate two fields, or a field to the contract's state (dates in order, RFCs that must match,
ids that must exist), live in ``besa.logbook.kinds.checks``. Optional fields default to
``None`` and are left out of the normalised payload; fields with a real default (``action``,
the withholdings of a payment) are always written out.

Codes are the registry's (``besa.registry.models`` choices), repeated here because this module
imports no Django; a test keeps the two in step.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, StrictBool

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

    number: Text
    title: Text
    description: LongText | None = None
    procedure_type: ProcedureType
    procedure_number: Text | None = None
    compranet_code: Text | None = None
    contracting_type: ContractingType
    character: Character
    legal_basis: Text | None = None
    exception_justification: LongText | None = None
    regime: Text
    award_date: Day | None = None
    signing_date: Day
    start_date: ScheduledDay
    end_date: ScheduledDay
    amount: Amount
    vat_amount: NonNegativeAmount | None = None
    currency: Currency
    exchange_rate: Amount | None = None
    is_open: StrictBool = False
    min_amount: Amount | None = None
    max_amount: Amount | None = None
    multiyear: StrictBool = False
    advance_percent: Percent = Decimal(0)
    guarantee_percent: Percent
    penalty_rate_percent: Percent
    #: For an exception to public tender by amount (old art. 42): the PEF annex's maximum for
    #: the procedure used, for the buyer's budget band and fiscal year, in the home currency
    #: without VAT (alert A24). Left out for an exception by cause (old art. 41).
    pef_max_amount: Amount | None = None
    #: The budget set for the procedure, without VAT, in the contract's currency (A25).
    procedure_budget: Amount | None = None
    #: The prices the market research (investigación de mercado) found: one per source or
    #: quotation, each for the whole of the contracted goods and quantities, without VAT, in the
    #: contract's currency. A25 compares the amount with their median (precio no aceptable) and,
    #: unless ``market_average_amount`` is given, with their average (precio no conveniente).
    market_research_prices: list[Amount] | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        title="Precios de la investigación de mercado",
        description=(
            "Un precio por fuente o cotización de la investigación de mercado, cada uno por el "
            "total de los bienes o servicios contratados, sin IVA, en la moneda del contrato. "
            "La alerta A25 compara el importe con su mediana y su promedio. / The market "
            "research's prices, one per source or quotation, each for the whole of the "
            "contracted goods or services, without VAT, in the contract's currency; A25 "
            "compares the amount with their median and average."
        ),
    )
    #: The median of the market research's prices for the contracted goods and quantities,
    #: without VAT, in the contract's currency (A25: precio no aceptable). When
    #: ``market_research_prices`` are given it may be left out; if given, it must be their
    #: median (``checks``).
    market_median_amount: Amount | None = None
    #: The average of the prices of the technically accepted proposals (or, lacking them, of
    #: the market research), same basis (A25: precio no conveniente).
    market_average_amount: Amount | None = None


class Buyer(Payload):
    """The buying institution and its buying unit (unidad compradora)."""

    institution_code: Text
    institution_name: Text
    institution_rfc: RFC
    buying_unit_code: Text
    buying_unit_name: Text
    level: GovernmentLevel


class SupplierShare(Payload):
    """One supplier of the contract and its share of a joint proposal, in percent."""

    rfc: RFC
    name: Text
    share_percent: PositivePercent


class ComplianceOpinion(Payload):
    """A compliance opinion (SAT 32-D, IMSS, INFONAVIT) seen at award or signing.

    ``supplier_rfc`` may be left out when the contract has a single supplier.
    """

    source: Literal["sat_32d", "imss", "infonavit"]
    date: Day
    result: Literal["positive", "negative"]
    folio: Text | None = None
    valid_until: ScheduledDay | None = None
    supplier_rfc: RFC | None = None


class MultiyearAuthorization(Payload):
    """SHCP's authorisation of a multiyear commitment."""

    oficio_number: Text
    date: Day


class BudgetSufficiency(Payload):
    """Record C: the budget sufficiency (suficiencia presupuestaria) behind the contract."""

    oficio_number: Text
    date: Day
    amount: Amount
    fiscal_year: int = Field(ge=2000, le=2100, strict=True)
    budget_key: Text
    expense_item: Text | None = None
    commitment_folio: Text | None = None
    multiyear_authorization: MultiyearAuthorization | None = None


class Registration(Payload):
    """The first entry of every contract: its terms, parties and opening evidence."""

    contract: ContractTerms
    buyer: Buyer
    suppliers: list[SupplierShare] = Field(min_length=1)
    home_currency: Currency
    compliance: list[ComplianceOpinion] = Field(default_factory=list)
    budget_sufficiency: BudgetSufficiency | None = None


# --- guarantees and deliverables (records D, E) --------------------------------------------


class Guarantee(Payload):
    """Record D: one action on a guarantee, identified by the client-chosen ``guarantee_id``.

    ``date_received`` is when the action took effect at the entity: the instrument (or its
    endorsement) was received, the release letter issued, enforcement requested, or the
    exemption authorised. ``amount`` is the guarantee's total after the action (for an
    enforcement, the amount enforced). ``currency`` defaults to the contract's.
    """

    guarantee_id: LocalId
    type: GuaranteeType
    action: GuaranteeAction = "new"
    instrument: Instrument | None = None
    issuer: Text | None = None
    issuer_rfc: RFC | None = None
    policy_number: Text | None = None
    amount: Amount | None = None
    currency: Currency | None = None
    percent: PositivePercent | None = None
    beneficiary: Text | None = None
    date_received: Day
    valid_from: ScheduledDay | None = None
    valid_until: ScheduledDay | None = None
    legal_basis: Text | None = None
    amendment_id: LocalId | None = None


class Deliverable(Payload):
    """One planned deliverable or milestone (entregable); amounts are without VAT.

    ``amount`` left out: unknown (an imported OCDS 1.1 milestone has no value). The rules
    that need it then say "not judgeable: amount unknown" (the state's ``data_gaps``).
    """

    deliverable_id: LocalId
    description: LongText
    quantity: Amount
    unit: Text | None = None
    unit_price: Amount | None = None
    amount: Amount | None = None
    due_date: ScheduledDay
    place: Text | None = None


class DeliverableSchedule(Payload):
    """Record E (plan): deliverables with due dates. Naming a known id re-plans it."""

    deliverables: list[Deliverable] = Field(min_length=1)


class Delivery(Payload):
    """Record E (reception): what was received for one deliverable and what was accepted."""

    deliverable_id: LocalId
    date: Day
    quantity_received: Amount
    quantity_accepted: NonNegativeAmount
    result: DeliveryResult
    reason: LongText | None = None
    receipt_document: Text | None = None


# --- invoices and payments (records F, G) --------------------------------------------------


class Invoice(Payload):
    """Record F: a CFDI received by the entity. ``total = subtotal − discount + taxes``."""

    uuid: CfdiUUID
    series: Text | None = None
    folio: Text | None = None
    issue_date: Day
    date_received: Day
    issuer_rfc: RFC
    receiver_rfc: RFC
    subtotal: Amount
    discount: NonNegativeAmount | None = None
    taxes: NonNegativeAmount
    total: Amount
    currency: Currency
    exchange_rate: Amount | None = None
    payment_method: Literal["PUE", "PPD"]
    deliverable_ids: list[LocalId] = Field(default_factory=list)
    deficiency_letter_date: Day | None = None
    corrected_invoice_date: Day | None = None
    #: The CFDI's status at the SAT's verification service when checked at reception (A15);
    #: ``desconocido``: the check got no answer. Later checks are ``invoice_status`` entries.
    sat_status: SatStatus | None = None
    sat_status_checked_on: Day | None = None


class InvoiceStatus(Payload):
    """Record F, again: a recorded CFDI's status at the SAT, checked anew (A15).

    Appended by BESA before a payment of the CFDI and before the closure (``occasion``), or
    on demand (``manual``). ``status`` ``desconocido`` means the SAT gave no usable answer
    (``detail`` says why). ``sat_code``, ``cancellable`` and ``cancellation_status`` are the
    SAT's ``CodigoEstatus``, ``EsCancelable`` and ``EstatusCancelacion``, as it wrote them.
    """

    invoice_uuid: CfdiUUID
    status: SatStatus
    checked_on: Day
    occasion: Literal["payment", "closure", "manual"] = "manual"
    sat_code: Text | None = None
    cancellable: Text | None = None
    cancellation_status: Text | None = None
    detail: Text | None = None


class Payment(Payload):
    """Record G: a payment to the supplier (net of what was withheld)."""

    date: Day
    amount: Amount
    currency: Currency
    exchange_rate: Amount | None = None
    invoice_uuids: list[CfdiUUID] = Field(default_factory=list)
    clc_folio: Text | None = None
    channel: Text | None = None
    complement_uuid: CfdiUUID | None = None
    penalties_withheld: NonNegativeAmount = Decimal(0)
    deductions_withheld: NonNegativeAmount = Decimal(0)
    financial_charges: NonNegativeAmount = Decimal(0)
    is_advance: StrictBool = False


# --- penalties, deductions, amendments (records H, I, J) -----------------------------------


class Penalty(Payload):
    """Record H: a conventional penalty (pena convencional) for late delivery."""

    deliverable_id: LocalId | None = None
    days_late: int = Field(ge=1, strict=True)
    daily_rate_percent: PositivePercent
    base_amount: Amount
    calculated_amount: NonNegativeAmount
    applied_amount: NonNegativeAmount
    application: Literal["withheld", "paid_by_supplier"]
    date: Day


class Deduction(Payload):
    """Record I: a deduction (deductiva) for partial or deficient performance."""

    deliverable_id: LocalId | None = None
    description: LongText
    percent: PositivePercent | None = None
    amount: Amount
    date: Day


class Amendment(Payload):
    """Record J: an amendment agreement (convenio modificatorio).

    ``amount_change`` is signed, in the contract's currency; ``quantity_change_percent`` is
    the signed change in quantities.
    """

    amendment_id: LocalId
    number: Text | None = None
    signing_date: Day
    types: list[Literal["amount", "quantity", "term", "other"]] = Field(min_length=1)
    amount_change: SignedAmount = Decimal(0)
    quantity_change_percent: SignedAmount | None = None
    new_end_date: ScheduledDay | None = None
    justification: LongText
    guarantee_adjustment: Text | None = None


# --- suspension, termination, closure (records K, L) ---------------------------------------


class Suspension(Payload):
    """Record K: the contract is suspended (``action`` ``suspend``) or resumes (``resume``).

    ``cause`` is required to suspend.
    """

    action: Literal["suspend", "resume"] = "suspend"
    date: Day
    cause: LongText | None = None
    expected_resume_date: ScheduledDay | None = None


class EarlyTermination(Payload):
    """Record K: early termination (terminación anticipada)."""

    date: Day
    cause: LongText
    justification_document: Text | None = None
    reimbursed_expenses: NonNegativeAmount | None = None
    #: Non-recoverable expenses the supplier documented (art. 54 Bis), for A22.
    documented_expenses: NonNegativeAmount | None = None


class Rescission(Payload):
    """Record K: one stage of a rescission procedure: notice, supplier's answer, resolution.

    ``decision`` only belongs to the resolution (default ``rescinded``); ``cause`` is required
    for the notice.
    """

    stage: Literal["notice", "answer", "resolution"]
    date: Day
    cause: LongText | None = None
    supplier_answer_date: Day | None = None
    decision: Literal["rescinded", "not_rescinded"] | None = None
    guarantee_enforced_amount: NonNegativeAmount | None = None


class Closure(Payload):
    """Record L: the settlement (finiquito) and closure; amounts in the contract's currency.

    The amounts are required (``checks``) unless ``settlement_unknown``: a closure known
    only from published data (an imported OCDS contract ``terminated``/``concluded``), whose
    settlement figures and guarantee release nobody published; ``paid_amount`` may then
    carry OCDS's ``finalValue``.
    """

    date: Day
    delivered_amount: NonNegativeAmount | None = None
    invoiced_amount: NonNegativeAmount | None = None
    paid_amount: NonNegativeAmount | None = None
    penalties_total: NonNegativeAmount | None = None
    deductions_total: NonNegativeAmount | None = None
    balance_owed_to_supplier: NonNegativeAmount | None = None
    balance_owed_to_buyer: NonNegativeAmount | None = None
    guarantee_release_date: ScheduledDay | None = None
    settlement_unknown: StrictBool = False


# --- documents and corrections (records M, N) ----------------------------------------------


class AttachedDocument(Payload):
    """A file attached to an entry, known by its SHA-256 (the file itself is stored apart)."""

    title: Text
    sha256: Sha256
    media_type: MediaType
    file_name: Text | None = None


class Document(Payload):
    """Record M as an entry of its own: a document about the contract as a whole.

    ``document_type`` is an open code, preferably one of OCDS's documentType codelist
    (``contractSigned``, ``contractAnnexe``, ``completionCertificate``…).
    """

    document_type: Token
    title: Text
    sha256: Sha256
    media_type: MediaType
    file_name: Text | None = None


class Rectification(Payload):
    """A correction of an earlier entry: ``payload`` replaces that entry's payload in full.

    The inner payload is validated as the corrected entry's kind (see ``checks``).
    """

    corrects: EntryId
    reason: LongText
    payload: dict[str, object]


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


#: Payload keys, at any depth, that hold a scheduled date (``ScheduledDay``): every other date
#: of a payload is a fact that happened on or before the day it is recorded.
SCHEDULED_KEYS: frozenset[str] = frozenset().union(
    *(scheduled_fields(model) for model in Payload.__subclasses__())
)

"""The words for the codes a payload field may take (its ``Literal`` values), by code.

The payload models (``besa.logbook.kinds.payloads``) define which codes a field accepts;
this is only how each code reads in the user's language, for selects and for the timeline.
Codes that are also the registry's choices read as the registry labels them.
"""

from django.utils.translation import gettext_lazy as _

from besa.registry.models import Character, ContractingType, ProcedureType

CHOICE_LABELS = {
    # procedure, contracting type, character: the registry's words, as every page shows them
    **dict(ProcedureType.choices),
    **dict(ContractingType.choices),
    **dict(Character.choices),
    # level (record A)
    "APF": _("Administración Pública Federal"),
    "GE": _("Gobierno estatal"),
    "GM": _("Gobierno municipal"),
    # compliance opinions
    "sat_32d": _("SAT (32-D)"),
    "imss": _("IMSS"),
    "infonavit": _("INFONAVIT"),
    "positive": _("Positiva"),
    "negative": _("Negativa"),
    # guarantees (record D)
    "performance": _("Cumplimiento"),
    "advance": _("Anticipo"),
    "quality": _("Calidad y vicios ocultos"),
    "new": _("Nueva garantía"),
    "extension": _("Endoso o ampliación"),
    "release": _("Liberación"),
    "enforcement": _("Ejecución"),
    "exemption": _("Excepción de garantía"),
    "surety_bond": _("Fianza"),
    "letter_of_credit": _("Carta de crédito"),
    "certified_check": _("Cheque certificado"),
    "deposit": _("Depósito"),
    # deliveries (record E)
    "accepted": _("Aceptada"),
    "rejected": _("Rechazada"),
    "partial": _("Aceptada en parte"),
    "deficient": _("Con deficiencias"),
    # CFDI (record F)
    "vigente": _("Vigente"),
    "cancelado": _("Cancelado"),
    "no_encontrado": _("No encontrado"),
    "desconocido": _("Sin respuesta del SAT"),
    "PUE": _("Pago en una sola exhibición (PUE)"),
    "PPD": _("Pago en parcialidades o diferido (PPD)"),
    "payment": _("Antes de un pago"),
    "closure": _("Antes del cierre"),
    "manual": _("A solicitud"),
    # penalties, amendments (records H, J)
    "withheld": _("Retenida en el pago"),
    "paid_by_supplier": _("Pagada por el proveedor"),
    "amount": _("Importe"),
    "quantity": _("Cantidades"),
    "term": _("Plazo"),
    "other": _("Otra"),
    # suspension, rescission (record K)
    "suspend": _("Suspender"),
    "resume": _("Reanudar"),
    "notice": _("Inicio del procedimiento"),
    "answer": _("Respuesta del proveedor"),
    "resolution": _("Resolución"),
    "rescinded": _("Rescindido"),
    "not_rescinded": _("No rescindido"),
}


# audit steps (besa.audits; "manual", a case opened by hand, reads as above: on request)
CHOICE_LABELS.update(
    {
        "plan": _("Programa de auditoría"),
        "alert": _("Alerta"),
        "ranking": _("Ranking de riesgo"),
        "complaint": _("Denuncia ciudadana"),
        "draft": _("Borrador"),
        "active": _("En curso"),
        "findings": _("Observaciones notificadas"),
        "remediation": _("Periodo de solventación"),
        "resolved": _("Dictaminado"),
        "closed": _("Concluido"),
        "stopped": _("Suspendido definitivamente"),
        "cancelled": _("Cancelado"),
        "assign": _("Asignar auditor"),
        "activate": _("Iniciar la auditoría"),
        "report_findings": _("Notificar observaciones"),
        "close_without_findings": _("Concluir sin observaciones"),
        "open_remediation": _("Abrir periodo de solventación"),
        "resolve": _("Dictaminar la solventación"),
        "close": _("Concluir el caso"),
        "stop": _("Suspender definitivamente"),
        "cancel": _("Cancelar el caso"),
        "eliminated": _("Solventadas"),
        "partly_eliminated": _("Parcialmente solventadas"),
        "not_eliminated": _("No solventadas"),
        "no_findings": _("Sin observaciones"),
        "pending": _("Pendiente"),
        # the stages a case examines (besa.audits.models.Stage)
        "planning": _("Planeación"),
        "tender": _("Procedimiento de contratación"),
        "award": _("Adjudicación"),
        "contract": _("Formalización del contrato"),
        "implementation": _("Ejecución: entregas y pagos"),
    }
)


def choice_label(code: str) -> str:
    """The words for ``code`` in the user's language (the code itself when it has none)."""
    label = CHOICE_LABELS.get(code)
    return str(label) if label is not None else code

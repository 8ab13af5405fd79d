"""Risk indicators and their evidence in words, in the user's language.

The risk engine (``besa.risk.execution``, ``cri``, ``portfolio``) is pure and speaks in codes
(``R067``, ``NOCFT``) and evidence dicts keyed by identifiers (``days_late``); pages show
the indicator's name with its code as a secondary label, and each piece of evidence as
"label: value" with lists, nested records and choice codes written out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from besa.registry.models import Character, ContractingType, ListName, ProcedureType

INDICATORS = {
    "CRI": _("Índice de riesgo de corrupción"),
    "ALERTS": _("Alertas de severidad alta"),
    "PROC": _("Procedimiento no competitivo"),
    "NOCFT": _("Sin convocatoria publicada"),
    "SINGLEB": _("Una sola propuesta"),
    "SUBMP": _("Plazo corto para presentar propuestas"),
    "DECP": _("Plazo atípico para decidir"),
    "SHARE": _("Peso del proveedor en el comprador"),
    "NEW_COMPANY": _("Empresa de reciente creación"),
    "LISTED": _("Proveedor en listas del SAT o sancionado"),
    "BENFORD": _("Importes fuera de la ley de Benford"),
    "NETWORK": _("Proveedor vinculado con otros"),
    "BIDDING": _("Patrones en las licitaciones"),
    "R003": _("Plazo de licitación corto"),
    "R018": _("Un solo licitante"),
    "R028": _("Propuestas idénticas"),
    "R030": _("Ganador que no presentó la propuesta más baja"),
    "R035": _("Licitantes descalificados"),
    "R036": _("Ganador con el precio más alto"),
    "R054": _("Adjudicación directa que los convenios llevan sobre el umbral"),
    "R059": _("Diferencia entre el valor adjudicado y el final"),
    "R060": _("Días del fallo a la firma"),
    "R064": _("Contrato con convenios modificatorios"),
    "R067": _("Entregas tardías o incumplidas"),
    "R068": _("Pagos por encima del importe del contrato"),
    "R069": _("Convenios que aumentan el precio"),
    "R073": _("Recepciones que no cumplen las especificaciones"),
}

EVIDENCE = {
    "high": _("alertas altas"),
    "rules": _("reglas"),
    "procedure_type": _("procedimiento"),
    "basis": _("fundamento"),
    "bids": _("propuestas"),
    "rfc": _("RFC"),
    "incorporated_on": _("constituida el"),
    "signed_on": _("firmado el"),
    "age_days": _("antigüedad (días)"),
    "threshold_days": _("umbral (días)"),
    "supplier_amount": _("importe del proveedor"),
    "buyer_amount": _("importe del comprador"),
    "buyer_contracts": _("contratos del comprador"),
    "deliverables": _("entregables"),
    "deliverable_id": _("entregable"),
    "due_date": _("fecha comprometida"),
    "fully_accepted_on": _("aceptado el"),
    "days_late": _("días de atraso"),
    "failures": _("incumplimientos"),
    "receptions": _("recepciones"),
    "reception_sequences": _("asientos de recepción"),
    "discrepancies": _("discrepancias"),
    "payment_sequences": _("asientos de pago"),
    "deduction_sequences": _("asientos de deducción"),
    "amendment_sequences": _("asientos de convenio"),
    "amendment_percent": _("aumento por convenios (%)"),
    "increase_percent": _("aumento (%)"),
    "difference_percent": _("diferencia (%)"),
    "paid_without_vat": _("pagado sin IVA"),
    "contract_amount": _("importe del contrato"),
    "current_amount": _("importe vigente"),
    "original_amount": _("importe original"),
    "award_amount": _("importe adjudicado"),
    "final_amount": _("importe final"),
    "final_basis": _("base del importe final"),
    "pef_max_amount": _("monto máximo del PEF"),
    "award_date": _("fecha del fallo"),
    "signing_date": _("fecha de firma"),
    "as_of": _("a la fecha"),
    "institution_name": _("institución"),
    "lists": _("listas"),
    "listings": _("listas"),
    "links": _("vínculos"),
    "alerts": _("alertas"),
    "days": _("días"),
    "amount": _("importe"),
    "missing": _("sin dato"),
}

_CHOICES: dict[str, Any] = {
    **dict(ProcedureType.choices),
    **dict(ContractingType.choices),
    **dict(Character.choices),
    **dict(ListName.choices),
}


def indicator(code: str) -> str:
    """An indicator's name; a code the catalogue lacks (an imported one) as it came."""
    return str(INDICATORS.get(code, code))


def evidence(found: Mapping[str, Any] | None) -> Iterator[tuple[str, str]]:
    """Each piece of evidence as (label, value in words); empty values are left out."""
    for key, value in (found or {}).items():
        if value is None or value == "" or value == []:
            continue
        if key == "missing":  # the engine's reason, in English: its gist in the user's words
            yield str(EVIDENCE[key]), gettext("el dato no está registrado")
            continue
        yield str(EVIDENCE.get(key, key.replace("_", " "))), _value(value)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return gettext("sí") if value else gettext("no")
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, str):
        head, colon, rest = value.partition(": ")  # "sat_69b: presunto" (list: status)
        if colon and head in _CHOICES:
            return f"{_CHOICES[head]}: {rest}"
        return str(_CHOICES.get(value, value))
    if isinstance(value, Mapping):
        return "; ".join(f"{label}: {text}" for label, text in evidence(value))
    if isinstance(value, list | tuple):
        if all(isinstance(v, str | int | float) for v in value):
            return ", ".join(_value(v) for v in value)
        return str(len(value))  # records (alerts, links): how many; their page has them
    return str(value)

"""Audit codes in words (steps, fields of the forms) for the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "activate": _("Iniciar la auditoría"),
    "report_findings": _("Notificar observaciones"),
    "close_without_findings": _("Concluir sin observaciones"),
    "open_remediation": _("Abrir periodo de solventación"),
    "resolve": _("Dictaminar la solventación"),
    "close": _("Concluir el caso"),
    "stop": _("Suspender definitivamente"),
    "cancel": _("Cancelar el caso"),
    "open": _("Apertura"),
    "assign": _("Asignar auditor"),
}

FIELDS = {
    "action": _("Paso"),
    "reason": _("Motivo"),
    "outcome": _("Resultado"),
    "findings": _("Observaciones"),
    "remediation_until": _("Plazo de solventación"),
    "contracts": _("Contrato"),
    "source": _("Origen"),
    "title": _("Título"),
    "subject": _("Asunto"),
    "body": _("Información solicitada"),
    "business_days": _("Plazo en días hábiles"),
    "buying_unit": _("Unidad compradora"),
    "answer": _("Respuesta"),
    "description": _("Descripción"),
    "legal_basis": _("Fundamento legal"),
    "amount_at_stake": _("Monto observado"),
    "amount_recovered": _("Monto recuperado"),
    "verdict": _("Dictamen"),
    "authority": _("Autoridad competente"),
    "grounds": _("Fundamentos"),
    "auditor": _("Auditor"),
    "case": _("Caso"),
    "capacity": _("Capacidad"),
    "min_score": _("Riesgo mínimo"),
    "period_start": _("Inicio del periodo"),
    "period_end": _("Fin del periodo"),
    "file": _("Archivo"),
    "supplier": _("Proveedor (RFC)"),
    "indicators": _("Indicadores"),
    "stages": _("Etapas"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def field_label(field: str) -> str:
    return str(FIELDS.get(field, field))

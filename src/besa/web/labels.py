"""Human labels for logbook codes shown on pages (entry kinds, contract statuses)."""

from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "registration": _("Registro del contrato"),
    "budget_sufficiency": _("Suficiencia presupuestaria"),
    "guarantee": _("Garantía"),
    "deliverable_schedule": _("Calendario de entregas"),
    "delivery": _("Entrega y recepción"),
    "invoice": _("Factura CFDI"),
    "invoice_status": _("Estado del CFDI en el SAT"),
    "payment": _("Pago"),
    "penalty": _("Pena convencional"),
    "deduction": _("Deducción"),
    "amendment": _("Convenio modificatorio"),
    "suspension": _("Suspensión"),
    "early_termination": _("Terminación anticipada"),
    "rescission": _("Rescisión"),
    "closure": _("Finiquito y cierre"),
    "document": _("Documento"),
    "rectification": _("Rectificación"),
    "audit_opened": _("Apertura de auditoría"),
    "audit_step": _("Etapa de auditoría"),
    "audit_request": _("Requerimiento de información"),
    "audit_answer": _("Respuesta a requerimiento"),
    "audit_finding": _("Observación de auditoría"),
    "audit_referral": _("Turno a investigación"),
}

STATUS_LABELS = {
    "new": _("Nuevo"),
    "unregistered": _("Sin registro"),
    "registered": _("Registrado"),
    "in_execution": _("En ejecución"),
    "suspended": _("Suspendido"),
    "terminated_completed": _("Cumplido"),
    "terminated_early": _("Terminado anticipadamente"),
    "rescinded": _("Rescindido"),
    "closed": _("Finiquitado"),
}

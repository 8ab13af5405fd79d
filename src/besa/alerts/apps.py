from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "besa.alerts"
    label = "alerts"
    verbose_name = _("Alertas")

    def ready(self) -> None:
        from besa.alerts import escalation, evaluation, notifications, sweep
        from besa.cli import worker
        from besa.logbook.append import on_append

        # Real time: the rules of the affected contract run inside every append transaction,
        # so the alert exists before the append call returns.
        on_append(evaluation.on_entry)
        worker.register("sweep", every_seconds=60)(sweep.sweep_job)
        worker.register("escalate", every_seconds=300)(escalation.escalate_job)
        worker.register("notify", every_seconds=5)(notifications.deliver_job)

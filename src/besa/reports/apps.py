from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "besa.reports"
    label = "reports"
    verbose_name = _("Informes")

    def ready(self) -> None:
        from besa.cli import worker
        from besa.reports import delivery

        # Hourly: the job itself decides whether this month's reports are due and sends each
        # (institution, month, person) once, so running it often costs one query.
        worker.register("monthly_reports", every_seconds=3600)(delivery.deliver_job)

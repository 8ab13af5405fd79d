from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogbookConfig(AppConfig):
    name = "besa.logbook"
    label = "logbook"
    verbose_name = _("Bitácora")

    def ready(self) -> None:
        from django.core import checks

        from besa.cli import worker
        from besa.logbook import checkpoints, triggers

        checks.register(triggers.check)

        # A checkpoint every 10 minutes bounds how much history an insider could rewrite
        # undetected between two published Merkle roots.
        worker.register("checkpoint", every_seconds=600)(checkpoints.checkpoint_job)

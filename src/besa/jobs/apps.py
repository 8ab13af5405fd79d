from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "besa.jobs"
    label = "jobs"
    verbose_name = _("Trabajos en segundo plano")

    def ready(self) -> None:
        from besa.cli import worker
        from besa.jobs import runner

        # Every two seconds: someone is watching the progress page.
        worker.register("jobs", every_seconds=2)(runner.run_jobs)

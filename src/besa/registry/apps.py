from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "besa.registry"
    label = "registry"
    verbose_name = _("Padrón")

    def ready(self) -> None:
        # Validate the jurisdiction file at start-up, so a malformed file stops every process
        # (web, worker, commands) with the bad key named, instead of failing later mid-request.
        from django.core import checks

        from besa.jurisdiction import from_env
        from besa.registry.checks import unconfirmed_calendar_years

        from_env()
        checks.register(unconfirmed_calendar_years)

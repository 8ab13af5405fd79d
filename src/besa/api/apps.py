from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "besa.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from besa.api import webhooks
        from besa.logbook.append import on_append

        # Webhooks for new entries are queued in the append transaction (never lost, never
        # sent for an entry that rolled back); the alerts app's worker job delivers them.
        on_append(webhooks.on_entry)

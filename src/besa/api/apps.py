import os
from pathlib import Path

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "besa.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from besa.api import webhooks
        from besa.cli import worker
        from besa.logbook.append import on_append
        from besa.opendata.dump import dump_job_for

        # Webhooks for new entries are queued in the append transaction (never lost, never
        # sent for an entry that rolled back); the alerts app's worker job delivers them.
        on_append(webhooks.on_entry)
        # The daily open-data dump, when the deployment says where to publish it. The job
        # checks hourly and writes yesterday's dump once (idempotent across workers: the
        # last complete dump wins, see ``besa.opendata.dump``).
        dump_dir = os.environ.get("BESA_DUMP_DIR")
        if dump_dir:
            worker.register("dump", every_seconds=3600)(dump_job_for(Path(dump_dir)))

from typing import Any

from django.core.management.commands import migrate
from django.db import connections

from besa.logbook import triggers


class Command(migrate.Command):
    """Django's ``migrate``, which first reinstalls the logbook's append-only triggers when the
    tables exist, so that a database that lost them (a migration that rebuilt a table, an
    insider) gets them back, and the start-up check that refuses to run without them does
    not stop the one command that repairs it."""

    def execute(self, *args: Any, **options: Any) -> Any:
        # Before ``execute`` runs the system checks, which refuse a logbook without triggers.
        triggers.create_if_tables_exist(connections[options.get("database") or "default"])
        return super().execute(*args, **options)

"""The database triggers that make entries and checkpoints append-only.

Triggers reject UPDATE and DELETE (and TRUNCATE on PostgreSQL), so not even code with database
access that bypasses the application can rewrite history silently: doing so requires dropping
the triggers, which leaves the hash chain and the checkpoints to expose the change
(``besa verify``).
"""

from __future__ import annotations

from typing import Any

TABLES = ("logbook_entry", "logbook_checkpoint")

_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION besa_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'besa: % is append-only', TG_TABLE_NAME; END $$"
)


def create(connection: Any) -> None:
    """Create the triggers if they do not exist (idempotent)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for table in TABLES:
            for op in ("UPDATE", "DELETE"):
                name = f"{table}_no_{op.lower()}"
                if connection.vendor == "sqlite":
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, 'besa: {table} is append-only'); END"
                    )
                elif connection.vendor == "postgresql":
                    cursor.execute(
                        f"CREATE OR REPLACE TRIGGER {name} BEFORE {op} ON {table} "
                        "FOR EACH ROW EXECUTE FUNCTION besa_append_only()"
                    )
            if connection.vendor == "postgresql":
                # TRUNCATE bypasses row triggers; refuse it with a statement trigger.
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION besa_append_only()"
                )


def drop(connection: Any) -> None:
    """Drop the triggers. Only for migrations backwards and for tests that simulate an
    insider; a deployment never calls this."""
    with connection.cursor() as cursor:
        for table in TABLES:
            for op in ("update", "delete", "truncate"):
                if connection.vendor == "sqlite" and op != "truncate":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
                elif connection.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op} ON {table}")

"""The database triggers that make entries and checkpoints append-only.

Triggers reject UPDATE and DELETE (and TRUNCATE on PostgreSQL), so not even code with database
access that bypasses the application can rewrite history silently: doing so requires dropping
the triggers, which leaves the hash chain, the checkpoints and their published copy to expose
the change (``besa verify``).

A schema change can lose them: SQLite rebuilds a table for most ``AlterField`` operations and
the rebuilt table has no triggers (migration 0005 did exactly that). So they are installed by
the migration that last touches each protected table, reinstalled by ``besa migrate`` before
it checks anything, and their presence is a start-up check (``besa check``, ``besa serve``,
``besa worker``) and part of ``besa verify``. A test migrates empty databases from zero and
tries to rewrite history without touching the triggers itself.
"""

from __future__ import annotations

from typing import Any

TABLES = ("logbook_entry", "logbook_checkpoint")

_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION besa_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'besa: % is append-only', TG_TABLE_NAME; END $$"
)


def expected(vendor: str) -> list[str]:
    """The trigger names that must exist on ``vendor`` (``sqlite`` or ``postgresql``)."""
    ops = ("update", "delete", "truncate") if vendor == "postgresql" else ("update", "delete")
    return [f"{table}_no_{op}" for table in TABLES for op in ops]


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


def create_if_tables_exist(connection: Any) -> bool:
    """Install the triggers when the protected tables exist; True when they were (re)installed.

    For ``besa migrate``, which calls it before its own checks: a database whose triggers were
    lost gets them back on the next migrate, while an empty database gets them from the
    migrations."""
    if not set(TABLES) <= set(connection.introspection.table_names()):
        return False
    create(connection)
    return True


def missing(connection: Any) -> list[str]:
    """The expected triggers that the database does not have (empty when all are there).

    Enabled state counts on PostgreSQL: a trigger disabled with ``ALTER TABLE … DISABLE
    TRIGGER`` protects nothing, so it is reported as missing."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname = ANY(%s) AND NOT t.tgisinternal AND t.tgenabled <> 'D' "
                "AND pg_catalog.pg_table_is_visible(c.oid)",
                [list(TABLES)],
            )
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            return []
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected(connection.vendor) if name not in present]


def drop(connection: Any) -> None:
    """Drop the triggers. Only for tests that simulate an insider and for flushing a test
    database; a deployment never calls this."""
    with connection.cursor() as cursor:
        for table in TABLES:
            for op in ("update", "delete", "truncate"):
                if connection.vendor == "sqlite" and op != "truncate":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
                elif connection.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op} ON {table}")


def check(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """System check (``besa check`` and the start of every command that runs checks): the
    logbook tables, once they exist, must carry every append-only trigger."""
    from django.core import checks
    from django.db import DatabaseError, connection

    try:
        if not set(TABLES) <= set(connection.introspection.table_names()):
            return []  # not migrated yet: the migrations install them
        absent = missing(connection)
    except DatabaseError as exc:
        return [checks.Warning(f"could not check the append-only triggers: {exc}", id="besa.W001")]
    if not absent:
        return []
    return [
        checks.Error(
            f"The logbook is not append-only: the database lacks the triggers {', '.join(absent)}.",
            hint="Run `besa migrate`, which reinstalls them, then `besa verify`.",
            id="besa.E001",
        )
    ]

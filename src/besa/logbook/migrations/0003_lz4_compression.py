"""Compress the large JSON columns with lz4 on PostgreSQL (much cheaper than the default pglz
on every projection update). A server built without lz4 keeps its default."""

from django.db import migrations, transaction

COLUMNS = (("logbook_contractstate", "snapshot"), ("logbook_entry", "payload"))


def lz4(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(
                    f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4"
                )
        except Exception:  # noqa: BLE001 - no lz4 in this server build: keep pglz
            return


class Migration(migrations.Migration):
    dependencies = [("logbook", "0002_append_only_triggers")]

    operations = [migrations.RunPython(lz4, migrations.RunPython.noop)]

"""Make entries and checkpoints append-only in the database itself (see logbook/triggers.py)."""

from django.db import migrations

from besa.logbook import triggers


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    triggers.create(schema_editor.connection)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("logbook", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

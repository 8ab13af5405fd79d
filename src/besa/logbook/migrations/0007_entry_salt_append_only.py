"""Entries get the salt of their commitments; the append-only triggers are reinstalled.

Adding a column with a default makes SQLite rebuild ``logbook_entry``, and the rebuilt table has
no triggers (0005 lost them the same way), so this migration, the last to touch the protected
tables, installs them again. Every later migration that touches ``logbook_entry`` or
``logbook_checkpoint`` must end with the same operation; ``tests/logbook/test_triggers.py``
fails if one does not.
"""

from django.db import migrations, models

from besa.logbook import triggers


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    triggers.create(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("logbook", "0006_invoice_uuid_index")]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="salt",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]

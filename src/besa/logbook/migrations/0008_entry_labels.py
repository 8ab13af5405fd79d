"""Translated labels for the entry's columns (the admin showed them in English)."""

import django.db.models.deletion
import uuid
from django.db import migrations, models

from besa.logbook import triggers


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Labels only, no schema change; but the last migration touching logbook_entry
    # reinstalls the append-only triggers (see 0007).
    triggers.create(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("logbook", "0007_entry_salt_append_only"),
        ("registry", "0003_list_snapshots_sanction_matches_compliance_opinions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="entry",
            name="contract",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="registry.contract",
                verbose_name="contrato",
            ),
        ),
        migrations.AlterField(
            model_name="entry",
            name="hash",
            field=models.CharField(max_length=64, verbose_name="huella (SHA-256)"),
        ),
        migrations.AlterField(
            model_name="entry",
            name="idempotency_key",
            field=models.CharField(
                blank=True,
                max_length=200,
                null=True,
                unique=True,
                verbose_name="clave de idempotencia",
            ),
        ),
        migrations.AlterField(
            model_name="entry",
            name="ocid",
            field=models.CharField(db_index=True, max_length=100, verbose_name="ocid"),
        ),
        migrations.AlterField(
            model_name="entry",
            name="prev_hash",
            field=models.CharField(max_length=64, verbose_name="huella del asiento anterior"),
        ),
        migrations.AlterField(
            model_name="entry",
            name="salt",
            field=models.CharField(
                blank=True, default="", max_length=64, verbose_name="sal de los compromisos"
            ),
        ),
        migrations.AlterField(
            model_name="entry",
            name="seq",
            field=models.BigAutoField(
                primary_key=True, serialize=False, verbose_name="orden global"
            ),
        ),
        migrations.AlterField(
            model_name="entry",
            name="sequence",
            field=models.PositiveIntegerField(verbose_name="número en el contrato"),
        ),
        migrations.AlterField(
            model_name="entry",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="identificador"
            ),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]

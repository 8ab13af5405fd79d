"""Admin view of logbook entries: read-only, like the table itself (append-only triggers).

Entries are written by ``append()`` only; the admin lists and shows them for inspection."""

from django.contrib import admin

from besa.logbook.models import Entry
from besa.registry.admin import ReadOnlyAdmin


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("ocid", "sequence", "kind", "occurred_at", "recorded_at")
    list_filter = ("kind",)
    search_fields = ("ocid", "uuid", "hash")
    readonly_fields = [f.name for f in Entry._meta.fields]

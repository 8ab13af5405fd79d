"""Jobs in the admin: read-only (the worker writes them; a person starts them on the web)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from besa.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "started_by", "state", "progress_done", "attempts")
    list_filter = ("kind", "state")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

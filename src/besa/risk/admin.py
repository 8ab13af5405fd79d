"""Admin: shareholders are entered here (they feed supplier networks); runs are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from besa.risk.models import RiskRun, Shareholder


@admin.register(Shareholder)
class ShareholderAdmin(admin.ModelAdmin):
    list_display = ["name", "supplier", "share_percent", "source"]
    search_fields = ["name", "rfc", "supplier__name", "supplier__rfc"]
    raw_id_fields = ["supplier"]


@admin.register(RiskRun)
class RiskRunAdmin(admin.ModelAdmin):
    """Runs explain stored results: they are never edited."""

    list_display = ["started_at", "kind", "institution", "since", "until", "population_size"]
    list_filter = ["kind"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

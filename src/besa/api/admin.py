"""Admin view of API tokens: who holds which, when used, revoked. Never the token itself
(only its SHA-256 is stored, and even that is not shown). Tokens are created with
``besa token create``, which prints the token once."""

from django.contrib import admin
from django.http import HttpRequest

from besa.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "shown", "created_at", "last_used_at", "expires_at",
                    "revoked_at")  # fmt: skip
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "shown")
    fields = ("name", "user", "shown", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = ("name", "user", "shown", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a token must be shown to its holder once: ``besa token create``

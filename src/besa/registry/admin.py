"""Django admin for the registry catalogues (central administrators).

Catalogues (institutions, buying units, suppliers, users, lists) are edited here. Contracts
are not: a contract's row is the projection of its logbook (``besa.registry.projection``),
created by registration and changed only by appending entries, so the admin shows contracts,
entries and alerts read-only (``ReadOnlyAdmin``). The identifiers a logbook quotes (a buying
unit's code, a supplier's RFC) are read-only once created, so that no catalogue edit can make
a registry row disagree with its logbook.
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from besa.registry.models import (
    BuyingUnit,
    ComplianceOpinion,
    Contract,
    ContractSupplier,
    Institution,
    InstitutionBudget,
    Listing,
    ListSnapshot,
    MatchMethod,
    PefLimit,
    PriorRescission,
    SanctionMatch,
    Supplier,
    User,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows (the change view renders every field read-only) and never writes them:
    no add, change or delete, for anyone, superusers included."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """An inline of a read-only admin: shown, never written."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")


@admin.register(BuyingUnit)
class BuyingUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "institution")
    list_filter = ("institution__level",)
    search_fields = ("code", "name", "institution__code")
    autocomplete_fields = ("institution",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code",) if obj is not None else ()  # registration entries quote it


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ("rfc", "name", "person_type", "country", "rfc_warning")
    search_fields = ("rfc", "name")
    list_filter = ("person_type", "country")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("rfc",) if obj is not None else ()  # registration entries quote it


class ContractSupplierInline(ReadOnlyInline):
    model = ContractSupplier
    fields = ("supplier", "share_percent")
    readonly_fields = ("supplier", "share_percent")


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    """Contracts, read-only: registered by ``register_contract``, changed by logbook entries
    (a rectification of the registration, an amendment)."""

    list_display = ("number", "buying_unit", "title", "signing_date", "amount", "currency")
    list_filter = ("procedure_type", "contracting_type", "currency", "regime")
    search_fields = ("number", "ocid", "title", "buying_unit__code")
    inlines = (ContractSupplierInline,)
    date_hierarchy = "signing_date"


@admin.register(User)
class BesaUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "institution", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("BESA", {"fields": ("role", "institution", "buying_units", "oversees")}),
    )
    filter_horizontal = ("buying_units", "oversees", "groups", "user_permissions")


@admin.register(ListSnapshot)
class ListSnapshotAdmin(admin.ModelAdmin):
    """Imported list files: read-only history (``besa import sat-69b|sanctions`` writes them)."""

    list_display = ("list", "snapshot_date", "row_count", "skipped_count", "imported_at",
                    "rescreened_at", "file_name")  # fmt: skip
    list_filter = ("list",)
    readonly_fields = [f.name for f in ListSnapshot._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ("rfc", "name", "list", "status", "published", "start", "end", "snapshot_date")
    list_filter = ("list", "status", "snapshot_date")
    search_fields = ("rfc", "name", "name_key")


@admin.action(description=_("Confirmar coincidencia (cuenta para A18)"))
def confirm_matches(admin_: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> None:
    _decide(admin_, request, queryset, confirm=True)


@admin.action(description=_("Rechazar coincidencia"))
def reject_matches(admin_: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> None:
    _decide(admin_, request, queryset, confirm=False)


def _decide(
    admin_: admin.ModelAdmin, request: HttpRequest, queryset: Any, *, confirm: bool
) -> None:
    from besa.exceptions import BesaError
    from besa.interop.lists.matching import decide

    done = opened = 0
    for match in queryset.filter(method=MatchMethod.NAME):
        try:
            report = decide(match.pk, request.user, confirm=confirm, now=timezone.now())
        except BesaError as exc:
            admin_.message_user(request, str(exc), level=messages.ERROR)
            return
        done += 1
        opened += report.opened
    admin_.message_user(
        request, _("%(done)d coincidencias decididas; %(opened)d alertas abiertas")
        % {"done": done, "opened": opened}
    )  # fmt: skip


@admin.register(SanctionMatch)
class SanctionMatchAdmin(admin.ModelAdmin):
    """The manual step of name matching: coordinators and administrators decide here or
    with ``besa sanctions confirm|reject``; only confirmed matches count for A18."""

    list_display = ("id", "supplier", "name_on_list", "method", "confidence", "status",
                    "decided_by", "decided_at")  # fmt: skip
    list_filter = ("status", "method")
    search_fields = ("supplier__rfc", "supplier__name", "name_on_list")
    actions = (confirm_matches, reject_matches)
    readonly_fields = [f.name for f in SanctionMatch._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ComplianceOpinion)
class ComplianceOpinionAdmin(admin.ModelAdmin):
    list_display = ("supplier", "source", "result", "issued_on", "valid_until", "folio")
    list_filter = ("source", "result")
    search_fields = ("supplier__rfc", "supplier__name", "folio")
    autocomplete_fields = ("supplier",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not obj.recorded_at:
            obj.recorded_at = timezone.now()
        super().save_model(request, obj, form, change)


# Rule inputs: written only through ``besa.registry.ruleinputs`` (file imports and the API),
# which checks them and re-evaluates the contracts they concern; the admin only shows them.


@admin.register(InstitutionBudget)
class InstitutionBudgetAdmin(ReadOnlyAdmin):
    list_display = ("institution", "fiscal_year", "amount", "source", "recorded_at")
    list_filter = ("fiscal_year",)


@admin.register(PefLimit)
class PefLimitAdmin(ReadOnlyAdmin):
    list_display = ("fiscal_year", "budget_above", "budget_up_to", "direct_award_max",
                    "invitation_max", "source")  # fmt: skip
    list_filter = ("fiscal_year",)


@admin.register(PriorRescission)
class PriorRescissionAdmin(ReadOnlyAdmin):
    list_display = ("rfc", "supplier_name", "institution_code", "contract_number",
                    "rescinded_on", "source")  # fmt: skip
    search_fields = ("rfc", "supplier_name", "contract_number")

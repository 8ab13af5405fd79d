"""Django admin for the registry catalogues (central administrators)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from besa.registry.models import BuyingUnit, Contract, ContractSupplier, Institution, Supplier, User


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


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ("rfc", "name", "person_type", "country", "rfc_warning")
    search_fields = ("rfc", "name")
    list_filter = ("person_type", "country")


class ContractSupplierInline(admin.TabularInline):
    model = ContractSupplier
    autocomplete_fields = ("supplier",)
    extra = 1


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("number", "buying_unit", "title", "signing_date", "amount", "currency")
    list_filter = ("procedure_type", "contracting_type", "currency", "regime")
    search_fields = ("number", "ocid", "title", "buying_unit__code")
    autocomplete_fields = ("buying_unit",)
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

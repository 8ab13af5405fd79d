"""Admin views of alerts, notifications (with their delivery failures) and webhooks.

Alerts are read-only: the rules open and close them, and people attend them through the
lifecycle (``besa.alerts.lifecycle``), which records every change as an event."""

from django.contrib import admin

from besa.alerts.models import Alert, AlertEvent, Notification, WebhookSubscription
from besa.registry.admin import ReadOnlyAdmin, ReadOnlyInline


class AlertEventInline(ReadOnlyInline):
    model = AlertEvent
    readonly_fields = ("at", "action", "from_state", "to_state", "actor", "reason", "documents")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("rule", "severity", "state", "ocid", "subject", "opened_at", "escalation_level")
    list_filter = ("rule", "severity", "state", "escalation_level")
    search_fields = ("ocid", "subject")
    readonly_fields = [f.name for f in Alert._meta.fields]
    inlines = (AlertEventInline,)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "address", "event", "status", "attempts", "last_error")
    list_filter = ("status", "channel", "event")
    search_fields = ("address", "alert__ocid")
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "institution", "active")

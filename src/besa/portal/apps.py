from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "besa.portal"
    label = "portal"
    verbose_name = "Portal ciudadano"

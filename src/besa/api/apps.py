from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "besa.api"
    label = "api"
    verbose_name = "API"

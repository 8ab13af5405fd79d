from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "besa.interop"
    label = "interop"
    verbose_name = "Interoperabilidad"

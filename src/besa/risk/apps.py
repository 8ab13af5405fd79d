from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "besa.risk"
    label = "risk"
    verbose_name = "Riesgo"

from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "besa.complaints"
    label = "complaints"
    verbose_name = "Denuncias ciudadanas"

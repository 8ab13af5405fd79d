from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "besa.documents"
    label = "documents"

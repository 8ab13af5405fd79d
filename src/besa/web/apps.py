from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "besa.web"
    label = "web"

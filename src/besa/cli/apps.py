from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "besa.cli"
    label = "cli"

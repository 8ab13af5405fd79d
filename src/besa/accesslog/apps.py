from django.apps import AppConfig


class AccessLogConfig(AppConfig):
    name = "besa.accesslog"
    label = "accesslog"
    verbose_name = "registro de accesos"

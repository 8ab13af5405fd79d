from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "besa.signin"
    label = "signin"

    def ready(self) -> None:
        from django.core import checks

        from besa.signin import deploy

        checks.register(deploy.deployment_checks, checks.Tags.security, deploy=True)
        checks.register(deploy.demo_devices, checks.Tags.database, deploy=True)

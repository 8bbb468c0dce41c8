from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Accounts and security"

    def ready(self) -> None:
        from core import checks, signals

        checks.register()
        signals.connect()

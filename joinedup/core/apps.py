from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "joinedup.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from joinedup.core import checks  # noqa: F401  (registers the deploy checks)

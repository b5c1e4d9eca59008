from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cchc.dossiers"
    label = "dossiers"
    verbose_name = "Một cửa — hồ sơ thủ tục hành chính"

    def ready(self) -> None:
        # Registers the unit-tree hooks and the one-stop desk's metrics.
        from . import metrics, receivers  # noqa: F401

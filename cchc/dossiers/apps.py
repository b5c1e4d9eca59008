from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cchc.dossiers"
    label = "dossiers"
    verbose_name = "Một cửa — hồ sơ thủ tục hành chính"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (registers the unit-tree hooks)

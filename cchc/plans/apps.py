from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cchc.plans"
    label = "plans"
    verbose_name = "Kế hoạch CCHC"

    def ready(self) -> None:
        from . import metrics, receivers  # noqa: F401  (registers metrics and tree hooks)

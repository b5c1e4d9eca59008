from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cchc.plans"
    label = "plans"
    verbose_name = "Kế hoạch CCHC"

    def ready(self) -> None:
        from . import metrics  # noqa: F401  (registers the plans metrics)

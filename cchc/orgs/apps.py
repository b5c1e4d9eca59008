from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "cchc.orgs"
    label = "orgs"
    verbose_name = "Đơn vị và người dùng"

    def ready(self) -> None:
        from . import metrics  # noqa: F401  (registers the orgs metrics)

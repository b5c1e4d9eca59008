from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cchc.reporting"
    label = "reporting"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        from importlib import import_module

        try:  # the metrics module lands with the reporting services
            import_module(f"{self.name}.metrics")
        except ModuleNotFoundError as error:
            if error.name != f"{self.name}.metrics":
                raise

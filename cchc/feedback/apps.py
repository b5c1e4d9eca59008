from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "cchc.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị và khảo sát sự hài lòng"

    def ready(self) -> None:
        # Registers the unit-tree hooks and the feedback metrics.
        from . import metrics, receivers  # noqa: F401
        from .survey_metrics import METRICS as _survey_metrics  # noqa: F401

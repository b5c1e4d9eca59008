from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "cchc.intake"
    label = "intake"
    verbose_name = "Nhập kế hoạch từ văn bản"

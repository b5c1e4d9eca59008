from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "cchc.metrics"
    label = "metrics"
    verbose_name = "Số liệu đo lường"

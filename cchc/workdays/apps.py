from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "cchc.workdays"
    label = "workdays"
    verbose_name = "Lịch ngày làm việc"

"""Periodic reporting pages, mounted at /reports/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_home, name="report_home"),
    path("open/", views.report_open, name="report_open"),
    path("completeness/", views.report_completeness, name="report_completeness"),
    path("<int:pk>/", views.report_edit, name="report_edit"),
    path("<int:pk>/versions/", views.report_versions, name="report_versions"),
    path("<int:pk>/review/", views.report_review, name="report_review"),
    path("<int:pk>/consolidate/", views.report_consolidate, name="report_consolidate"),
    path("<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("schedules/<int:pk>/calendar.xlsx", views.report_calendar_xlsx, name="report_calendar_xlsx"),
    path("attachments/<int:pk>/", views.report_attachment, name="report_attachment"),
]

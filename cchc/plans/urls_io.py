"""Excel and Word import and export of a plan (see views_io)."""

from django.urls import path

from . import views_io as views

urlpatterns = [
    path("<int:pk>/tasks.xlsx", views.plan_tasks_xlsx, name="plan_tasks_xlsx"),
    path("<int:pk>/plan.docx", views.plan_docx, name="plan_docx"),
    path("<int:pk>/import/", views.plan_tasks_import, name="plan_tasks_import"),
    path("<int:pk>/signed/", views.plan_signed, name="plan_signed"),
]

from django.urls import path

from . import views_tasks as views

urlpatterns = [
    path("tasks/", views.task_mine, name="task_mine"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("<int:pk>/dashboard/", views.plan_dashboard, name="plan_dashboard"),
]

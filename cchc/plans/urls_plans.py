"""Plans, their indicators and tasks, cascading and coverage (see views_plans)."""

from django.urls import path

from . import views_plans as views

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/status/", views.plan_status, name="plan_status"),
    path("<int:pk>/indicators/new/", views.indicator_add, name="plan_indicator_add"),
    path("<int:pk>/indicators/<int:indicator_pk>/edit/", views.indicator_edit, name="plan_indicator_edit"),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/remove/", views.indicator_remove, name="plan_indicator_remove"
    ),
    path("<int:pk>/indicators/<int:indicator_pk>/value/", views.indicator_entry, name="plan_indicator_entry"),
    path("<int:pk>/tasks/new/", views.task_add, name="plan_task_add"),
    path("<int:pk>/tasks/<int:task_pk>/edit/", views.task_edit, name="plan_task_edit"),
    path("<int:pk>/tasks/<int:task_pk>/remove/", views.task_remove, name="plan_task_remove"),
    path("<int:pk>/cascade/", views.plan_cascade, name="plan_cascade"),
    path("<int:pk>/derive/", views.plan_derive, name="plan_derive"),
    path("<int:pk>/coverage/", views.plan_coverage, name="plan_coverage"),
]

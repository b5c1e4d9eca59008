"""The officers' feedback screens, mounted at /feedback/ (names unnamespaced, `feedback_`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.feedback_queue, name="feedback_queue"),
    path("export.xlsx", views.feedback_export, name="feedback_export"),
    path("<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("<int:pk>/act/<slug:action>/", views.feedback_act, name="feedback_act"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.feedback_attachment,
        name="feedback_attachment",
    ),
]

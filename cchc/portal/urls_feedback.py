"""The citizen's feedback pages, inside the `portal` namespace (/public/feedback/)."""

from django.urls import path

from . import views_feedback

urlpatterns = [
    path("new/", views_feedback.feedback_new, name="feedback_new"),
    path("received/", views_feedback.feedback_receipt, name="feedback_receipt"),
    path("status/", views_feedback.feedback_status, name="feedback_status"),
    path("answers/", views_feedback.feedback_answers, name="feedback_answers"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("", views.intake_upload, name="intake_upload"),
    path("<int:pk>/", views.intake_review, name="intake_review"),
]

"""The public pages (no sign-in): procedures, dossier status."""

from django.urls import include, path
from django.views.generic import RedirectView

from . import views

app_name = "portal"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:procedure_list", permanent=False), name="home"),
    path("procedures/", views.procedure_list, name="procedure_list"),
    path("procedures/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("status/", views.dossier_status, name="status"),
    path("feedback/", include("cchc.portal.urls_feedback")),
    path("survey/", include("cchc.portal.urls_survey")),
]

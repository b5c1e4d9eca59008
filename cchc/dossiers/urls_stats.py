"""The one-stop desk's statistics, mounted at /dossiers/statistics/."""

from django.urls import path

from . import views_stats

urlpatterns = [
    path("", views_stats.dossier_stats, name="dossier_stats"),
    path("export.xlsx", views_stats.dossier_stats_export, name="dossier_stats_export"),
]

"""The one-stop desk's pages: desk screens, statistics, catalogue and imports."""

from django.urls import include, path

urlpatterns = [
    path("statistics/", include("cchc.dossiers.urls_stats")),
    path("io/", include("cchc.dossiers.urls_io")),
    path("", include("cchc.dossiers.urls_desk")),
]

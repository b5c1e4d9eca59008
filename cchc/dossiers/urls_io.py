"""Excel in and out for the one-stop desk: /dossiers/io/…"""

from django.urls import path

from . import views_io

urlpatterns = [
    path("procedures/", views_io.procedure_io, name="procedure_io"),
    path("procedures/export/", views_io.procedure_export, name="procedure_export"),
    path("history/", views_io.dossier_history_import_view, name="dossier_history_import"),
    path("history/template/", views_io.dossier_history_template, name="dossier_history_template"),
]

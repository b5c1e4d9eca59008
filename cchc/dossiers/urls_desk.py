"""The desk screens, mounted at /dossiers/."""

from django.urls import path

from . import views_desk

urlpatterns = [
    path("", views_desk.dossier_queue, name="dossier_queue"),
    path("export.xlsx", views_desk.dossier_queue_export, name="dossier_queue_export"),
    path("receive/", views_desk.dossier_receive, name="dossier_receive"),
    path("receive/procedures/", views_desk.dossier_receive_procedures, name="dossier_receive_procedures"),
    path("receive/documents/", views_desk.dossier_receive_documents, name="dossier_receive_documents"),
    path("<int:pk>/", views_desk.dossier_detail, name="dossier_detail"),
    path("<int:pk>/act/<slug:action>/", views_desk.dossier_act, name="dossier_act"),
    path("<int:pk>/receipt.docx", views_desk.dossier_receipt_docx, name="dossier_receipt_docx"),
    path(
        "<int:pk>/control-sheet.docx",
        views_desk.dossier_control_sheet_docx,
        name="dossier_control_sheet_docx",
    ),
    path("<int:pk>/result/", views_desk.dossier_result_file, name="dossier_result_file"),
    path("apology/<int:pk>.docx", views_desk.dossier_apology_docx, name="dossier_apology_docx"),
]

"""The officers' survey screens, mounted at /surveys/ (names `survey_…`)."""

from django.urls import path

from . import views_surveys

urlpatterns = [
    path("", views_surveys.survey_campaign_list, name="survey_campaign_list"),
    path("new/", views_surveys.survey_campaign_create, name="survey_campaign_create"),
    path("<int:pk>/", views_surveys.survey_campaign_detail, name="survey_campaign_detail"),
    path("<int:pk>/live/", views_surveys.survey_campaign_live, name="survey_campaign_live"),
    path("<int:pk>/close/", views_surveys.survey_campaign_close, name="survey_campaign_close"),
    path("<int:pk>/results.xlsx", views_surveys.survey_export_results, name="survey_export_results"),
    path("<int:pk>/answers.xlsx", views_surveys.survey_export_answers, name="survey_export_answers"),
]

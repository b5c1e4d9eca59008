"""The public survey pages, inside the `portal` namespace (/public/survey/)."""

from django.urls import path

from . import views_survey

urlpatterns = [
    path("<str:token>/", views_survey.survey_form, name="survey_form"),
    path("<str:token>/thanks/", views_survey.survey_thanks, name="survey_thanks"),
    path("<str:token>/poster/", views_survey.survey_poster, name="survey_poster"),
    path("<str:token>/qr.png", views_survey.survey_qr_png, name="survey_qr"),
]

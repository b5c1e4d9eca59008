"""The shipped questionnaires are loaded as survey templates, and read back unchanged."""

import pytest

from cchc.feedback.models import SurveyOption, SurveyQuestion, SurveyTemplate
from cchc.feedback.questionnaires import QUESTIONNAIRES
from cchc.feedback.surveys_sync import questionnaire_for, template_sync

pytestmark = pytest.mark.django_db


def test_every_shipped_questionnaire_is_a_template_that_reads_back_identical():
    assert set(SurveyTemplate.objects.values_list("code", flat=True)) >= set(QUESTIONNAIRES)
    for code, questionnaire in QUESTIONNAIRES.items():
        assert questionnaire_for(SurveyTemplate.objects.get(code=code)) == questionnaire


def test_sync_is_idempotent_and_keeps_the_rows_answers_point_at():
    template = SurveyTemplate.objects.get(code="parents-primary")
    ids = set(SurveyQuestion.objects.filter(template=template).values_list("id", flat=True))
    options = SurveyOption.objects.filter(question__template=template).count()
    template_sync(QUESTIONNAIRES["parents-primary"])
    assert set(SurveyQuestion.objects.filter(template=template).values_list("id", flat=True)) == ids
    assert SurveyOption.objects.filter(question__template=template).count() == options

"""Loading the shipped questionnaires (`questionnaires.QUESTIONNAIRES`) into survey
templates, and reading a template back as a `Questionnaire` that `sipas` scores.

`template_sync` is idempotent and keyed on codes: it adds what is missing, updates
texts, labels and order, and never deletes a question or an option (answers point at
them). Used by migration 0004 and by `cchc generate`.
"""

from __future__ import annotations

from django.db import transaction

from .questionnaires import QUESTIONNAIRES, Area, Option, Question, Questionnaire


def template_sync(questionnaire: Questionnaire, *, models=None):
    """Create or update the template of `questionnaire`; returns the template.

    `models` maps model names to classes (a migration passes its historical models)."""
    if models is None:
        from . import survey_models as m

        models = {
            "SurveyTemplate": m.SurveyTemplate,
            "SurveyArea": m.SurveyArea,
            "SurveyQuestion": m.SurveyQuestion,
            "SurveyOption": m.SurveyOption,
        }
    Template, AreaModel = models["SurveyTemplate"], models["SurveyArea"]
    QuestionModel, OptionModel = models["SurveyQuestion"], models["SurveyOption"]
    with transaction.atomic():
        template, _ = Template.objects.update_or_create(
            code=questionnaire.code,
            defaults={"title": questionnaire.title, "source": questionnaire.source},
        )
        areas = {}
        for position, area in enumerate(questionnaire.areas):
            areas[area.code], _ = AreaModel.objects.update_or_create(
                template=template,
                code=area.code,
                defaults={
                    "title": area.title,
                    "part": area.part,
                    "parent": areas.get(area.parent) if area.parent else None,
                    "position": position,
                },
            )
        for position, question in enumerate(questionnaire.questions):
            row, _ = QuestionModel.objects.update_or_create(
                template=template,
                code=question.code,
                defaults={
                    "area": areas[question.area],
                    "text": question.text,
                    "kind": question.kind,
                    "wording": question.wording,
                    "position": position,
                },
            )
            for option_position, option in enumerate(question.options):
                OptionModel.objects.update_or_create(
                    question=row,
                    code=option.code,
                    defaults={"label": option.label, "position": option_position},
                )
    return template


def templates_sync_all(*, models=None) -> None:
    for questionnaire in QUESTIONNAIRES.values():
        template_sync(questionnaire, models=models)


def questionnaire_for(template) -> Questionnaire:
    """The template as the plain `Questionnaire` the index is computed on (3 queries)."""
    areas = list(template.areas.select_related("parent").order_by("position", "id"))
    questions = list(
        template.questions.select_related("area").prefetch_related("options").order_by("position", "id")
    )
    return Questionnaire(
        code=template.code,
        title=template.title,
        source=template.source,
        areas=tuple(Area(a.code, a.title, a.part, a.parent.code if a.parent_id else None) for a in areas),
        questions=tuple(
            Question(
                q.code,
                q.text,
                q.kind,
                q.area.code,
                tuple(
                    Option(o.code, o.label) for o in sorted(q.options.all(), key=lambda o: (o.position, o.id))
                ),
                q.wording,
            )
            for q in questions
        ),
    )

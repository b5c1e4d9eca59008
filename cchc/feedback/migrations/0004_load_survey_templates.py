"""Loads the questionnaires cchc ships (SIPAS 2017, SIPAS 2023, parents of a primary
school) as survey templates; idempotent, keyed on codes."""

from django.db import migrations


def load(apps, schema_editor):
    from cchc.feedback.surveys_sync import templates_sync_all

    templates_sync_all(
        models={name: apps.get_model("feedback", name) for name in ("SurveyTemplate", "SurveyArea", "SurveyQuestion", "SurveyOption")}
    )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_surveys")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

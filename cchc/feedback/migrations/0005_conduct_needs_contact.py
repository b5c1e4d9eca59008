"""Feedback on an officer's conduct needs the sender's contact too.

Decree 20/2008/NĐ-CP art. 5(1) puts "delay, harassment, non-compliance of an agency or an
officer" within the decree, and art. 7(1)(d) (written feedback) requires "tên, địa chỉ,
số điện thoại (hoặc địa chỉ thư tín khi cần liên hệ)" — read in the official codification
(docs/law/feedback.md). A feedback without them is "không tiếp nhận" (art. 9(1)(d)).
Only a kind whose contact flag has not been changed by an administrator is updated.
"""

from django.db import migrations

BASIS = "Nghị định 20/2008/NĐ-CP (Điều 5, Điều 7), sửa đổi bởi Nghị định 92/2017/NĐ-CP"


def forward(apps, schema_editor):
    FeedbackKind = apps.get_model("feedback", "FeedbackKind")
    FeedbackKind.objects.filter(code="about_conduct", sender_contact_required=False).update(
        sender_contact_required=True, legal_basis=BASIS
    )
    FeedbackKind.objects.filter(code="complaint_about_rules").update(legal_basis=BASIS)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0004_load_survey_templates")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

"""The three kinds of feedback the glossary names, with their deadlines.

Legal basis: Decree 20/2008/NĐ-CP on receiving and handling feedback and petitions of
individuals and organisations on administrative regulations, as amended by Decree
92/2017/NĐ-CP. Verified: the decree covers feedback on administrative regulations
(mechanisms, policies, administrative procedures — art. 1, art. 3(1)) and not complaints
or denunciations (art. 1); the receiving agency forwards a feedback on a difficulty
caused by an agency's or an officer's delay, inconvenience or non-compliance to the
agency competent for it, and a feedback on a regulation outside its competence within 05
working days of receipt (the process for electronic feedback as amended in 2017).
NOT verified: the time limit for the answer (10 working days is the figure commonly
quoted, used here as the default) and the sender details art. 7(4) requires. Both are
fields of `FeedbackKind` the administrators can change in the admin.
"""

from django.db import migrations

BASIS = "Nghị định 20/2008/NĐ-CP, sửa đổi bởi Nghị định 92/2017/NĐ-CP"

KINDS = [
    {
        "code": "complaint_about_rules",
        "name": "Phản ánh, kiến nghị về quy định hành chính, thủ tục hành chính",
        "description": (
            "Về cơ chế, chính sách, thủ tục hành chính: quy định không hợp lý, không khả thi, "
            "không đồng bộ, không thống nhất; đề xuất sửa đổi, bổ sung."
        ),
        "deadline_days": 10,
        "sender_name_required": True,
        "sender_contact_required": True,
        "legal_basis": BASIS,
        "position": 1,
    },
    {
        "code": "about_conduct",
        "name": "Phản ánh về hành vi, thái độ của cán bộ, công chức, viên chức",
        "description": (
            "Chậm trễ, gây phiền hà, không thực hiện hoặc thực hiện không đúng quy định hành chính "
            "của cơ quan, cán bộ, công chức, viên chức."
        ),
        "deadline_days": 10,
        "sender_name_required": True,
        "sender_contact_required": False,
        "legal_basis": BASIS,
        "position": 2,
    },
    {
        "code": "suggestion",
        "name": "Góp ý, đề xuất sáng kiến",
        "description": "Góp ý, đề xuất cải tiến việc phục vụ người dân của cơ quan, nhà trường.",
        "deadline_days": 10,
        "sender_name_required": False,
        "sender_contact_required": False,
        "legal_basis": "",
        "position": 3,
    },
]


def seed(apps, schema_editor):
    FeedbackKind = apps.get_model("feedback", "FeedbackKind")
    for values in KINDS:
        FeedbackKind.objects.update_or_create(code=values["code"], defaults=values)


def unseed(apps, schema_editor):
    FeedbackKind = apps.get_model("feedback", "FeedbackKind")
    FeedbackKind.objects.filter(code__in=[k["code"] for k in KINDS], feedback__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

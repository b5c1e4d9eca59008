"""The signed plan document: kept with the plan, checked by content, read within scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.plans.tests.factories import make_annual_plan

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def plan(province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_annual_plan(province)


def upload(client, plan, name, content):
    return client.post(
        reverse("plan_signed", args=[plan.pk]),
        {"document": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_the_officer_attaches_the_signed_pdf_and_lower_units_download_it(client, province, plan):
    client.force_login(province.dept_officer)
    response = upload(client, plan, "KH 15-KH-SGDĐT đã ký.pdf", PDF)
    assert "Đã lưu văn bản đã ký của kế hoạch." in response.content.decode()
    plan.refresh_from_db()
    assert plan.attachment.name.endswith(".pdf")
    assert AuditEvent.objects.filter(event="plan.signed_attached", target_id=str(plan.pk)).exists()
    client.force_login(province.school_a1_head)  # the plan is issued: lower units read it
    download = client.get(reverse("plan_signed", args=[plan.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")


def test_a_program_or_a_web_page_is_refused_and_nothing_is_kept(client, province, plan):
    client.force_login(province.dept_officer)
    for name, content in (("ky.pdf", b"MZ" + b"\0" * 64), ("ky.pdf", b"<html><script>x</script>")):
        response = upload(client, plan, name, content)
        assert "Nội dung tệp không khớp" in response.content.decode() or "không được phép" in (
            response.content.decode()
        )
    plan.refresh_from_db()
    assert not plan.attachment


def test_only_managers_attach_and_outsiders_see_nothing(client, province, plan):
    client.force_login(province.school_a1_head)
    assert client.post(reverse("plan_signed", args=[plan.pk]),
                       {"document": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    client.force_login(province.office_b_officer)
    from cchc.plans import services

    draft = services.plan_create(actor=province.office_a_officer, issuer=province.office_a, kind="annual",
                                 title="KH Văn Giang", period_start=plan.period_start,
                                 period_end=plan.period_end)
    assert client.get(reverse("plan_signed", args=[draft.pk])).status_code == 404
    assert client.post(reverse("plan_signed", args=[draft.pk]),
                       {"document": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404

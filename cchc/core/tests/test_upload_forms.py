"""Every upload form judges a file by its bytes: a program or a web page renamed to
.pdf, .docx or .xlsx is refused with a Vietnamese message and nothing is stored.

(The public feedback form, the desk's result file and the report attachments have the
same test next to them: portal/tests/test_views_feedback.py, dossiers/tests/
test_views_desk.py, reporting/tests/test_services.py.)"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cchc.dossiers.models import Dossier, Procedure
from cchc.intake.models import IntakeDraft
from cchc.plans.models import Evidence

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/orgs/me')</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
DISGUISES = [("ke-hoach.pdf", EXE), ("ke-hoach.docx", HTML), ("bang.xlsx", EXE), ("anh.pdf", SVG)]
REFUSALS = ("Loại tệp không được phép", "Nội dung tệp không khớp với phần mở rộng",
            "không phải tệp Excel .xlsx thật", "Chỉ nhận tệp Word (.docx), PDF hoặc văn bản (.txt)",
            "Tệp .docx không phải là văn bản Word", "Tệp Word bị hỏng", "Định dạng tệp không được hỗ trợ")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(province):
    from cchc.plans.tests.factories import make_annual_plan

    return make_annual_plan(province)


def refused(response) -> bool:
    html = response.content.decode()
    return response.status_code in (200, 400, 422) and any(words in html for words in REFUSALS)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name, content", DISGUISES)
def test_plan_intake(province, name, content):
    response = as_user(province.dept_officer).post(
        reverse("intake_upload"), {"unit": province.department.pk, "file": SimpleUploadedFile(name, content)})

    assert refused(response)
    assert not IntakeDraft.objects.exists()


@pytest.mark.parametrize("name, content", DISGUISES)
def test_the_signed_plan_document(province, plan, name, content):
    response = as_user(province.dept_officer).post(
        reverse("plan_signed", args=[plan.pk]), {"document": SimpleUploadedFile(name, content)}, follow=True)

    assert refused(response)
    plan.refresh_from_db()
    assert not plan.attachment


@pytest.mark.parametrize("name, content", DISGUISES)
def test_task_progress_evidence(province, plan, name, content):
    task = plan.tasks.order_by("pk").first()
    response = as_user(province.dept_officer).post(
        reverse("task_progress", args=[task.pk]),
        {"status": "in_progress", "percent": "40", "comment": "", "files": SimpleUploadedFile(name, content)},
        HTTP_HX_REQUEST="true")

    assert refused(response)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("name, content", DISGUISES)
def test_task_progress_evidence_through_the_api(province, plan, name, content):
    from cchc.orgs.services_tokens import api_token_issue

    task = plan.tasks.order_by("pk").first()
    _token, secret = api_token_issue(actor=province.dept_officer, user=province.dept_officer, name="t")
    response = Client().post(
        f"/api/plans/tasks/{task.pk}/progress/files",
        {"status": "in_progress", "percent": "40", "files": SimpleUploadedFile(name, content)},
        HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 400
    assert any(words in response.json()["message"] for words in REFUSALS)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("name, content", [("phu-luc.xlsx", EXE), ("phu-luc.xlsx", HTML)])
def test_the_plan_appendix_import(province, plan, name, content):
    before = plan.tasks.count()
    response = as_user(province.dept_officer).post(
        reverse("plan_tasks_import", args=[plan.pk]), {"file": SimpleUploadedFile(name, content)})

    assert refused(response)
    assert plan.tasks.count() == before


@pytest.mark.parametrize("name, content", [("danh-muc.xlsx", EXE), ("danh-muc.xlsx", HTML)])
def test_the_procedure_catalogue_import(province, name, content):
    response = as_user(province.admin).post(reverse("procedure_io"),
                                            {"file": SimpleUploadedFile(name, content)})

    assert refused(response)
    assert not Procedure.objects.exists()


@pytest.mark.parametrize("name, content", [("ho-so.xlsx", EXE), ("ho-so.xlsx", HTML)])
def test_the_dossier_history_import(province, name, content):
    response = as_user(province.desk_officer).post(
        reverse("dossier_history_import"), {"unit": "HY-VG", "file": SimpleUploadedFile(name, content)})

    assert refused(response)
    assert not Dossier.objects.exists()

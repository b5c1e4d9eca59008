"""The receipt prints the satisfaction survey's QR code beside the status page's when a
per-dossier campaign covering the dossier's unit is open on the day it is printed."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from cchc.documents.pdf import docx_to_pdf, libreoffice_available
from cchc.feedback import surveys
from cchc.feedback.survey_models import SurveyTemplate

from ..letters import SURVEY_LINE, _qr_png, receipt_docx
from .factories import make_procedure, receive
from .test_letters import images_of, pdf_text, text_of

pytestmark = pytest.mark.django_db

STATUS_URL = "https://motcua.example.vn/public/status/?code="


def open_campaign(province, *, unit=None, actor=None, per_dossier=True, days=(-2, 20)):
    today = surveys.today()
    return surveys.campaign_create(
        actor=actor or province.dept_officer,
        template=SurveyTemplate.objects.get(code="sipas-2023"),
        unit=unit or province.department,
        title="Đo lường sự hài lòng về giải quyết thủ tục hành chính",
        starts_on=today + dt.timedelta(days=days[0]),
        ends_on=today + dt.timedelta(days=days[1]),
        per_dossier=per_dossier,
    )


@pytest.fixture
def dossier(province):
    province.procedure = make_procedure(name="Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", code="1.005092")
    return receive(province.office_a, province.procedure, actor=province.desk_officer)


def test_two_qr_codes_and_the_survey_line_when_a_survey_url_is_given(dossier):
    survey_url = f"https://motcua.example.vn/public/survey/ABCDEFGHJKMN/?dossier={dossier.code}"
    docx = receipt_docx(dossier, status_url=STATUS_URL + dossier.code, survey_url=survey_url)
    text = text_of(docx)
    # Printed without "?dossier=…" (the form asks for the code, printed above); the code carries it all.
    assert SURVEY_LINE in text and "https://motcua.example.vn/public/survey/ABCDEFGHJKMN/" in text
    assert "?dossier=" not in text
    assert STATUS_URL + dossier.code in text
    assert images_of(docx) == [_qr_png(STATUS_URL + dossier.code), _qr_png(survey_url)]


def test_no_survey_no_second_code(dossier):
    docx = receipt_docx(dossier, status_url=STATUS_URL + dossier.code)
    assert SURVEY_LINE not in text_of(docx)
    assert len(images_of(docx)) == 1


def test_the_desk_s_receipt_carries_the_open_campaign_s_link_for_the_dossier(client, province, dossier):
    client.force_login(province.desk_officer)
    url = reverse("dossier_receipt_docx", args=[dossier.pk])
    assert len(images_of(client.get(url).content)) == 1  # no campaign yet
    open_campaign(province, per_dossier=False)
    open_campaign(province, days=(3, 20))  # not started
    assert len(images_of(client.get(url).content)) == 1
    campaign = open_campaign(province)  # the department's, covering Văn Giang's office
    docx = client.get(url).content
    link = campaign.links.get(unit=province.office_a)
    survey_url = f"http://testserver/public/survey/{link.token}/?dossier={dossier.code}"
    assert f"http://testserver/public/survey/{link.token}/" in text_of(docx)
    assert images_of(docx)[1] == _qr_png(survey_url)
    # The address the code encodes opens the form with the dossier filled in.
    page = client.get(survey_url.removeprefix("http://testserver"))
    assert page.status_code == 200
    assert f'value="{dossier.code}"' in page.content.decode()


def test_the_receipt_with_both_codes_stays_on_one_page_in_the_pdf(dossier):
    # The widest random part a code can get, and a longer domain than the example's.
    dossier.code = dossier.code[:-5] + "WWWWW"
    survey_url = f"https://dichvucong.sogddt.example.gov.vn/public/survey/ABCDEFGHJKMN/?dossier={dossier.code}"
    docx = receipt_docx(dossier, status_url=STATUS_URL + dossier.code, survey_url=survey_url)
    text = pdf_text(docx)  # skips without LibreOffice, as the receipt's own tests
    assert "đánh giá mức độ hài lòng" in text and dossier.code in text
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    assert libreoffice_available()
    info = subprocess.run(
        ["pdfinfo", "-"], input=docx_to_pdf(docx), capture_output=True, check=True, timeout=60
    ).stdout.decode()
    pages = next(line for line in io.StringIO(info) if line.startswith("Pages:"))
    assert pages.split()[1] == "1"

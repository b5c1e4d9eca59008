"""The public survey form: a parent opens the unit's link, answers, is thanked; what
is refused and how the form keeps the answers; the poster and the QR image."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import segno
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.dossiers.tests.factories import make_procedure, receive
from cchc.feedback import survey_qr, surveys
from cchc.feedback.survey_models import (
    SurveyAnswer,
    SurveyLink,
    SurveyQuestion,
    SurveyResponse,
    SurveyTemplate,
)
from cchc.portal import antispam

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_minimum_time(settings):
    settings.CCHC_FORM_MIN_SECONDS = 0


@pytest.fixture
def template():
    return SurveyTemplate.objects.get(code="parents-primary")


def campaign_for(province, template, *, days=(-3, 30), per_dossier=False, unit=None, actor=None):
    today = surveys.today()
    return surveys.campaign_create(
        actor=actor or province.office_a_officer,
        template=template,
        unit=unit or province.office_a,
        title="Khảo sát sự hài lòng của cha mẹ học sinh",
        starts_on=today + dt.timedelta(days=days[0]),
        ends_on=today + dt.timedelta(days=days[1]),
        per_dossier=per_dossier,
    )


@pytest.fixture
def link(province, template):
    campaign = campaign_for(province, template)
    return SurveyLink.objects.get(campaign=campaign, unit=province.school_a1)


def form_url(link, **query):
    url = reverse("portal:survey_form", args=[link.token])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def post_data(**answers):
    data = {antispam.TOKEN_FIELD: antispam.form_token(), antispam.HONEYPOT_FIELD: "", "via": "link"}
    data.update({f"q_{code}": value for code, value in answers.items()})
    return data


def test_the_form_shows_the_questionnaire_in_order(client, link):
    response = client.get(form_url(link))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trường Tiểu học Xuân Quan" in html
    assert "Khảo sát sự hài lòng của cha mẹ học sinh" in html
    positions = [html.index(f'name="q_{code}"') for code in ("TT1", "TC1", "CS1", "HL1", "DX1", "DX2")]
    assert positions == sorted(positions)
    assert html.count('type="radio" name="q_TC1"') == 5
    assert 'type="checkbox" name="q_TT2"' in html
    assert '<textarea name="q_DX2"' in html
    assert "<legend" in html and 'name="website"' in html and 'name="form_ts"' in html
    assert "noindex" in html
    assert 'name="dossier"' not in html  # not a per-dossier campaign


def test_an_unknown_token_is_404(client, link):
    assert client.get("/public/survey/NOPE123/").status_code == 404
    assert client.get("/public/survey/NOPE123/poster/").status_code == 404
    assert client.get("/public/survey/NOPE123/qr.png").status_code == 404


def test_a_parent_answers_and_is_thanked(client, link):
    response = client.post(
        form_url(link), post_data(TT1="2", TT2=["1", "4"], HL1="5", TC1="4", DX2="Cảm ơn nhà trường")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:survey_thanks", args=[link.token])
    thanks = client.get(response["Location"])
    assert "Cảm ơn Ông/Bà đã tham gia khảo sát" in thanks.content.decode()
    answer = SurveyResponse.objects.get()
    assert answer.unit == link.unit and answer.channel == "link"
    assert SurveyAnswer.objects.filter(response=answer).count() == 6
    assert not AuditEvent.objects.filter(target_type="feedback.surveyresponse").exists()


def test_after_an_error_every_answer_is_kept_and_the_error_is_linked(client, link, template):
    SurveyQuestion.objects.filter(template=template, code="HL1").update(required=True)
    response = client.post(
        form_url(link), post_data(TT1="3", TT2=["2", "5"], TC1="4", DX2="Ý kiến <b>riêng</b>")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="err_q_HL1"' in html and 'aria-describedby="err_q_HL1"' in html
    assert 'href="#id_q_HL1_0"' in html
    assert 'name="q_TT1" value="3" id="id_q_TT1_2" checked' in html
    assert 'name="q_TT2" value="2" id="id_q_TT2_1" checked' in html
    assert 'name="q_TT2" value="5" id="id_q_TT2_4" checked' in html
    assert 'name="q_TC1" value="4" id="id_q_TC1_3" checked' in html
    assert "Ý kiến &lt;b&gt;riêng&lt;/b&gt;</textarea>" in html
    assert "(Câu bắt buộc)" in html
    assert not SurveyResponse.objects.exists()


def test_a_robot_filling_the_honeypot_is_refused_and_answers_kept(client, link):
    data = post_data(TT1="1")
    data[antispam.HONEYPOT_FIELD] = "http://spam.example"
    response = client.post(form_url(link), data)
    assert response.status_code == 400
    assert 'value="1" id="id_q_TT1_0" checked' in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_posts_are_limited_per_address(client, link):
    for _ in range(10):
        client.post(form_url(link), post_data(TT1="9"))  # refused answers count too
    response = client.post(form_url(link), post_data(TT1="1"))
    assert response.status_code == 429
    assert "Retry-After" in response
    assert 'value="1" id="id_q_TT1_0" checked' in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_closed_campaign_says_when_it_ended_with_410(client, province, template):
    campaign = campaign_for(province, template, days=(-10, -2))
    link = campaign.links.get(unit=province.school_a1)
    response = client.get(form_url(link))
    assert response.status_code == 410
    html = response.content.decode()
    ended = (surveys.today() - dt.timedelta(days=2)).strftime("%d/%m/%Y")
    assert "đã kết thúc" in html and ended in html
    assert client.post(form_url(link), post_data(TT1="1")).status_code == 410
    assert not SurveyResponse.objects.exists()


def test_a_campaign_closed_early_ends_on_its_closing_day(client, province, template, link):
    surveys.campaign_close(actor=province.office_a_officer, campaign=link.campaign)
    response = client.get(form_url(link))
    assert response.status_code == 410
    assert surveys.today().strftime("%d/%m/%Y") in response.content.decode()


def test_a_campaign_not_started_says_when_it_starts(client, province, template):
    campaign = campaign_for(province, template, days=(5, 20))
    link = campaign.links.get(unit=province.school_a1)
    response = client.get(form_url(link))
    assert response.status_code == 200
    html = response.content.decode()
    assert "chưa bắt đầu" in html
    assert (surveys.today() + dt.timedelta(days=5)).strftime("%d/%m/%Y") in html
    assert 'name="q_TT1"' not in html


@pytest.fixture
def per_dossier(province, template):
    campaign = campaign_for(province, template, per_dossier=True)
    dossier = receive(province.office_a, make_procedure())
    return campaign.links.get(unit=province.office_a), dossier


def test_the_receipt_s_link_prefills_the_dossier_and_takes_one_answer(client, per_dossier):
    link, dossier = per_dossier
    html = client.get(form_url(link, dossier=dossier.code)).content.decode()
    assert f'name="dossier" id="id_dossier" value="{dossier.code}"' in html
    assert 'name="via" value="receipt"' in html
    data = post_data(HL1="5") | {"dossier": dossier.code, "via": "receipt"}
    assert client.post(form_url(link), data).status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.dossier == dossier and saved.channel == "receipt"
    again = client.post(form_url(link), post_data(HL1="1") | {"dossier": dossier.code, "via": "receipt"})
    assert again.status_code == 400
    html = again.content.decode()
    assert "Hồ sơ này đã được đánh giá" in html and 'id="id_dossier_error"' in html
    assert 'value="1" id="id_q_HL1_0" checked' in html
    assert SurveyResponse.objects.count() == 1


def test_a_dossier_of_another_office_is_refused(client, province, per_dossier):
    link, _ = per_dossier
    outsider = receive(province.office_b, make_procedure())
    response = client.post(form_url(link), post_data(HL1="5") | {"dossier": outsider.code, "via": "receipt"})
    assert response.status_code == 400
    assert "Không tìm thấy hồ sơ" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_qr_png_encodes_the_form_address(client, link):
    response = client.get(reverse("portal:survey_qr", args=[link.token]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    url = "http://testserver" + reverse("portal:survey_form", args=[link.token])
    expected = io.BytesIO()
    segno.make(url, error="m", micro=False).save(expected, kind="png", scale=8, border=2)
    assert response.content == expected.getvalue()
    assert response.content == survey_qr.qr_png(url)


def test_the_poster_shows_the_unit_the_campaign_the_qr_and_the_address(client, link):
    response = client.get(reverse("portal:survey_poster", args=[link.token]))
    assert response.status_code == 200
    html = response.content.decode()
    url = "http://testserver" + reverse("portal:survey_form", args=[link.token])
    assert "Trường Tiểu học Xuân Quan" in html and link.campaign.title in html
    assert url in html and "<svg" in html and "@page" in html
    assert reverse("portal:survey_qr", args=[link.token]) in html


def test_a_link_of_a_sibling_unit_answers_for_that_unit_only(client, province, template):
    """The token is the only key: a sibling office's link records for the sibling."""
    campaign = campaign_for(province, template, unit=province.department, actor=province.dept_officer)
    sibling = campaign.links.get(unit=province.office_b)
    assert client.post(form_url(sibling), post_data(HL1="4")).status_code == 302
    assert SurveyResponse.objects.get().unit == province.office_b


def test_the_form_keeps_the_origin_for_the_csrf_check(client, link):
    """ "no-referrer" would make browsers send `Origin: null` with the POST, which
    Django's CSRF check refuses; "same-origin" keeps the token out of other sites."""
    html = client.get(form_url(link)).content.decode()
    assert '<meta name="referrer" content="same-origin">' in html
    assert "no-referrer" not in html
    assert 'name="csrfmiddlewaretoken"' in html

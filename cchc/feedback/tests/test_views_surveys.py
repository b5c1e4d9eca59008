"""The officers' survey screens: list, open, detail (live counts, results, comparison,
periods, links), close and the Excel downloads; scoped (a sibling unit's user gets 404)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cchc.feedback.survey_models import SurveyCampaign, SurveyLink

from .test_survey_results_data import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(province):
    template, campaign, previous = build(province)
    return campaign


def login(client, user):
    client.force_login(user)
    return client


def test_the_list_shows_campaigns_organised_in_or_covering_the_users_units(client, province, survey):
    login(client, province.office_a_officer)
    page = client.get(reverse("survey_campaign_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert survey.title in text and "Khảo sát sự hài lòng 2025" in text
    assert "Đã kết thúc" in text  # the 2025 campaign
    assert [c.respondents for c in page.context["campaigns"]] == [12, 2]
    # A school covered by office A's campaign sees it too.
    login(client, province.school_a1_head)
    assert [c.pk for c in client.get(reverse("survey_campaign_list")).context["campaigns"]][0] == survey.pk
    # Office B (sibling) sees neither.
    login(client, province.office_b_officer)
    assert list(client.get(reverse("survey_campaign_list")).context["campaigns"]) == []


def test_the_list_is_one_query_for_the_campaigns(client, province, survey, django_assert_max_num_queries):
    login(client, province.dept_officer)
    with django_assert_max_num_queries(8):
        client.get(reverse("survey_campaign_list"))


def test_the_detail_shows_the_hand_computed_index_and_the_formula(client, province, survey):
    login(client, province.office_a_officer)
    page = client.get(reverse("survey_campaign_detail", args=[survey.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert page.context["overall_percent"] == "55,30 %"  # 73/132
    assert 'id="survey-overall">55,30 %<' in text
    assert "Chỉ số của một tiêu chí (câu hỏi) = (số phiếu “Hài lòng” + số phiếu “Rất hài lòng”)" in text
    # Q1 row: 6 satisfied of 11 answered = 54,55 %.
    q1 = next(q for a in page.context["areas"] for q in a["questions"] if q["question"].code == "Q1")
    assert (q1["index"].satisfied, q1["index"].answered, q1["percent"]) == (6, 11, "54,55 %")
    # Ranking: A1 (74,11 %) ranked, A2 apart with 4/5.
    assert [(r.unit.name, r.percent) for r in page.context["comparison"].ranked] == [
        ("Trường Tiểu học Xuân Quan", "74,11 %")
    ]
    assert "Chưa đủ số phiếu (4/5)" in text
    # Options: M with shares over 100 % in total, and its note.
    m = next(c for c in page.context["charts"] if c["question"].code == "M")
    assert [o["share"] for o in m["options"]] == ["83,3 %", "50,0 %", "33,3 %"]
    assert "tổng các tỷ lệ có thể lớn hơn 100 %" in text
    # Links with the poster; live counts polled.
    link = SurveyLink.objects.get(campaign=survey, unit=province.school_a1)
    assert reverse("portal:survey_poster", args=[link.token]) in text
    assert 'hx-trigger="every 10s"' in text
    # Periods: October 4 responses at 100 %, November 8; the 2025 campaign.
    assert [(p["respondents"], p["percent"]) for p in page.context["periods"]["months"]][0] == (4, "100,00 %")
    assert [p["respondents"] for p in page.context["periods"]["campaigns"]] == [2, 12]
    # The free text, newest first.
    assert [t["text"] for t in page.context["texts"]] == [
        "Nhà vệ sinh cần sửa chữa",
        "Cần trồng thêm cây xanh",
    ]
    assert "Nhà vệ sinh cần sửa chữa" in text


def test_drilling_into_a_school_and_the_schools_own_view(client, province, survey):
    login(client, province.office_a_officer)
    page = client.get(reverse("survey_campaign_detail", args=[survey.pk]), {"unit": province.school_a2.pk})
    assert page.context["overall_percent"] == "18,75 %"
    assert "Chưa đủ số phiếu (4/5)" in page.content.decode()
    # The school head opens the office's campaign on their own school.
    login(client, province.school_a1_head)
    page = client.get(reverse("survey_campaign_detail", args=[survey.pk]))
    assert page.context["unit"] == province.school_a1
    assert page.context["overall_percent"] == "74,11 %"
    assert not page.context["can_close"]
    # …but not on the office nor on the other school.
    for unit in (province.office_a, province.school_a2):
        assert (
            client.get(reverse("survey_campaign_detail", args=[survey.pk]), {"unit": unit.pk}).status_code
            == 404
        )


def test_a_sibling_units_user_gets_404_everywhere(client, province, survey):
    login(client, province.office_b_officer)
    for name in (
        "survey_campaign_detail",
        "survey_campaign_live",
        "survey_export_results",
        "survey_export_answers",
    ):
        assert client.get(reverse(name, args=[survey.pk])).status_code == 404, name
    assert client.post(reverse("survey_campaign_close", args=[survey.pk])).status_code == 404
    # A unit outside the campaign's subtree is a 404 even for the department.
    login(client, province.dept_officer)
    url = reverse("survey_campaign_detail", args=[survey.pk])
    assert client.get(url, {"unit": province.office_b.pk}).status_code == 404
    assert client.get(url, {"unit": province.office_a.pk}).status_code == 200


def test_the_live_part(client, province, survey):
    login(client, province.office_a_officer)
    page = client.get(reverse("survey_campaign_live", args=[survey.pk]), {"unit": province.school_a1.pk})
    assert page.status_code == 200
    assert page.context["live"].respondents == 8
    text = page.content.decode()
    assert text.lstrip().startswith('<div class="stats survey-live"')
    # The part polls itself again, for the same unit.
    live_url = reverse("survey_campaign_live", args=[survey.pk]) + f"?unit={province.school_a1.pk}"
    assert f'hx-get="{live_url}"' in text


def test_the_detail_page_takes_a_fixed_number_of_queries(client, province, survey):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, province.dept_officer)
    url = reverse("survey_campaign_detail", args=[survey.pk])
    client.get(url)  # warm the session and the calendar
    counts = []
    for unit in (province.office_a, province.school_a1, province.school_a2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"unit": unit.pk}).status_code == 200
        counts.append(len(queries))
    # Whatever the number of child units, links and answers: no query per row. (A tally
    # skips its code lookup when nothing was answered and its distinct count when no
    # multiple-choice question was: up to a few queries fewer on an empty part.)
    assert max(counts) <= 36 and max(counts) - min(counts) <= 4, counts


def test_opening_a_campaign_through_the_form(client, province):
    login(client, province.office_a_officer)
    page = client.get(reverse("survey_campaign_create"))
    assert page.status_code == 200
    units = [c[0] for c in page.context["form"].fields["unit"].choices]
    assert str(province.office_a.pk) in units and str(province.office_b.pk) not in units
    from cchc.feedback.survey_models import SurveyTemplate

    template = SurveyTemplate.objects.get(code="parents-primary")
    data = {
        "template": template.pk,
        "title": "Khảo sát cha mẹ học sinh năm học 2026-2027",
        "unit": province.office_a.pk,
        "starts_on": "2026-12-10",
        "ends_on": "2026-12-01",
        "min_answers": "30",
    }
    page = client.post(reverse("survey_campaign_create"), data)
    assert page.status_code == 200  # refused: dates inverted, what was typed kept
    assert "Ngày kết thúc" in page.content.decode()
    assert page.context["form"]["title"].value() == data["title"]
    data["ends_on"] = "2027-01-31"
    page = client.post(reverse("survey_campaign_create"), data)
    campaign = SurveyCampaign.objects.get(title=data["title"])
    assert page.status_code == 302 and page["Location"] == reverse(
        "survey_campaign_detail", args=[campaign.pk]
    )
    assert campaign.unit == province.office_a and campaign.starts_on == dt.date(2026, 12, 10)
    assert SurveyLink.objects.filter(campaign=campaign).count() == 3  # office + 2 schools
    # The one-stop desk does not plan: no form.
    login(client, province.desk_officer)
    assert client.get(reverse("survey_campaign_create")).status_code == 403
    # A unit outside the user's is refused by the form (not in the choices).
    login(client, province.office_b_officer)
    data["unit"] = province.office_a.pk
    data["title"] = "x"
    assert client.post(reverse("survey_campaign_create"), data).status_code == 200
    assert not SurveyCampaign.objects.filter(title="x").exists()


def test_closing_a_campaign(client, province):
    from cchc.feedback import surveys
    from cchc.feedback.survey_models import SurveyTemplate

    today = surveys.today()
    campaign = surveys.campaign_create(
        actor=province.office_a_officer,
        template=SurveyTemplate.objects.get(code="parents-primary"),
        unit=province.office_a,
        title="Đợt đang mở",
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=30),
    )
    login(client, province.school_a1_head)  # covered, may read, may not close the office's
    assert client.post(reverse("survey_campaign_close", args=[campaign.pk])).status_code == 403
    login(client, province.office_a_officer)
    page = client.get(reverse("survey_campaign_detail", args=[campaign.pk]))
    assert page.context["can_close"] and "Đang diễn ra" in page.content.decode()
    page = client.post(reverse("survey_campaign_close", args=[campaign.pk]), follow=True)
    assert "Đã đóng đợt khảo sát" in page.content.decode()
    campaign.refresh_from_db()
    assert campaign.closed_at is not None
    page = client.post(reverse("survey_campaign_close", args=[campaign.pk]), follow=True)
    assert "Đợt khảo sát này đã được đóng." in page.content.decode()


def _workbook(response):
    assert response.status_code == 200
    return load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def test_the_results_workbook(client, province, survey):
    login(client, province.office_a_officer)
    book = _workbook(client.get(reverse("survey_export_results", args=[survey.pk])))
    units = book.worksheets[0]
    rows = [r for r in units.iter_rows(min_row=6, values_only=True) if r[0]]
    assert rows[0][1].startswith("Phòng Giáo dục và Đào tạo Văn Giang") and rows[0][2] == 12
    assert rows[0][4] == 55.3
    assert (rows[1][1], rows[1][2], rows[1][4]) == ("Trường Tiểu học Xuân Quan", 8, 74.11)
    assert (rows[2][1], rows[2][3], rows[2][4]) == ("Trường THCS Văn Giang", "Chưa đủ", 18.75)
    questions = [r for r in book.worksheets[1].iter_rows(min_row=6, values_only=True) if r[0]]
    assert questions[0][:6] == ("Q1", "Tiếp cận", "Thủ tục nhập học thuận tiện", 11, 6, 54.55)
    options = [r for r in book.worksheets[2].iter_rows(min_row=6, values_only=True) if r[0] == "M"]
    assert [(r[3], r[4]) for r in options] == [(5, 83.33), (3, 50.0), (2, 33.33)]


def test_the_answers_workbook_has_one_row_per_response_and_the_free_text(client, province, survey):
    login(client, province.office_a_officer)
    book = _workbook(
        client.get(reverse("survey_export_answers", args=[survey.pk]), {"unit": province.school_a1.pk})
    )
    sheet = book.worksheets[0]
    rows = [r for r in sheet.iter_rows(min_row=6, values_only=True) if r[0]]
    assert len(rows) == 8
    header = next(sheet.iter_rows(min_row=5, max_row=5, values_only=True))
    assert header[5:] == (
        "M. Kênh thông tin",
        "Q1. Thủ tục nhập học thuận tiện",
        "Q2. Công khai các khoản thu",
        "Q3. Phòng học an toàn",
        "H. Nhìn chung hài lòng",
        "T. Ý kiến khác",
    )
    first = rows[0]
    assert first[2] == "Trường Tiểu học Xuân Quan" and first[5] == "Họp; Tin nhắn"
    assert first[6] == "Rất hài lòng" and first[10] == "Cần trồng thêm cây xanh"
    assert rows[7][3] == "Phiếu giấy nhập lại"

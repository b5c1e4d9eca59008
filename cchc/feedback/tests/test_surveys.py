"""Survey writes: opening and closing a campaign, its links, anonymous responses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from cchc.core.errors import DomainError, PermissionDenied
from cchc.core.models import AuditEvent
from cchc.dossiers.tests.factories import make_procedure, receive
from cchc.feedback import surveys
from cchc.feedback.survey_models import (
    SurveyAnswer,
    SurveyCampaign,
    SurveyLink,
    SurveyQuestion,
    SurveyResponse,
    SurveyTemplate,
)
from cchc.orgs.models import UnitKind
from cchc.orgs.tests.factories import bulk_units
from cchc.workdays.calendar import VN_TZ

pytestmark = pytest.mark.django_db


def vn(y, m, d, hh=9, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


@pytest.fixture
def template():
    return SurveyTemplate.objects.get(code="parents-primary")


def open_campaign(province, template, *, unit=None, per_dossier=False, actor=None, **kw):
    today = surveys.today()
    values = {
        "starts_on": today - dt.timedelta(days=3),
        "ends_on": today + dt.timedelta(days=30),
        "title": "Khảo sát sự hài lòng của cha mẹ học sinh năm học 2026–2027",
    }
    values.update(kw)
    return surveys.campaign_create(
        actor=actor or province.office_a_officer,
        template=template,
        unit=unit or province.office_a,
        per_dossier=per_dossier,
        **values,
    )


def full_answers(**overrides):
    answers = {"TT1": "2", "TT2": ["1", "3"], "HL1": "4", "TC1": "5", "DX2": "  Thêm giờ đón trẻ  "}
    answers.update(overrides)
    return answers


# --- campaigns -------------------------------------------------------------------------


def test_a_campaign_gets_a_link_for_its_unit_and_every_open_unit_below(province, template):
    campaign = open_campaign(province, template)
    links = SurveyLink.objects.filter(campaign=campaign)
    assert {link.unit for link in links} == {province.office_a, province.school_a1, province.school_a2}
    assert campaign.unit_path == province.office_a.path
    assert campaign.created_by == province.office_a_officer
    for link in links:
        assert len(link.token) == surveys.TOKEN_LENGTH
        assert set(link.token) <= set(surveys.CODE_ALPHABET)
    event = AuditEvent.objects.get(event="survey_campaign.created", target_id=str(campaign.pk))
    assert event.actor == province.office_a_officer
    assert event.changes["links"] == [None, 3]


def test_a_department_s_thousand_units_get_their_links_in_one_insert(
    province, template, django_assert_max_num_queries
):
    bulk_units(province.office_b, UnitKind.SCHOOL, 1000)
    with django_assert_max_num_queries(12):
        campaign = open_campaign(province, template, unit=province.department, actor=province.dept_officer)
    assert SurveyLink.objects.filter(campaign=campaign).count() == 1000 + 8


def test_a_closed_unit_gets_no_link(province, template):
    province.school_a2.closed_on = surveys.today() - dt.timedelta(days=10)
    province.school_a2.save()
    campaign = open_campaign(province, template)
    assert not SurveyLink.objects.filter(campaign=campaign, unit=province.school_a2).exists()


def test_only_a_planner_of_the_unit_opens_or_closes_a_campaign(province, template):
    for outsider in (province.office_b_officer, province.desk_officer, province.school_a1_staff):
        with pytest.raises(PermissionDenied):
            open_campaign(province, template, actor=outsider)
    campaign = open_campaign(province, template)
    with pytest.raises(PermissionDenied):
        surveys.campaign_close(actor=province.office_b_officer, campaign=campaign)
    assert SurveyCampaign.objects.count() == 1


def test_dates_title_and_template_are_checked(province, template):
    with pytest.raises(DomainError) as error:
        open_campaign(province, template, starts_on=dt.date(2026, 5, 2), ends_on=dt.date(2026, 5, 1))
    assert error.value.code == "dates_inverted" and error.value.field == "ends_on"
    with pytest.raises(DomainError) as error:
        open_campaign(province, template, title="  ")
    assert error.value.code == "title_required"
    with pytest.raises(DomainError) as error:
        open_campaign(province, template, min_answers=0)
    assert error.value.code == "min_answers_invalid"
    template.is_active = False
    template.save()
    with pytest.raises(DomainError) as error:
        open_campaign(province, template)
    assert error.value.code == "template_inactive"
    assert not SurveyCampaign.objects.exists()


def test_one_day_campaign_is_allowed(province, template):
    today = surveys.today()
    campaign = open_campaign(province, template, starts_on=today, ends_on=today)
    assert surveys.campaign_is_open(campaign)


def test_closing_early_stops_it_and_is_audited(province, template):
    campaign = open_campaign(province, template)
    assert surveys.campaign_is_open(campaign)
    surveys.campaign_close(actor=province.office_a_officer, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.closed_at is not None
    assert not surveys.campaign_is_open(campaign)
    assert surveys.campaign_state(campaign) == surveys.CLOSED
    assert AuditEvent.objects.filter(event="survey_campaign.closed", target_id=str(campaign.pk)).exists()
    with pytest.raises(DomainError) as error:
        surveys.campaign_close(actor=province.office_a_officer, campaign=campaign)
    assert error.value.code == "already_closed"


def test_open_is_read_in_vietnamese_days(province, template):
    campaign = open_campaign(province, template, starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 6))
    assert not surveys.campaign_is_open(campaign, dt.date(2026, 3, 1))
    assert surveys.campaign_is_open(campaign, dt.date(2026, 3, 2))
    assert surveys.campaign_is_open(campaign, dt.date(2026, 3, 6))
    assert not surveys.campaign_is_open(campaign, dt.date(2026, 3, 7))
    # 6 March 23:30 in Hà Nội is 16:30 UTC: still the last day.
    assert surveys.campaign_state(campaign, at=dt.datetime(2026, 3, 6, 16, 30, tzinfo=dt.UTC)) == surveys.OPEN
    assert (
        surveys.campaign_state(campaign, at=dt.datetime(2026, 3, 6, 17, 30, tzinfo=dt.UTC)) == surveys.CLOSED
    )
    assert surveys.campaign_state(campaign, at=vn(2026, 3, 1, 23, 59)) == surveys.NOT_STARTED


def test_link_for_a_unit_opened_later_and_not_outside(province, template):
    from cchc.orgs.tests.factories import make_unit

    campaign = open_campaign(province, template)
    new_school = make_unit("Trường Tiểu học Mới", UnitKind.SCHOOL, province.office_a, level="primary")
    link = surveys.link_for(campaign=campaign, unit=new_school)
    assert surveys.link_for(campaign=campaign, unit=new_school) == link
    with pytest.raises(DomainError) as error:
        surveys.link_for(campaign=campaign, unit=province.school_b1)
    assert error.value.code == "unit_outside_campaign"


def test_open_links_of_a_unit_include_the_campaigns_above_it(province, template):
    mine = open_campaign(province, template)
    above = open_campaign(province, template, unit=province.department, actor=province.dept_officer)
    open_campaign(province, template, unit=province.office_b, actor=province.office_b_officer)
    links = surveys.open_campaign_links_for_unit(province.school_a1)
    assert [link.campaign for link in links] == [mine, above]
    assert all(link.unit == province.school_a1 for link in links)


# --- responses -------------------------------------------------------------------------


def test_a_response_is_stored_with_all_its_answers_in_one_insert(
    province, template, django_assert_max_num_queries
):
    campaign = open_campaign(province, template)
    link = SurveyLink.objects.get(campaign=campaign, unit=province.school_a1)
    with django_assert_max_num_queries(10):
        response = surveys.response_submit(token=link.token, answers=full_answers())
    assert response.unit == province.school_a1 and response.unit_path == province.school_a1.path
    assert response.channel == "link" and response.dossier is None
    answers = SurveyAnswer.objects.filter(response=response)
    assert answers.count() == 6  # TT2 is two rows
    assert {a.unit_path for a in answers} == {province.school_a1.path}
    assert {a.campaign_id for a in answers} == {campaign.pk}
    assert answers.get(question__code="DX2").text == "Thêm giờ đón trẻ"
    counts = dict(answers.filter(question__code="TT2").values_list("option__code").annotate(n=Count("id")))
    assert counts == {"1": 1, "3": 1}
    # Anonymous: nothing about the sender, and no audit row.
    assert not AuditEvent.objects.filter(target_type="feedback.surveyresponse").exists()


def test_texts_are_cut_at_2000_characters(province, template):
    campaign = open_campaign(province, template)
    token = campaign.links.first().token
    response = surveys.response_submit(token=token, answers={"DX2": "a" * 5000})
    assert len(response.answers.get().text) == surveys.TEXT_MAX


def test_wrong_answers_are_refused_together(province, template):
    campaign = open_campaign(province, template)
    token = campaign.links.first().token
    with pytest.raises(surveys.AnswersInvalid) as error:
        surveys.response_submit(token=token, answers={"TT1": "9", "HL1": ["4", "5"], "ZZ9": "1"})
    assert set(error.value.errors) == {"TT1", "HL1", "ZZ9"}
    assert "chỉ được chọn một" in error.value.errors["HL1"]
    assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()


def test_several_options_are_fine_on_a_multiple_question_and_a_tick_counts_once(province, template):
    campaign = open_campaign(province, template)
    token = campaign.links.first().token
    response = surveys.response_submit(token=token, answers={"DX1": ["1", "2", "2"]})
    assert response.answers.count() == 2


def test_required_questions_must_be_answered(province, template):
    SurveyQuestion.objects.filter(template=template, code="HL1").update(required=True)
    campaign = open_campaign(province, template)
    token = campaign.links.first().token
    with pytest.raises(surveys.AnswersInvalid) as error:
        surveys.response_submit(token=token, answers={"TT1": "1", "HL1": ""})
    assert list(error.value.errors) == ["HL1"]
    with pytest.raises(DomainError) as error:
        surveys.response_submit(token=token, answers={})
    assert error.value.code == "answers_invalid"


def test_an_empty_form_is_refused(province, template):
    campaign = open_campaign(province, template)
    with pytest.raises(DomainError) as error:
        surveys.response_submit(token=campaign.links.first().token, answers={"DX2": "   "})
    assert error.value.code == "answers_empty"


def test_a_closed_or_not_started_campaign_takes_no_response(province, template):
    today = surveys.today()
    later = open_campaign(
        province, template, starts_on=today + dt.timedelta(days=2), ends_on=today + dt.timedelta(days=9)
    )
    with pytest.raises(DomainError) as error:
        surveys.response_submit(token=later.links.first().token, answers=full_answers())
    assert error.value.code == "campaign_not_started"
    assert "chưa bắt đầu" in error.value.message
    over = open_campaign(
        province, template, starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=1)
    )
    with pytest.raises(DomainError) as error:
        surveys.response_submit(token=over.links.first().token, answers=full_answers())
    assert error.value.code == "campaign_closed"
    assert (today - dt.timedelta(days=1)).strftime("%d/%m/%Y") in error.value.message
    closed = open_campaign(province, template)
    surveys.campaign_close(actor=province.office_a_officer, campaign=closed)
    with pytest.raises(DomainError) as error:
        surveys.response_submit(token=closed.links.first().token, answers=full_answers())
    assert error.value.code == "campaign_closed"
    with pytest.raises(DomainError) as error:
        surveys.response_submit(token="NOPE", answers=full_answers())
    assert error.value.code == "link_unknown"
    assert not SurveyResponse.objects.exists()


@pytest.fixture
def dossier_of_van_giang(province):
    return receive(province.office_a, make_procedure())


def test_a_per_dossier_campaign_takes_one_response_per_dossier_of_the_unit(
    province, template, dossier_of_van_giang
):
    campaign = open_campaign(province, template, per_dossier=True)
    link = SurveyLink.objects.get(campaign=campaign, unit=province.office_a)
    with pytest.raises(DomainError) as error:
        surveys.response_submit(token=link.token, answers=full_answers())
    assert error.value.code == "dossier_required"
    with pytest.raises(DomainError) as error:
        surveys.response_submit(token=link.token, answers=full_answers(), dossier_code="HY-XX-000")
    assert error.value.code == "dossier_unknown"
    response = surveys.response_submit(
        token=link.token,
        answers=full_answers(),
        dossier_code=dossier_of_van_giang.code.lower(),
        channel="receipt",
    )
    assert response.dossier == dossier_of_van_giang and response.channel == "receipt"
    with pytest.raises(DomainError) as error:
        surveys.response_submit(
            token=link.token, answers=full_answers(), dossier_code=dossier_of_van_giang.code
        )
    assert error.value.code == "dossier_already_answered"
    assert error.value.message == "Hồ sơ này đã được đánh giá."
    assert SurveyResponse.objects.count() == 1
    assert SurveyAnswer.objects.count() == 6


def test_a_dossier_of_another_unit_is_refused(province, template):
    other = receive(province.office_b, make_procedure())
    campaign = open_campaign(
        province, template, unit=province.department, actor=province.dept_officer, per_dossier=True
    )
    link = SurveyLink.objects.get(campaign=campaign, unit=province.office_a)
    with pytest.raises(DomainError) as error:
        surveys.response_submit(token=link.token, answers=full_answers(), dossier_code=other.code)
    assert error.value.code == "dossier_unknown"


def test_the_receipt_link_is_the_closest_open_per_dossier_campaign(province, template, dossier_of_van_giang):
    assert surveys.receipt_survey_link(dossier_of_van_giang) is None
    open_campaign(province, template)  # not per dossier
    assert surveys.receipt_survey_link(dossier_of_van_giang) is None
    above = open_campaign(
        province, template, unit=province.department, actor=province.dept_officer, per_dossier=True
    )
    link = surveys.receipt_survey_link(dossier_of_van_giang)
    assert link.campaign == above and link.unit == province.office_a
    mine = open_campaign(province, template, per_dossier=True)
    assert surveys.receipt_survey_link(dossier_of_van_giang).campaign == mine
    surveys.campaign_close(actor=province.office_a_officer, campaign=mine)
    assert surveys.receipt_survey_link(dossier_of_van_giang).campaign == above


def test_a_future_or_naive_time_is_refused(province, template):
    campaign = open_campaign(province, template)
    token = campaign.links.first().token
    with pytest.raises(DomainError) as error:
        surveys.response_submit(token=token, answers=full_answers(), submitted_at=dt.datetime(2026, 1, 1, 9))
    assert error.value.code == "naive_datetime"
    future = surveys._now() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as error:
        surveys.response_submit(token=token, answers=full_answers(), submitted_at=future)
    assert error.value.code in {"future_date", "campaign_closed"}

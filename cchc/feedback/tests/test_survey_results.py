"""The survey results read from the database, on the hand-computed fixture
(test_survey_results_data.py holds every figure worked out by hand)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction as F

import pytest

from cchc.feedback import sipas, survey_results
from cchc.feedback.surveys_sync import questionnaire_for

from .test_survey_results_data import TINY, build, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(province):
    template, campaign, previous = build(province)
    return campaign, previous


def test_a_school_tally_is_its_raw_counts(province, survey):
    campaign, _ = survey
    tally = survey_results.tally_for(campaign, province.school_a1)
    assert tally.respondents == 8
    assert tally.counts["Q1"] == {"5": 2, "4": 3, "3": 1, "2": 1, "_answered": 7}
    # Multiple choice: 6 answered, 10 ticks.
    assert tally.counts["M"] == {"1": 5, "2": 3, "3": 2, "_answered": 6}
    assert "T" not in tally.counts  # free text is not counted


def test_the_indexes_of_each_school_and_of_the_office_are_the_hand_computed_fractions(province, survey):
    campaign, _ = survey
    q = questionnaire_for(campaign.template)
    a1 = sipas.unit_result(survey_results.tally_for(campaign, province.school_a1), q, min_answers=5)
    assert a1.questions["Q1"].value == F(5, 7)
    assert a1.areas["A"].value == F(41, 56)
    assert a1.areas["B"].value == F(3, 4)
    assert a1.overall.value == F(83, 112)
    assert a1.overall.percent == Decimal("74.11")
    a2 = sipas.unit_result(survey_results.tally_for(campaign, province.school_a2), q, min_answers=5)
    assert a2.overall.value == F(3, 16)
    assert not a2.enough_answers
    office = sipas.unit_result(survey_results.tally_for(campaign, province.office_a), q, min_answers=5)
    assert office.respondents == 12
    assert [office.questions[c].value for c in ("Q1", "Q2", "Q3")] == [F(6, 11), F(2, 3), F(1, 2)]
    assert office.areas["A"].value == F(20, 33)
    assert office.overall.value == F(73, 132)
    assert office.overall.percent == Decimal("55.30")
    assert office.areas["O"].value == F(8, 12)
    # The roll-up pools the counts: the mean of the two schools' indexes is something else.
    assert (a1.overall.value + a2.overall.value) / 2 == F(13, 28) != office.overall.value


def test_the_tally_of_the_subtree_equals_the_sum_of_its_schools_and_the_pure_tally(province, survey):
    campaign, _ = survey
    from .test_survey_results_data import a1_answers, a2_answers

    pure = sipas.tally_responses(
        TINY, [{k: (None if v == "-" else v) for k, v in r.items()} for r in a1_answers() + a2_answers()]
    )
    assert survey_results.tally_for(campaign, province.office_a) == pure
    assert survey_results.tally_for(campaign, province.department) == pure


def test_since_and_until_cut_by_submission_time(province, survey):
    campaign, _ = survey
    october = survey_results.tally_for(
        campaign, province.office_a, since=vn(2026, 10, 1, 0), until=vn(2026, 11, 1, 0)
    )
    assert october.respondents == 4
    assert october.answered("Q2") == 4


def test_multiple_choice_shares_add_up_to_more_than_100_percent(province, survey):
    campaign, _ = survey
    tally = survey_results.tally_for(campaign, province.office_a)
    counts = sipas.option_counts(tally, TINY.question("M"))
    assert [(c.count, c.share) for c in counts] == [(5, F(5, 6)), (3, F(1, 2)), (2, F(1, 3))]
    assert sum(c.share for c in counts) == F(5, 3)


def test_children_are_ranked_and_the_school_below_the_minimum_is_apart(
    province, survey, django_assert_max_num_queries
):
    campaign, _ = survey
    q = questionnaire_for(campaign.template)
    by_child = survey_results.tallies_by_child(campaign, province.office_a)
    assert {pk: t.respondents for pk, t in by_child.items()} == {
        province.school_a1.pk: 8,
        province.school_a2.pk: 4,
    }
    with django_assert_max_num_queries(6):
        comparison = survey_results.child_results(campaign, province.office_a, q)
    assert [r.unit for r in comparison.ranked] == [province.school_a1]
    assert comparison.ranked[0].result.overall.value == F(83, 112)
    assert [(r.unit, r.result.respondents) for r in comparison.not_enough] == [(province.school_a2, 4)]
    # From the department, office A holds all 12 answers.
    top = survey_results.child_results(campaign, province.department, q)
    assert [(r.unit, r.result.overall.value) for r in top.ranked] == [(province.office_a, F(73, 132))]
    # Office B and the others got no answers: listed as not enough, with 0.
    assert province.office_b in [r.unit for r in top.not_enough]


def test_the_office_month_by_month_and_campaign_by_campaign(province, survey):
    campaign, previous = survey
    months = survey_results.monthly_tallies(campaign, province.office_a)
    assert [(m, t.respondents) for m, t in months] == [(dt.date(2026, 10, 1), 4), (dt.date(2026, 11, 1), 8)]
    assert months[0][1].answered("Q1") == 4
    years = survey_results.campaign_tallies(campaign, province.school_a1)
    assert [(c, t.respondents) for c, t in years] == [(previous, 2), (campaign, 8)]
    q = questionnaire_for(campaign.template)
    assert sipas.survey_index(years[0][1], q).value == 1


def test_live_counts_today_and_by_channel(province, survey):
    campaign, _ = survey
    live = survey_results.live_counts(campaign, province.office_a, now=vn(2026, 11, 23, 15))
    assert live.respondents == 12
    assert live.today == 1  # A2's fourth response, 23/11 09:00
    assert dict((c, n) for c, _l, n in live.by_channel) == {"link": 11, "receipt": 0, "paper": 1}


def test_counts_take_a_fixed_number_of_queries(province, survey, django_assert_num_queries):
    campaign, _ = survey
    # Respondents, option counts, the options' codes, distinct respondents of the
    # multiple-choice question: whatever the number of units and answers.
    with django_assert_num_queries(4):
        survey_results.tally_for(campaign, province.office_a)
    with django_assert_num_queries(4):
        survey_results.tallies_by_child(campaign, province.department)

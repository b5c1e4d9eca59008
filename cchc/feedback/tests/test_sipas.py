"""The satisfaction index by hand: a question, an area, the whole survey, a roll-up.

Pure Python (no database): runs with ``pytest cchc/feedback/tests/test_sipas.py -p no:django``.
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from cchc.feedback.questionnaires import (
    PARENTS_PRIMARY,
    QUESTIONNAIRES,
    SCALE5,
    SIPAS_2017,
    SIPAS_2023,
    Area,
    Question,
    Questionnaire,
)
from cchc.feedback.sipas import (
    ANSWERED,
    DEFAULT_MIN_ANSWERS,
    Aggregation,
    Tally,
    area_index,
    option_counts,
    question_index,
    rank_units,
    rollup,
    survey_index,
    tally_responses,
    unit_result,
)

# A small school survey: area X has two criteria, area Y one.
DEMO = Questionnaire(
    code="demo",
    title="Demo",
    source="test",
    areas=(Area("X", "Cơ sở vật chất", "satisfaction"), Area("Y", "Hoạt động giáo dục", "satisfaction")),
    questions=(
        Question("Q1", "Phòng học", "scale5", "X", SCALE5),
        Question("Q2", "Nhà vệ sinh", "scale5", "X", SCALE5),
        Question("Q3", "Giờ học", "scale5", "Y", SCALE5),
    ),
)


def scale_tally(respondents: int, **per_question: dict[str, int]) -> Tally:
    """Counts per level ("1".."5") for each question; ANSWERED is their sum."""
    return Tally(
        respondents,
        {code: {**levels, ANSWERED: sum(levels.values())} for code, levels in per_question.items()},
    )


# One school, 10 parents. Q2 was left blank by 2 of them.
#   Q1: 1×"Rất không hài lòng", 1×"Không hài lòng", 2×"Bình thường", 4×"Hài lòng", 2×"Rất hài lòng"
#   Q2:                                             2×"Bình thường", 5×"Hài lòng", 1×"Rất hài lòng"
#   Q3:                         2×"Không hài lòng", 3×"Bình thường", 3×"Hài lòng", 2×"Rất hài lòng"
SCHOOL = scale_tally(
    10,
    Q1={"1": 1, "2": 1, "3": 2, "4": 4, "5": 2},
    Q2={"3": 2, "4": 5, "5": 1},
    Q3={"2": 2, "3": 3, "4": 3, "5": 2},
)


def test_question_index_is_satisfied_answers_over_answers_to_that_question():
    # Q1: (4 + 2) satisfied / 10 answers = 60 %
    assert question_index(SCHOOL, DEMO.question("Q1")).value == Fraction(6, 10)
    # Q2: (5 + 1) / 8 answers — the 2 blanks are not in the denominator — = 75 %
    q2 = question_index(SCHOOL, DEMO.question("Q2"))
    assert (q2.satisfied, q2.answered, q2.percent) == (6, 8, Decimal("75.00"))
    # Q3: (3 + 2) / 10 = 50 %; "Bình thường" is not satisfied
    assert question_index(SCHOOL, DEMO.question("Q3")).percent == Decimal("50.00")


def test_area_index_is_the_mean_of_its_criteria():
    # X = (60 % + 75 %) / 2 = 67,5 %
    assert area_index(SCHOOL, DEMO, "X").value == Fraction(675, 1000)
    # pooled instead: (6 + 6) / (10 + 8) = 12/18 = 66,67 %
    pooled = area_index(SCHOOL, DEMO, "X", Aggregation.POOLED)
    assert pooled.value == Fraction(12, 18)
    assert pooled.percent == Decimal("66.67")
    # Y has one criterion: 50 %
    assert area_index(SCHOOL, DEMO, "Y").value == Fraction(1, 2)


def test_survey_index_is_the_mean_of_its_areas():
    # (67,5 % + 50 %) / 2 = 58,75 %
    whole = survey_index(SCHOOL, DEMO)
    assert whole.value == Fraction(5875, 10000)
    assert whole.percent == Decimal("58.75")
    assert (whole.satisfied, whole.answered) == (17, 28)  # shown beside the index
    # pooled: (6 + 6 + 5) / (10 + 8 + 10) = 17/28 = 60,71 %
    assert survey_index(SCHOOL, DEMO, Aggregation.POOLED).percent == Decimal("60.71")


def test_rollup_sums_raw_counts_and_differs_from_averaging_percentages():
    # A big school: 90 of 100 parents satisfied with Q3 (90 %); a small one: 1 of 10 (10 %).
    big = scale_tally(100, Q3={"3": 10, "4": 60, "5": 30})
    small = scale_tally(10, Q3={"1": 4, "2": 3, "3": 2, "5": 1})
    q3 = DEMO.question("Q3")
    assert question_index(big, q3).percent == Decimal("90.00")
    assert question_index(small, q3).percent == Decimal("10.00")

    office = rollup([big, small])
    # 91 satisfied of 110 answers = 82,73 % — the share of the office's parents who are satisfied
    assert office.respondents == 110
    assert question_index(office, q3).value == Fraction(91, 110)
    assert question_index(office, q3).percent == Decimal("82.73")
    # averaging the two percentages would say 50 %: the small school would weigh like the big one
    naive = (question_index(big, q3).value + question_index(small, q3).value) / 2
    assert naive == Fraction(1, 2)
    assert naive != question_index(office, q3).value


def test_rollup_then_the_same_formula_as_for_one_unit():
    # Two schools that together gave exactly SCHOOL's answers produce SCHOOL's indexes.
    a = scale_tally(6, Q1={"1": 1, "4": 4, "5": 1}, Q2={"4": 5}, Q3={"2": 2, "4": 3, "5": 1})
    b = scale_tally(4, Q1={"2": 1, "3": 2, "5": 1}, Q2={"3": 2, "5": 1}, Q3={"3": 3, "5": 1})
    both = rollup([a, b])
    assert both == SCHOOL
    assert survey_index(both, DEMO).value == survey_index(SCHOOL, DEMO).value


def test_a_unit_below_the_minimum_shows_not_enough_answers_and_is_not_ranked():
    tiny = scale_tally(9, Q1={"5": 9}, Q2={"5": 9}, Q3={"5": 9})  # 100 %, but only 9 parents
    results = {
        "school-a": unit_result(SCHOOL, DEMO, min_answers=10),
        "school-b": unit_result(tiny, DEMO, min_answers=10),
    }
    assert results["school-a"].enough_answers
    assert not results["school-b"].enough_answers
    assert rank_units(results) == (["school-a"], ["school-b"])
    # the threshold is a setting: at 5 the tiny school is ranked, first
    lower = {k: unit_result(t, DEMO, min_answers=5) for k, t in (("school-a", SCHOOL), ("school-b", tiny))}
    assert rank_units(lower) == (["school-b", "school-a"], [])
    assert unit_result(SCHOOL, DEMO).enough_answers is (10 >= DEFAULT_MIN_ANSWERS)
    with pytest.raises(ValueError):
        unit_result(SCHOOL, DEMO, min_answers=0)


def test_a_unit_without_answers_has_no_index_rather_than_zero():
    empty = Tally(0, {})
    assert survey_index(empty, DEMO).value is None
    assert unit_result(empty, DEMO, min_answers=1).overall.percent is None


def test_tally_from_responses_counts_each_option_of_a_multiple_choice_on_its_own():
    responses = [
        {"TT2": ["1", "3"], "HL1": "5", "DX2": "<script>alert(1)</script>"},
        {"TT2": ["3"], "HL1": "4"},
        {"TT2": [], "HL1": "3"},  # TT2 left blank
    ]
    tally = tally_responses(PARENTS_PRIMARY, responses)
    assert tally.respondents == 3
    channels = {o.code: (o.count, o.share) for o in option_counts(tally, PARENTS_PRIMARY.question("TT2"))}
    # 2 parents answered TT2; option 3 ticked by both, option 1 by one, the others by nobody
    assert channels["3"] == (2, Fraction(1))
    assert channels["1"] == (1, Fraction(1, 2))
    assert channels["6"] == (0, Fraction(0))
    assert len(channels) == 6  # every option is listed, chosen or not
    assert sum(c for c, _ in channels.values()) == 3  # shares add up to 150 %: ticks, not people
    # HL1: 2 satisfied of 3 — the "overall" question has its own index
    assert question_index(tally, PARENTS_PRIMARY.question("HL1")).value == Fraction(2, 3)
    assert "DX2" not in tally.counts  # free text is not counted


def test_tally_rejects_answers_the_form_does_not_have():
    with pytest.raises(ValueError):
        tally_responses(PARENTS_PRIMARY, [{"HL1": "6"}])
    with pytest.raises(ValueError):
        tally_responses(PARENTS_PRIMARY, [{"HL1": ["4", "5"]}])
    with pytest.raises(KeyError):
        tally_responses(PARENTS_PRIMARY, [{"NOPE": "1"}])


def test_sipas_2023_service_index_is_the_mean_of_its_five_areas():
    # Every respondent answers every criterion; area k gets satisfied share s_k.
    shares = {
        "service.access": 8,
        "service.procedure": 6,
        "service.staff": 10,
        "service.result": 4,
        "service.feedback": 7,
    }
    counts = {}
    for q in SIPAS_2023.questions:
        if q.area in shares:
            counts[q.code] = {"5": shares[q.area], "3": 10 - shares[q.area], ANSWERED: 10}
    tally = Tally(10, counts)
    # (80 + 60 + 100 + 40 + 70) / 5 = 70 %, although the areas have 4, 4, 5, 3, 3 criteria
    assert area_index(tally, SIPAS_2023, "service").percent == Decimal("70.00")
    # pooled would weight areas by their number of criteria: (32+24+50+12+21)/190 = 73,16 %
    assert area_index(tally, SIPAS_2023, "service", Aggregation.POOLED).percent == Decimal("73.16")
    # nobody answered the policy part: the survey index is the service index alone
    assert survey_index(tally, SIPAS_2023).percent == Decimal("70.00")


@pytest.mark.parametrize("questionnaire", list(QUESTIONNAIRES.values()), ids=list(QUESTIONNAIRES))
def test_questionnaires_are_well_formed(questionnaire):
    codes = [q.code for q in questionnaire.questions]
    assert len(codes) == len(set(codes)), "question codes are unique"
    area_codes = [a.code for a in questionnaire.areas]
    assert len(area_codes) == len(set(area_codes))
    for area in questionnaire.areas:
        assert area.parent is None or area.parent in area_codes
    assert questionnaire.index_areas(), "something to compute an index of"
    for q in questionnaire.questions:
        assert q.area in area_codes, f"{q.code}: its area exists"
        assert q.text.strip()
        option_codes = [o.code for o in q.options]
        assert len(option_codes) == len(set(option_codes))
        if q.kind == "scale5":
            assert q.options == SCALE5, f"{q.code}: the 5 levels, worst first"
        elif q.kind in ("single", "multiple"):
            assert len(q.options) >= 2
        else:
            assert q.kind == "text" and not q.options
    for area in questionnaire.index_areas():
        assert questionnaire.scored_questions(area.code), f"{area.code} has criteria"


def test_questionnaire_codes_are_unique_and_the_scale_reads_in_vietnamese():
    assert len(QUESTIONNAIRES) == 3
    assert [o.label for o in SCALE5] == [
        "Rất không hài lòng",
        "Không hài lòng",
        "Bình thường",
        "Hài lòng",
        "Rất hài lòng",
    ]


def test_sipas_2017_has_five_areas_and_22_criteria():
    areas = [a.code for a in SIPAS_2017.index_areas()]
    assert areas == ["access", "procedure", "staff", "result", "feedback"]
    per_area = [len(SIPAS_2017.scored_questions(a)) for a in areas]
    assert per_area == [4, 5, 6, 3, 4]
    assert sum(per_area) == 22


def test_sipas_2023_has_its_three_parts():
    parts = {a.part for a in SIPAS_2023.areas}
    assert parts == {"perception", "satisfaction", "expectation"}
    assert [a.code for a in SIPAS_2023.index_areas()] == ["policy", "service"]
    assert len(SIPAS_2023.scored_questions("policy")) == 14
    assert len(SIPAS_2023.scored_questions("service")) == 19

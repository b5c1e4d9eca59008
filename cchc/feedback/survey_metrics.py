"""Satisfaction survey metrics, registered at start-up (FeedbackConfig.ready).

For each shipped questionnaire (`questionnaires.QUESTIONNAIRES`, key part `<code>` with
"-" written "_", e.g. `parents_primary`):

- `survey.<code>.index` — the satisfaction index (`sipas.survey_index`) of the responses
  SUBMITTED in the period in the unit's subtree, all campaigns of that template together;
- `survey.<code>.area.<area code>` — the index of each scored area (satisfaction areas,
  their sub-areas, and the "satisfied in general" area);

and `survey.responses` — the responses submitted in the period (all templates).

The counts are read from the database (`survey_results`: grouped counts over the
answers, by the unit paths copied onto the responses) and scored by `sipas`, so the
figures are the ones the survey screens show for the same responses.

How an index is written as a (numerator, denominator) pair
----------------------------------------------------------
The registry's `ratio` kind is 100·numerator/denominator with additive terms, but the
index (`sipas.Aggregation.MEAN`) is not one ratio of counts: it is the mean of the
indexes one level down (an area: of its criteria or sub-areas; the survey: of its
areas). So these metrics are of kind `average`, in "%":

    numerator   = the sum of the indexes averaged, each in per cent
    denominator = how many indexes were averaged (those with at least one answer)

e.g. an area with criteria at 75 % and 50 % is (125, 2) → 62,5 %; the survey index of two
areas at 41/56 and 3/4 is (73,21…+75, 2). The value (numerator / denominator) is exactly
the index; the numerator is a `Decimal` of the exact fractions (28 digits). The terms
are NOT additive across units: a parent's value comes from its own pooled counts (the
subtree's raw counts summed, then scored, as `sipas.rollup` does), never from its
children's pairs. No answer: (0, 0), no value.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cchc.metrics.periods import Period
from cchc.metrics.registry import Metric, MetricKind, Pair, active_window, register
from cchc.metrics.subtree import period_bounds
from cchc.orgs.models import OrgUnit

from . import sipas
from .questionnaires import QUESTIONNAIRES, Questionnaire
from .survey_models import SurveyAnswer, SurveyResponse
from .survey_results import _tallies


def _key(code: str) -> str:
    return code.replace("-", "_").lower()


def _bounds(unit: OrgUnit, period: Period):
    window = active_window(unit, period)
    return None if window is None else period_bounds(*window)


def _percent(value: Fraction) -> Decimal:
    return Decimal(value.numerator) * 100 / Decimal(value.denominator)


def _mean_pair(values: list[Fraction | None]) -> Pair:
    present = [v for v in values if v is not None]
    return (sum((_percent(v) for v in present), Decimal(0)), len(present))


def index_pair(tally: sipas.Tally, questionnaire: Questionnaire, area: str | None = None) -> Pair:
    """(sum of the averaged indexes in %, their number) for the survey or one area."""
    if area is None:
        areas = questionnaire.index_areas()
        return _mean_pair([sipas.area_index(tally, questionnaire, a.code).value for a in areas])
    children = questionnaire.children(area)
    if children:
        return _mean_pair([sipas.area_index(tally, questionnaire, c.code).value for c in children])
    return _mean_pair([sipas.question_index(tally, q).value for q in questionnaire.scored_questions(area)])


def _tallies_many(code: str, units: list[OrgUnit], period: Period) -> dict[int, sipas.Tally]:
    """The tallies of the units' subtrees from one set of grouped queries per window."""
    windows: dict[tuple, list[OrgUnit]] = defaultdict(list)
    for unit in units:
        bounds = _bounds(unit, period)
        if bounds is not None:
            windows[bounds].append(unit)
    result: dict[int, sipas.Tally] = {}
    for (low, high), group in windows.items():
        under = Q()
        for unit in group:
            under |= Q(unit_path__startswith=unit.path)
        where = Q(campaign__template__code=code) & under
        responses = SurveyResponse.objects.filter(where, submitted_at__gte=low, submitted_at__lt=high)
        answers = SurveyAnswer.objects.filter(
            where, option__isnull=False, response__submitted_at__gte=low, response__submitted_at__lt=high
        )
        by_path = _tallies(responses.order_by(), answers.order_by(), "unit_path")
        for unit in group:
            result[unit.pk] = sipas.rollup(t for path, t in by_path.items() if path.startswith(unit.path))
    return result


def _index_metric(questionnaire: Questionnaire, area=None) -> Metric:
    code = questionnaire.code

    def compute_many(units, period):
        tallies = _tallies_many(code, units, period)
        return {pk: index_pair(t, questionnaire, area.code if area else None) for pk, t in tallies.items()}

    def compute(unit, period):
        return compute_many([unit], period).get(unit.pk, (0, 0))

    if area is None:
        key = f"survey.{_key(code)}.index"
        label = format_lazy("{} — {}", _("Chỉ số hài lòng"), questionnaire.title)
        description = _(
            "Trung bình cộng chỉ số các lĩnh vực; chỉ số lĩnh vực là trung bình cộng chỉ số các "
            "tiêu chí; chỉ số tiêu chí = số phiếu “Hài lòng” và “Rất hài lòng” / số phiếu trả lời "
            "câu hỏi. Tính trên các phiếu gửi trong kỳ của đơn vị và các đơn vị trực thuộc."
        )
    else:
        key = f"survey.{_key(code)}.area.{_key(area.code)}"
        label = format_lazy("{}: {} — {}", _("Chỉ số hài lòng"), area.title, questionnaire.title)
        description = _(
            "Trung bình cộng chỉ số các tiêu chí của lĩnh vực (chỉ số tiêu chí = số phiếu “Hài lòng” "
            "và “Rất hài lòng” / số phiếu trả lời câu hỏi), trên các phiếu gửi trong kỳ."
        )
    return Metric(
        key=key,
        label=label,
        unit="%",
        kind=MetricKind.AVERAGE,
        compute=compute,
        compute_many=compute_many,
        description=description,
    )


def responses(unit: OrgUnit, period: Period) -> Pair:
    return responses_many([unit], period).get(unit.pk, (0, None))


def responses_many(units: list[OrgUnit], period: Period) -> dict[int, Pair]:
    result: dict[int, Pair] = {}
    windows: dict[tuple, list[OrgUnit]] = defaultdict(list)
    for unit in units:
        bounds = _bounds(unit, period)
        if bounds is not None:
            windows[bounds].append(unit)
    for (low, high), group in windows.items():
        under = Q()
        for unit in group:
            under |= Q(unit_path__startswith=unit.path)
        rows = (
            SurveyResponse.objects.filter(under, submitted_at__gte=low, submitted_at__lt=high)
            .order_by()
            .values("unit_path")
            .annotate(n=Count("pk"))
        )
        counts = [(r["unit_path"], r["n"]) for r in rows]
        for unit in group:
            result[unit.pk] = (sum(n for path, n in counts if path.startswith(unit.path)), None)
    return result


METRICS: list[Metric] = [
    Metric(
        key="survey.responses",
        label=_("Số phiếu khảo sát sự hài lòng"),
        unit="phiếu",
        kind=MetricKind.COUNT,
        compute=responses,
        compute_many=responses_many,
        description=_("Số phiếu khảo sát sự hài lòng gửi trong kỳ (mọi mẫu phiếu, mọi đợt khảo sát)."),
    )
]
for _questionnaire in QUESTIONNAIRES.values():
    METRICS.append(_index_metric(_questionnaire))
    for _area in _questionnaire.areas:
        if _area.part in ("satisfaction", "overall"):
            METRICS.append(_index_metric(_questionnaire, _area))

for _each in METRICS:
    register(_each)

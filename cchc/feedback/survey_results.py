"""Reading the results of satisfaction surveys out of the database.

Every figure is a count made by the database (GROUP BY over `SurveyAnswer`, whose rows
carry the campaign and the unit path of their response) and then scored by the pure
functions of `sipas` (the formula is there). No query per unit, per response or per row:

* `tally_for` — the raw counts of one unit's subtree (respondents, options, their codes,
  and the distinct respondents of multiple-choice questions: at most 4 queries);
* `tallies_by_child` / `child_results` — one tally per direct child of a unit (and one for
  the unit's own responses) from the same 3 grouped queries, the answers' unit paths
  mapped to the child they lie under (as `dossiers.statistics` does for the drill-down);
* `monthly_tallies` / `campaign_tallies` — the same unit month by month within a campaign,
  and across the campaigns of the same template that covered it (previous years);
* `live_counts` — respondents so far, today and by channel (one query).

A subtree is read by the unit paths copied onto the responses when they were submitted:
a school moved to another office after answering stays counted where it answered.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import StrIndex, Substr, TruncMonth
from django.utils import timezone

from cchc.orgs.models import OrgUnit
from cchc.workdays.calendar import VN_TZ

from . import sipas
from .questionnaires import Questionnaire
from .survey_models import (
    QuestionKind,
    ResponseChannel,
    SurveyAnswer,
    SurveyCampaign,
    SurveyOption,
    SurveyResponse,
)
from .surveys_sync import questionnaire_for

ANSWERED = sipas.ANSWERED


def _responses(campaigns: Q, path: str, since, until) -> QuerySet:
    rows = SurveyResponse.objects.filter(campaigns, unit_path__startswith=path)
    if since is not None:
        rows = rows.filter(submitted_at__gte=since)
    if until is not None:
        rows = rows.filter(submitted_at__lt=until)
    return rows.order_by()


def _answers(campaigns: Q, path: str, since, until) -> QuerySet:
    # Free text is not counted (sipas.tally_responses does the same).
    rows = SurveyAnswer.objects.filter(campaigns, unit_path__startswith=path, option__isnull=False)
    if since is not None:
        rows = rows.filter(response__submitted_at__gte=since)
    if until is not None:
        rows = rows.filter(response__submitted_at__lt=until)
    return rows.order_by()


def _tallies(responses: QuerySet, answers: QuerySet, key: str | None = None, exprs=None) -> dict:
    """{group: Tally} for the responses and their answers, grouped by `key` (None: one
    group). `key` is a field of both tables, or `exprs` = (expression on the responses,
    expression on the answers) annotated under that name.

    A fixed number of queries whatever the number of groups: respondents per group,
    answers per (group, question id, option id), the codes of those options and
    their questions, and — for multiple-choice questions only — distinct responses per (group,
    question). Each count is `COUNT(*)` over columns of the covering indexes
    (`surveyresponse_path_idx`, `surveyanswer_count_idx`), so PostgreSQL answers from
    the index alone (bench/RESULTS-surveys.md: the largest department 772 → about 190 ms).
    A scale or single-choice question has one answer row per respondent who answered
    it, so its "answered" count is the sum of its option counts; only a multiple-choice
    question, whose respondents tick several options, needs the distinct count."""
    keys = [key] if key else []
    if exprs is not None:
        responses = responses.annotate(**{key: exprs[0]})
        answers = answers.annotate(**{key: exprs[1]})
    respondents: Counter = Counter()
    if key:
        for row in responses.values(key).annotate(n=Count("*")):
            respondents[row[key]] += row["n"]
    else:  # values() without fields would group by every column: one row per response
        respondents[None] = responses.aggregate(n=Count("*"))["n"]
    rows = list(answers.values(*keys, "question_id", "option_id").annotate(n=Count("*")))
    # The codes of the options counted and of their questions: one query.
    chosen = SurveyOption.objects.filter(id__in={r["option_id"] for r in rows})
    options, questions = {}, {}
    for option in chosen.values("id", "code", "question_id", "question__code", "question__kind"):
        options[option["id"]] = option["code"]
        question = {"code": option["question__code"], "kind": option["question__kind"]}
        questions[option["question_id"]] = question
    counts: dict = defaultdict(lambda: defaultdict(Counter))
    for row in rows:
        question = questions[row["question_id"]]
        tally = counts[row[key] if key else None][question["code"]]
        tally[options[row["option_id"]]] += row["n"]
        if question["kind"] != QuestionKind.MULTIPLE:
            tally[ANSWERED] += row["n"]
    multiple = [pk for pk, q in questions.items() if q["kind"] == QuestionKind.MULTIPLE]
    if multiple:
        distinct = answers.filter(question_id__in=multiple).values(*keys, "question_id")
        for row in distinct.annotate(n=Count("response_id", distinct=True)):
            counts[row[key] if key else None][questions[row["question_id"]]["code"]][ANSWERED] += row["n"]
    return {
        group: sipas.Tally(respondents[group], {q: dict(c) for q, c in counts[group].items()})
        for group in set(respondents) | set(counts)
    }


def _empty() -> sipas.Tally:
    return sipas.Tally(0, {})


def tally_for(campaign: SurveyCampaign, unit: OrgUnit, *, since=None, until=None) -> sipas.Tally:
    """The raw counts of the campaign's responses in `unit`'s subtree ([since, until))."""
    where = Q(campaign=campaign)
    tallies = _tallies(_responses(where, unit.path, since, until), _answers(where, unit.path, since, until))
    return tallies.get(None, _empty())


def _child_prefix(length: int):
    """The path of the direct child a unit path lies under (`unit_path` itself for the
    unit's own rows), computed by the database: the first `length` characters (the unit's
    path) and the next segment up to its "/" — grouping by it gives one row per child."""
    rest = Substr("unit_path", length + 1)
    return Substr("unit_path", 1, Value(length) + StrIndex(rest, Value("/")), output_field=CharField())


def tallies_by_child(campaign: SurveyCampaign, unit: OrgUnit) -> dict[int, sipas.Tally]:
    """One tally per direct child of `unit` holding responses, plus `unit.pk` for the
    unit's own responses: {unit id: Tally}. Grouped in the database by the child each
    unit path lies under (`_child_prefix`): one row per child, question and option."""
    where = Q(campaign=campaign)
    prefix = _child_prefix(len(unit.path))
    by_child = _tallies(
        _responses(where, unit.path, None, None),
        _answers(where, unit.path, None, None),
        "child_prefix",
        exprs=(prefix, prefix),
    )
    tallies: dict[int, sipas.Tally] = {}
    for path, tally in by_child.items():
        rest = path[len(unit.path) :].strip("/")
        tallies[int(rest) if rest else unit.pk] = tally
    return tallies


# --- results for the screens -------------------------------------------------------------


@dataclass
class ChildResult:
    unit: OrgUnit
    own: bool  # the unit's own responses, not a child's
    result: sipas.UnitResult
    percent: str = ""  # the screens' formatting
    drill: str = ""


@dataclass
class Comparison:
    ranked: list[ChildResult] = field(default_factory=list)
    not_enough: list[ChildResult] = field(default_factory=list)


def child_results(
    campaign: SurveyCampaign, unit: OrgUnit, questionnaire: Questionnaire | None = None
) -> Comparison:
    """The children of `unit` (and the unit's own responses) scored and ranked: those with
    at least `campaign.min_answers` respondents best first, the others apart ("chưa đủ số
    phiếu"). Children without a single response are listed as not enough too."""
    questionnaire = questionnaire or questionnaire_for(campaign.template)
    tallies = tallies_by_child(campaign, unit)
    children = {u.pk: u for u in OrgUnit.objects.filter(parent=unit, closed_on__isnull=True)}
    units = {**children, **OrgUnit.objects.in_bulk([pk for pk in tallies if pk not in children])}
    results = {
        pk: sipas.unit_result(tallies.get(pk, _empty()), questionnaire, min_answers=campaign.min_answers)
        for pk in units
        if pk in tallies or pk in children
    }
    ranked, not_ranked = sipas.rank_units({str(pk).zfill(12): r for pk, r in results.items()})

    def row(key: str) -> ChildResult:
        pk = int(key)
        return ChildResult(unit=units[pk], own=pk == unit.pk, result=results[pk])

    not_enough = sorted((row(k) for k in not_ranked), key=lambda r: (not r.own, r.unit.name))
    return Comparison(ranked=[row(k) for k in ranked], not_enough=not_enough)


def monthly_tallies(campaign: SurveyCampaign, unit: OrgUnit) -> list[tuple[dt.date, sipas.Tally]]:
    """The unit's subtree month by month (Vietnamese time) within the campaign, in order."""
    where = Q(campaign=campaign)
    tallies = _tallies(
        _responses(where, unit.path, None, None),
        _answers(where, unit.path, None, None),
        "month",
        (TruncMonth("submitted_at", tzinfo=VN_TZ), TruncMonth("response__submitted_at", tzinfo=VN_TZ)),
    )
    months = {(m.date() if isinstance(m, dt.datetime) else m): t for m, t in tallies.items() if m}
    return sorted(months.items())


def covering_campaigns(campaign: SurveyCampaign, unit: OrgUnit) -> QuerySet[SurveyCampaign]:
    """The campaigns of the same template that covered `unit` (its previous years), oldest first."""
    prefixes = [unit.path[: i + 1] for i, c in enumerate(unit.path) if c == "/"]
    return SurveyCampaign.objects.filter(
        template_id=campaign.template_id, unit_path__in=prefixes, starts_on__lte=campaign.ends_on
    ).order_by("starts_on", "id")


def campaign_tallies(campaign: SurveyCampaign, unit: OrgUnit) -> list[tuple[SurveyCampaign, sipas.Tally]]:
    """The unit's subtree in each campaign of the same template that covered it (3 queries)."""
    campaigns = list(covering_campaigns(campaign, unit))
    where = Q(campaign__in=[c.pk for c in campaigns])
    tallies = _tallies(
        _responses(where, unit.path, None, None), _answers(where, unit.path, None, None), "campaign_id"
    )
    return [(c, tallies.get(c.pk, _empty())) for c in campaigns]


@dataclass(frozen=True)
class LiveCounts:
    respondents: int
    today: int
    by_channel: list[tuple[str, str, int]]  # (code, label, count)


def live_counts(campaign: SurveyCampaign, unit: OrgUnit, *, now=None) -> LiveCounts:
    """Respondents so far, today (Vietnamese day) and by channel, in one query."""
    now = timezone.localtime(now or timezone.now(), VN_TZ)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    aggregates = {"total": Count("pk"), "today": Count("pk", filter=Q(submitted_at__gte=midnight))}
    for code in ResponseChannel.values:
        aggregates[f"c_{code}"] = Count("pk", filter=Q(channel=code))
    row = _responses(Q(campaign=campaign), unit.path, None, None).aggregate(**aggregates)
    return LiveCounts(
        respondents=row["total"],
        today=row["today"],
        by_channel=[(code, label, row[f"c_{code}"]) for code, label in ResponseChannel.choices],
    )

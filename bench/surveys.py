"""Benchmark: the satisfaction-survey results at national scale, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_national \\
        .venv/bin/python bench/surveys.py [--rebuild] [--runs 15] [--explain] [--responses 300000]

Needs the national tree (`bench/generate_national.sh`; the dossiers are not needed). The
first run (or --rebuild) creates:

- one national campaign of the "parents-primary" template at the ministry, through
  `surveys.campaign_create` with the system administrator as actor: a link for every unit
  of the country (≈55,000, one `bulk_create`) — timed;
- ≈300,000 responses over the 13,000 primary schools, skewed (a log-normal weight per
  school: a few schools get hundreds, most a dozen or two, many stay under the 30 needed
  to be ranked, about 5% none), each with all its answers (≈23.5 rows: one per chosen
  option, the free text on some), ≈7.1 M `SurveyAnswer` rows. Both tables are written by
  PostgreSQL COPY (psycopg's `cursor.copy`), one transaction per chunk, with
  `campaign_id` and `unit_path` copied onto each answer exactly as
  `surveys.response_submit` does. Scale questions: mostly 4 and 5, each school with its
  own level (some schools clearly worse). Then ANALYZE.

Then it times, each the median and p95 of `--runs` runs after one warm-up:

1. `survey_results.tally_for` + `sipas.unit_result` for the largest department, a commune
   office, one school and the whole country — targets ≤ 300 ms (department), ≤ 2 s
   (country);
2. `child_results` (scored and ranked, a row per child) and `tallies_by_child` for the
   department and for the country (a row per department);
3. `live_counts` for the department and the country;
4. `surveys.response_submit`: one public answer end to end through a fresh link (a school
   with no response yet), committed — target ≤ 50 ms; the rows are deleted afterwards;
5. the campaign page (HTTP, django.test.Client) for the department's reform officer.

`--explain` prints EXPLAIN (ANALYZE, BUFFERS) of the department's GROUP BY queries;
`--proposed` also times `proposed_tally` (the query change recommended in
bench/RESULTS-surveys.md), after checking it gives the same tallies as `tally_for`.
"""

import argparse
import datetime as dt
import io
import math
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from cchc.feedback import sipas, survey_results, surveys  # noqa: E402
from cchc.feedback.survey_models import (  # noqa: E402
    QuestionKind,
    SurveyAnswer,
    SurveyCampaign,
    SurveyLink,
    SurveyQuestion,
    SurveyResponse,
    SurveyTemplate,
)
from cchc.feedback.surveys_sync import questionnaire_for  # noqa: E402
from cchc.orgs.models import OrgUnit, UnitKind  # noqa: E402
from cchc.workdays.calendar import VN_TZ  # noqa: E402

TITLE = "Khảo sát sự hài lòng của cha mẹ học sinh tiểu học toàn quốc (benchmark)"
STARTS_ON = dt.date(2026, 9, 15)
ENDS_ON = dt.date(2026, 12, 31)
NULL = "\\N"
CHUNK = 10_000  # responses per COPY transaction (≈250,000 answers)
TEXTS = [
    "Đề nghị nhà trường tăng cường trao đổi với phụ huynh qua sổ liên lạc điện tử.",
    "Mong nhà trường sửa lại nhà vệ sinh khu B.",
    "Giáo viên chủ nhiệm rất tận tâm, gia đình cảm ơn nhà trường.",
    "Đề nghị công khai rõ hơn các khoản thu đầu năm học.",
    "Sân trường cần thêm cây bóng mát.",
]


def _weights(level: float) -> list[float]:
    """Option weights 1..5 of a scale question at a school of `level` (≈0: typical)."""
    base = [0.02, 0.04, 0.14, 0.45, 0.35]
    shift = max(-0.3, min(0.2, level))
    return [
        base[0] - shift * 0.05,
        base[1] - shift * 0.1,
        base[2] - shift * 0.6,
        base[3],
        base[4] + shift * 0.75,
    ]


def _questions(template):
    questions = list(
        SurveyQuestion.objects.filter(template=template)
        .prefetch_related("options")
        .order_by("position", "id")
    )
    return [(q, sorted(q.options.all(), key=lambda o: o.position)) for q in questions]


def _answer_rows(questions, rng: random.Random, level_weights) -> list[tuple[int, int | None, str]]:
    """(question id, option id or None, text) of one response."""
    rows = []
    for question, options in questions:
        if question.kind == QuestionKind.SCALE5:
            if rng.random() < 0.97:
                rows.append((question.pk, rng.choices(options, level_weights)[0].pk, ""))
        elif question.kind == QuestionKind.SINGLE:
            rows.append((question.pk, rng.choice(options).pk, ""))
        elif question.kind == QuestionKind.MULTIPLE:
            for option in rng.sample(options, rng.randint(1, 3)):
                rows.append((question.pk, option.pk, ""))
        elif question.kind == QuestionKind.TEXT and rng.random() < 0.08:
            rows.append((question.pk, None, rng.choice(TEXTS)))
    return rows


def _reserve_ids(table: str, count: int) -> int:
    """The first of `count` consecutive ids taken from the table's identity sequence."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


def build(total: int) -> SurveyCampaign:
    rng = random.Random(2026)
    template = SurveyTemplate.objects.get(code="parents-primary")
    ministry = OrgUnit.objects.get(kind=UnitKind.MINISTRY)
    admin = get_user_model().objects.filter(memberships__role="system_admin").first()
    SurveyCampaign.objects.filter(title=TITLE).update(title="(old) bench", ends_on=STARTS_ON)
    t0 = time.perf_counter()
    campaign = surveys.campaign_create(
        actor=admin,
        template=template,
        unit=ministry,
        title=TITLE,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        min_answers=30,
    )
    links = SurveyLink.objects.filter(campaign=campaign).count()
    print(f"campaign_create at the ministry: {links} links in {time.perf_counter() - t0:.2f} s")

    questions = _questions(template)
    schools = list(
        OrgUnit.objects.filter(kind=UnitKind.SCHOOL, school_level="primary", closed_on__isnull=True)
        .order_by("pk")
        .values_list("pk", "path")
    )
    weights = [0.0 if rng.random() < 0.05 else rng.lognormvariate(0, 1.0) for _ in schools]
    scale = total / sum(weights)
    counts = [int(w * scale + rng.random()) for w in weights]
    levels = {pk: rng.gauss(0, 0.12) - (0.25 if rng.random() < 0.07 else 0) for pk, _ in schools}
    now = surveys._now()
    span = (now - dt.datetime.combine(STARTS_ON, dt.time(7), tzinfo=VN_TZ)).total_seconds()
    start = dt.datetime.combine(STARTS_ON, dt.time(7), tzinfo=VN_TZ)
    plan = [(pk, path) for (pk, path), n in zip(schools, counts, strict=True) for _ in range(n)]
    rng.shuffle(plan)
    n_responses = len(plan)
    first_id = _reserve_ids("feedback_surveyresponse", n_responses)
    print(
        f"{n_responses} responses over {sum(1 for n in counts if n)} of {len(schools)} primary schools "
        f"(max {max(counts)}, {sum(1 for n in counts if 0 < n < 30)} schools under 30, "
        f"{sum(1 for n in counts if n == 0)} with none)"
    )
    t0 = time.perf_counter()
    n_answers = 0
    build_s = 0.0
    for offset in range(0, n_responses, CHUNK):
        b0 = time.perf_counter()
        responses = io.StringIO()
        answers = io.StringIO()
        for i, (unit_id, path) in enumerate(plan[offset : offset + CHUNK], start=first_id + offset):
            # More answers late in the campaign and in the day: a square-root draw.
            at = start + dt.timedelta(seconds=span * math.sqrt(rng.random()))
            channel = "link" if rng.random() < 0.85 else "paper"
            responses.write(f"{i}\t{campaign.pk}\t{unit_id}\t{path}\t{at.isoformat()}\t{channel}\t\\N\n")
            prefix = f"{i}\t{campaign.pk}\t{path}\t"
            for question_id, option_id, text in _answer_rows(questions, rng, _weights(levels[unit_id])):
                answers.write(f"{prefix}{question_id}\t{NULL if option_id is None else option_id}\t{text}\n")
                n_answers += 1
        build_s += time.perf_counter() - b0
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.copy(
                "COPY feedback_surveyresponse (id, campaign_id, unit_id, unit_path, submitted_at, channel, "
                "dossier_id) FROM STDIN"
            ) as copy:
                copy.write(responses.getvalue())
            with cursor.copy(
                "COPY feedback_surveyanswer (response_id, campaign_id, unit_path, question_id, option_id, "
                "text) FROM STDIN"
            ) as copy:
                copy.write(answers.getvalue())
        if (offset // CHUNK) % 5 == 4:
            print(f"  {offset + CHUNK} responses, {n_answers} answers, {time.perf_counter() - t0:.0f} s")
    elapsed = time.perf_counter() - t0
    print(
        f"COPY: {n_responses} responses and {n_answers} answers ({n_answers / n_responses:.1f} per response) "
        f"in {elapsed:.0f} s (of which {build_s:.0f} s building the rows in Python)"
    )
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE feedback_surveyresponse; ANALYZE feedback_surveyanswer; ANALYZE feedback_surveylink"
        )
    print(f"ANALYZE: {time.perf_counter() - t0:.1f} s")
    return campaign


def proposed_tally(campaign, unit, codes) -> sipas.Tally:
    """What `survey_results.tally_for` could run instead (a proposal measured here, not in
    the app): counts grouped by ids, not by codes through two joins, with COUNT(*) so that
    the existing indexes answer alone (index-only scans once the table is vacuumed);
    "answered" of a single-choice or scale question is the sum of its option counts (one
    row per response), so COUNT(DISTINCT response) is only needed for the multiple-choice
    questions. `codes` = ({question id: code}, {option id: code}, {multiple question ids})."""
    questions, options, multiple = codes
    where = Q(campaign=campaign)
    respondents = survey_results._responses(where, unit.path, None, None).aggregate(n=Count("*"))["n"]
    answers = survey_results._answers(where, unit.path, None, None)
    counts: dict = defaultdict(Counter)
    for row in answers.values("question_id", "option_id").annotate(n=Count("*")):
        code = questions[row["question_id"]]
        counts[code][options[row["option_id"]]] += row["n"]
        if row["question_id"] not in multiple:
            counts[code][sipas.ANSWERED] += row["n"]
    distinct = (
        answers.filter(question_id__in=multiple)
        .values("question_id")
        .annotate(n=Count("response_id", distinct=True))
    )
    for row in distinct:
        counts[questions[row["question_id"]]][sipas.ANSWERED] += row["n"]
    return sipas.Tally(respondents, {q: dict(c) for q, c in counts.items()})


def timed(fn, runs):
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(math.ceil(len(samples) * 0.95) - 1, 0)]


ONLY: list[str] = []  # --only: the labels to time (prefixes); empty: all


def report(label, fn, runs, target=""):
    if ONLY and not any(label.startswith(prefix) for prefix in ONLY):
        return None
    median, p95 = timed(fn, runs)
    print(f"| {label} | {median:,.1f} ms | {p95:,.1f} ms | {target} |")
    return median, p95


def explain(campaign, unit):
    where = Q(campaign=campaign)
    answers = survey_results._answers(where, unit.path, None, None)
    responses = survey_results._responses(where, unit.path, None, None)
    queries = {
        "answers per (question, option)": answers.values("question__code", "option__code").annotate(
            n=Count("pk")
        ),
        "distinct responses per question": answers.values("question__code").annotate(
            n=Count("response", distinct=True)
        ),
        "respondents": responses.values().annotate(n=Count("pk")).values("n"),
        "by unit path (tallies_by_child)": answers.values(
            "unit_path", "question__code", "option__code"
        ).annotate(n=Count("pk")),
    }
    for name, qs in queries.items():
        print(f"\n== EXPLAIN (ANALYZE, BUFFERS) {name}, {unit.name} ({unit.path})\n")
        print(str(qs.query))
        print(qs.explain(analyze=True, buffers=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--responses", type=int, default=300_000)
    parser.add_argument("--country-runs", type=int, default=5, help="runs of the whole-country reads")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--proposed", action="store_true", help="also time the proposed tally query")
    parser.add_argument("--only", action="append", default=[], help="time only the rows starting so")
    args = parser.parse_args()
    ONLY.extend(args.only)
    campaign = SurveyCampaign.objects.filter(title=TITLE).select_related("template", "unit").first()
    if campaign is None or args.rebuild:
        campaign = build(args.responses)
        campaign = SurveyCampaign.objects.select_related("template", "unit").get(pk=campaign.pk)
    questionnaire = questionnaire_for(campaign.template)
    ministry = campaign.unit
    by_department = {
        pk: t.respondents for pk, t in survey_results.tallies_by_child(campaign, ministry).items()
    }
    department = OrgUnit.objects.get(pk=max(by_department, key=by_department.get))
    by_commune = survey_results.tallies_by_child(campaign, department)
    communes = OrgUnit.objects.filter(
        kind=UnitKind.COMMUNE_OFFICE, parent=department, closed_on=None, pk__in=list(by_commune)
    )
    commune = max(communes, key=lambda u: by_commune[u.pk].respondents)
    school_row = (
        SurveyResponse.objects.filter(campaign=campaign)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    school = OrgUnit.objects.get(pk=school_row["unit_id"])
    counts = {
        "responses": SurveyResponse.objects.filter(campaign=campaign).count(),
        "answers": SurveyAnswer.objects.filter(campaign=campaign).count(),
        "links": SurveyLink.objects.filter(campaign=campaign).count(),
    }
    print(f"campaign {campaign.pk}: {counts}")
    for name, unit in [("department", department), ("commune office", commune), ("school", school)]:
        t = survey_results.tally_for(campaign, unit)
        result = sipas.unit_result(t, questionnaire, min_answers=campaign.min_answers)
        print(
            f"{name}: {unit.name} ({unit.path}) — {t.respondents} respondents, "
            f"index {result.overall.percent}%, enough answers: {result.enough_answers}"
        )
    print(f"\n{args.runs} runs after one warm-up\n")
    print("| what | median | p95 | target |\n|---|---|---|---|")

    def result_of(unit):
        def run():
            tally = survey_results.tally_for(campaign, unit)
            return sipas.unit_result(tally, questionnaire, min_answers=campaign.min_answers)

        return run

    runs = args.runs
    template_questions = _questions(campaign.template)
    codes = (
        {q.pk: q.code for q, _ in template_questions},
        {o.pk: o.code for _, opts in template_questions for o in opts},
        {q.pk for q, _ in template_questions if q.kind == QuestionKind.MULTIPLE},
    )
    if args.proposed:
        for unit in (department, commune, school):
            assert proposed_tally(campaign, unit, codes) == survey_results.tally_for(campaign, unit), unit
        for name, unit, n in (("department", department, runs), ("country", ministry, args.country_runs)):
            report(
                f"proposed tally (grouped by ids, COUNT(*)) + unit_result, {name}",
                lambda unit=unit: sipas.unit_result(
                    proposed_tally(campaign, unit, codes), questionnaire, min_answers=campaign.min_answers
                ),
                n,
            )
    report(
        f"tally_for + unit_result, department ({by_department[department.pk]:,} resp.)",
        result_of(department),
        runs,
        "≤ 300 ms",
    )
    report(
        f"tally_for + unit_result, commune office ({by_commune[commune.pk].respondents:,} resp.)",
        result_of(commune),
        runs,
    )
    report(f"tally_for + unit_result, school ({school_row['n']} resp.)", result_of(school), runs)
    report(
        f"tally_for + unit_result, country ({counts['responses']:,} resp.)",
        result_of(ministry),
        args.country_runs,
        "≤ 2 s",
    )
    comparison = survey_results.child_results(campaign, department, questionnaire)
    n_children = len(comparison.ranked) + len(comparison.not_enough)
    report(
        f"child_results, department ({n_children} rows)",
        lambda: survey_results.child_results(campaign, department, questionnaire),
        runs,
        "≤ 300 ms",
    )
    report(
        "tallies_by_child, department", lambda: survey_results.tallies_by_child(campaign, department), runs
    )
    n_children = len(by_department)
    report(
        f"child_results, country ({n_children} rows)",
        lambda: survey_results.child_results(campaign, ministry, questionnaire),
        args.country_runs,
        "≤ 2 s",
    )
    report(
        "tallies_by_child, country",
        lambda: survey_results.tallies_by_child(campaign, ministry),
        args.country_runs,
    )
    report("live_counts, department", lambda: survey_results.live_counts(campaign, department), runs)
    report("live_counts, country", lambda: survey_results.live_counts(campaign, ministry), runs)

    # One public answer end to end through a fresh link (a school with no response yet).
    answered = SurveyResponse.objects.filter(campaign=campaign).values("unit_id")
    link = (
        SurveyLink.objects.filter(campaign=campaign, unit__kind=UnitKind.SCHOOL, unit__school_level="primary")
        .exclude(unit_id__in=answered)
        .order_by("pk")
        .first()
    )
    questions = _questions(campaign.template)
    rng = random.Random(7)

    def one_answer():
        payload = {}
        for question, options in questions:
            if question.kind == QuestionKind.MULTIPLE:
                payload[question.code] = [o.code for o in options[:2]]
            elif question.kind == QuestionKind.TEXT:
                payload[question.code] = "Cảm ơn nhà trường."
            elif question.kind == QuestionKind.SCALE5:
                payload[question.code] = rng.choice(["4", "5", "5", "3"])
            else:
                payload[question.code] = options[0].code
        created.append(surveys.response_submit(token=link.token, answers=payload).pk)

    created: list[int] = []
    report("response_submit (one public answer, 23 rows)", one_answer, runs, "≤ 50 ms")
    SurveyResponse.objects.filter(pk__in=created).delete()

    officer = (
        get_user_model()
        .objects.filter(memberships__unit=department, memberships__role="reform_officer")
        .first()
    )
    if officer is not None:
        # DEBUG=0: the manifest storage needs collectstatic; the plain one serves the same files.
        override_settings(
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        ).enable()
        client = Client()
        client.force_login(officer)
        url = reverse("survey_campaign_detail", args=[campaign.pk])

        def page():
            response = client.get(url, secure=True)
            assert response.status_code == 200, response.status_code
            return response

        report(f"campaign page (HTTP), {officer.username} at the department", page, runs)
    if args.explain:
        explain(campaign, department)


if __name__ == "__main__":
    main()

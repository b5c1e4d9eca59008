"""The demo province's year of plans (`cchc generate` → `cchc.plans.demo`).

The demo is loaded once for the module (about ten seconds) inside a transaction that is
rolled back at the end; each test runs in a savepoint inside it.
"""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from cchc.orgs.models import OrgUnit, UnitKind
from cchc.plans import selectors, tallies
from cchc.plans.demo import TITLE, TODAY
from cchc.plans.models import (
    Evidence,
    Indicator,
    IndicatorEntry,
    Plan,
    PlanStatus,
    ProgressUpdate,
    Task,
    TaskStatus,
    TaskTally,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            out = StringIO()
            call_command("generate", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def plan(demo):
    return Plan.objects.select_related("issuer").get(title=TITLE, parent__isnull=True)


def test_the_department_plan_is_issued_with_the_seed_appendix(demo, plan):
    assert plan.issuer.code == "SGD-HY"
    assert plan.status == PlanStatus.ISSUED
    assert (plan.reference, plan.issued_on, plan.place) == ("15/KH-SGDĐT", dt.date(2026, 1, 10), "Hưng Yên")
    assert "KH-UBND" in plan.implements_text and plan.purposes and plan.requirements
    tasks = list(plan.tasks.select_related("lead_unit"))
    assert len(tasks) >= 20
    assert len({t.group for t in tasks}) == 7  # groups I–VII
    # Every lead text resolved to one of the department's divisions.
    assert all(t.lead_unit.kind == UnitKind.DIVISION for t in tasks), [
        (t.lead_text, t.lead_unit.name) for t in tasks if t.lead_unit.kind != UnitKind.DIVISION
    ]
    schools = [t for t in tasks if t.coordinating_text == "Các nhà trường"]
    assert len(schools) >= 4 and schools[0].coordinating_units.filter(kind=UnitKind.SCHOOL).count() > 600
    indicators = list(plan.indicators.all())
    assert len(indicators) >= 5
    assert [i.metric_key for i in indicators if i.metric_key] == ["plans.tasks_done_on_time"]
    assert IndicatorEntry.objects.filter(indicator__plan=plan, period_key="2026-Q3").count() >= 5
    assert "Kế hoạch mẫu: 1 kế hoạch của Sở," in demo.splitlines()[-1]


def test_every_open_commune_office_derives_the_plan(plan):
    communes = OrgUnit.objects.filter(kind=UnitKind.COMMUNE_OFFICE, closed_on__isnull=True)
    derived = Plan.objects.filter(parent=plan)
    assert set(derived.filter(issuer__kind=UnitKind.COMMUNE_OFFICE).values_list("issuer", flat=True)) == set(
        communes.values_list("pk", flat=True)
    )
    schools = derived.filter(issuer__kind=UnitKind.SCHOOL)
    assert schools.count() >= 80
    for name in ("Trường THPT Văn Giang", "Trường Tiểu học Xuân Quan", "Trường THCS Văn Giang"):
        assert schools.get(issuer__name=name).status == PlanStatus.ISSUED
    assert derived.get(issuer__code="XA-HY-NHUQUYNH").status == PlanStatus.ISSUED
    assert derived.filter(issuer__kind=UnitKind.COMMUNE_OFFICE, status=PlanStatus.DRAFT).exists()
    issued = derived.filter(status=PlanStatus.ISSUED).count()
    assert 0.7 <= issued / derived.count() <= 0.9
    # Văn Giang tightened its satisfaction target and added a task of its own.
    vangiang = derived.get(issuer__code="XA-HY-VANGIANG")
    tightened = vangiang.indicators.get(text__startswith="Mức độ hài lòng")
    assert tightened.target > tightened.parent.target
    assert vangiang.tasks.filter(parent__isnull=True).count() == 1


def test_progress_history_spans_the_year(plan):
    updates = ProgressUpdate.objects.filter(task__root_plan=plan)
    months = {d.month for d in updates.values_list("reported_on", flat=True)}
    assert len(months) >= 6 and max(months) <= 10
    assert all(d <= TODAY for d in updates.values_list("reported_on", flat=True))
    assert updates.filter(comment__contains="20/KH-SGDĐT ngày 18/01/2026").exists()
    assert updates.filter(author__username="vp.canbo").exists()  # the lead division's user
    evidence = Evidence.objects.filter(update__task__root_plan=plan)
    assert evidence.exists()
    first = evidence.first()
    with first.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    # Done tasks carry their completion date; some finished after their deadline.
    done = Task.objects.filter(root_plan=plan, status=TaskStatus.DONE)
    assert done.exists() and not done.filter(completed_on__isnull=True).exists()
    assert any(t.completed_on > t.due_date for t in done.exclude(due_date__isnull=True))


def test_the_dashboard_in_mid_october(plan):
    officer = get_user_model().objects.get(username="so.cchc")
    board = selectors.plan_dashboard(user=officer, plan=plan, today=dt.date(2026, 10, 15))
    totals = board.totals
    assert totals["done"] > 0 and totals["overdue"] > 0
    assert totals["done"] > totals["overdue"]
    assert len(board.by_unit) >= 5
    assert board.overdue
    # Of the tasks due by then, most are done.
    due = Task.objects.filter(root_plan=plan, plan__status=PlanStatus.ISSUED, due_date__lte=TODAY)
    assert due.filter(status=TaskStatus.DONE).count() / due.count() >= 0.7
    coverage = selectors.plan_coverage(plan=plan)
    statuses = {row["status"] for row in coverage.units}
    assert PlanStatus.DRAFT in statuses and PlanStatus.ISSUED in statuses


def test_the_tallies_equal_a_recount(plan):
    def rows():
        return sorted(
            TaskTally.objects.filter(root_plan=plan, tasks__gt=0).values_list(
                "depth", "branch", "area_key", "status", "due_date", "tasks", "percent_sum"
            )
        )

    before = rows()
    assert tallies.rebuild(plan.pk) == Task.objects.filter(root_plan=plan).count()
    assert rows() == before


def test_indicator_values_are_real(plan):
    from cchc.metrics.periods import Period

    values = selectors.indicator_values(
        plan=plan, unit=plan.issuer, period=Period.from_key("2026-Q3"), today=TODAY
    )
    statuses = {v.indicator.text[:20]: v.status for v in values}
    assert "achieved" in statuses.values() and "missed" in statuses.values()
    measured = next(v for v in values if v.source == "metric")
    assert measured.value is not None and measured.denominator
    year = Period.from_key("2026")
    year = selectors.indicator_values(plan=plan, unit=plan.issuer, period=year, today=TODAY)
    assert "at_risk" in {v.status for v in year}
    assert Indicator.objects.filter(plan__parent=plan).exists()


def test_a_second_generate_is_a_no_op(plan):
    counts = (Plan.objects.count(), Task.objects.count(), ProgressUpdate.objects.count())
    out = StringIO()
    call_command("generate", stdout=out)
    assert out.getvalue().strip() == "Dữ liệu mẫu đã có, bỏ qua."
    assert (Plan.objects.count(), Task.objects.count(), ProgressUpdate.objects.count()) == counts

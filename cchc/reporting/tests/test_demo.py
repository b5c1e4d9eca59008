"""The demo province's two years of quarterly reports (`cchc generate` → `cchc.reporting.demo`).

The demo is loaded once for the module inside a transaction that is rolled back at the
end; each test runs in a savepoint inside it.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from cchc.metrics.periods import Period
from cchc.orgs.models import UnitKind
from cchc.plans.demo import TITLE as PLAN_TITLE
from cchc.reporting import selectors
from cchc.reporting.demo import CONSOLIDATED, NAME, build_reporting_demo
from cchc.reporting.models import Report, ReportingSchedule, ReportReview, ReportStatus, ReviewAction

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
def schedule(demo):
    return ReportingSchedule.objects.select_related("owner", "plan").get(name=NAME)


def test_the_department_schedule_follows_its_annual_plan(demo, schedule):
    assert "Báo cáo định kỳ mẫu: 3 chế độ báo cáo" in demo
    assert schedule.owner.code == "SGD-HY"
    assert schedule.plan.title == PLAN_TITLE
    assert schedule.rule["day"] == 25 and schedule.period_kinds == ["quarter"]


def test_district_offices_report_until_the_reform_and_commune_offices_after(schedule):
    kinds = {
        key: set(
            Report.objects.filter(schedule=schedule, period_key=key).values_list("unit__kind", flat=True)
        )
        for key in ("2024-Q3", "2025-Q2", "2025-Q3", "2026-Q3")
    }
    assert kinds == {
        "2024-Q3": {UnitKind.DISTRICT_OFFICE},
        "2025-Q2": {UnitKind.DISTRICT_OFFICE},
        "2025-Q3": {UnitKind.COMMUNE_OFFICE},
        "2026-Q3": {UnitKind.COMMUNE_OFFICE},
    }


def test_completeness_of_q1_2026_matches_a_recount(schedule):
    officer = get_user_model().objects.get(username="so.cchc")
    period = Period("quarter", 2026, 1)

    table = selectors.completeness_for(user=officer, schedule=schedule, period=period)

    expected = set(selectors.expected_units(schedule, period).values_list("pk", flat=True))
    reports = Report.objects.filter(schedule=schedule, period_key=period.key, unit_id__in=expected)
    sent = reports.filter(first_submitted_at__isnull=False)
    t = table.total
    assert t.expected == len(expected) > 40
    assert t.submitted == sent.count()
    assert t.late == sent.filter(is_late=True).count() > 0
    assert t.accepted == reports.filter(status=ReportStatus.ACCEPTED).count()
    assert 0 < t.missing < 0.15 * t.expected
    assert sum((c for _u, c in table.rows), table.own) == t
    # Lateness as the reports' own times say: first sent after the due date (local time).
    for report in sent:
        assert report.is_late == (report.first_submitted_at.astimezone().date() > report.due_date)


def test_a_returned_report_was_resubmitted_then_accepted(schedule):
    returned = ReportReview.objects.filter(report__schedule=schedule, action=ReviewAction.RETURNED)
    accepted_after = [
        r for r in returned.select_related("report") if r.report.status == ReportStatus.ACCEPTED
    ]

    assert accepted_after
    report = accepted_after[0].report
    assert report.versions.count() == 2
    assert [r.action for r in report.reviews.all()] == [ReviewAction.RETURNED, ReviewAction.ACCEPTED]
    assert report.reviews.first().reviewer.username == "so.cchc"


def test_the_department_consolidated_its_q2_2026_report(schedule):
    report = Report.objects.exclude(schedule=schedule).get(unit=schedule.owner, period_key=CONSOLIDATED.key)

    assert report.status == ReportStatus.DRAFT
    assert "Phòng Văn hóa – Xã hội" in report.results
    assert any(v.get("source") == "sum" for v in report.indicator_values.values())


def test_a_second_generate_changes_nothing(demo):
    before = (Report.objects.count(), ReportReview.objects.count(), ReportingSchedule.objects.count())
    out = StringIO()

    call_command("generate", stdout=out)

    assert build_reporting_demo() is None
    assert "bỏ qua" in out.getvalue()
    assert (Report.objects.count(), ReportReview.objects.count(), ReportingSchedule.objects.count()) == before

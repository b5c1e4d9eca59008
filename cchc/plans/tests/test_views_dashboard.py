"""A plan's dashboard: headline figures, completion by area and by lower unit, indicators
for a period, overdue tasks; scoped (an office sees its subtree, a school outside the
plan's issuer gets 404) and aggregated with a bounded number of queries."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.urls import reverse

from cchc.orgs.tests.factories import bulk_units
from cchc.plans import services, tallies
from cchc.plans.models import PlanKind, Task, TaskStatus
from cchc.plans.services_cascade import plan_cascade
from cchc.plans.tests.factories import make_annual_plan

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 16)


@pytest.fixture
def plan(province):
    return make_annual_plan(province)


def dashboard(client, plan, **params):
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        response = client.get(reverse("plan_dashboard", args=[plan.pk]), params)
    assert response.status_code == 200
    return response


def test_headline_figures_and_tables(client, province, plan):
    client.force_login(province.dept_officer)
    response = dashboard(client, plan)
    totals = response.context["totals"]
    assert (totals["total"], totals["done"], totals["overdue"]) == (5, 0, 1)
    html = response.content.decode()
    assert "Theo dõi thực hiện kế hoạch" in html
    assert "Công tác chỉ đạo, điều hành CCHC" in html  # the by-area table
    assert "Xây dựng và triển khai Kế hoạch CCHC năm 2026" in html  # overdue since 02/02
    assert 'id="dashboard-charts"' in html and "vendor/chartjs/chart.umd.min.js" in html
    charts = json.loads(html.split('id="dashboard-charts" type="application/json">')[1].split("</script>")[0])
    area = charts["area"]
    done, in_progress, not_started, overdue = (s["data"] for s in area["series"])
    assert sum(overdue) == 1 and sum(done) == 0
    assert sum(done + in_progress + not_started + overdue) == 5  # the stack adds up


def test_done_count_goes_up_after_a_progress_update(client, province, plan):
    client.force_login(province.dept_officer)
    assert dashboard(client, plan).context["totals"]["done"] == 0
    task = province.tasks[0]
    response = client.post(
        reverse("task_progress", args=[task.pk]),
        {"status": "done", "percent": "100", "comment": "Đã ban hành kế hoạch."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    after = dashboard(client, plan)
    assert after.context["totals"]["done"] == 1
    assert after.context["totals"]["overdue"] == 0
    assert "Không có nhiệm vụ nào quá hạn." in after.content.decode()


def test_lower_units_table_and_drill_down(client, province, plan):
    plan_cascade(actor=province.dept_officer, parent=plan, units=[province.office_a, province.school_a1])
    school_task = plan.derived.get(issuer=province.school_a1).tasks.first()
    services.progress_record(actor=province.school_a1_head, task=school_task, status="done", percent=100)
    client.force_login(province.dept_officer)
    response = dashboard(client, plan)
    rows = {row["unit"].name: row for row in response.context["by_unit"]}
    assert rows["Phòng Giáo dục và Đào tạo Văn Giang"]["done"] == 1  # the school rolls up
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    drilled = dashboard(client, plan, unit=province.office_a.pk)
    assert drilled.context["unit"] == province.office_a
    assert [r["unit"] for r in drilled.context["by_unit"]] == [province.school_a1]
    by_name = dashboard(client, plan, sort="name").context["by_unit"]
    assert [r["unit"].name for r in by_name] == sorted(r["unit"].name for r in by_name)


def test_an_office_officer_drills_only_inside_its_scope(client, province, plan):
    plan_cascade(actor=province.dept_officer, parent=plan, units=[province.office_a, province.office_b])
    client.force_login(province.office_a_officer)
    response = dashboard(client, plan)
    assert response.context["unit"] == province.office_a  # not the whole department
    options = response.content.decode().split('id="dash-unit"')[1].split("</select>")[0]
    assert "Phòng Giáo dục và Đào tạo Văn Lâm" not in options
    missing = client.get(reverse("plan_dashboard", args=[plan.pk]), {"unit": province.office_b.pk})
    assert missing.status_code == 404


def test_indicators_for_a_period_of_the_plan(client, province, plan):
    services.indicator_entry_set(
        actor=province.dept_officer,
        indicator=province.ind_email,
        unit=province.department,
        period_key="2026-Q1",
        value=100,
    )
    client.force_login(province.dept_officer)
    response = dashboard(client, plan, period="2026-Q1")
    assert response.context["period"].key == "2026-Q1"
    # The page answers first; the indicator panel loads on its own request (htmx).
    assert response.context["indicators"] is None
    assert 'hx-trigger="load"' in response.content.decode()
    panel = dashboard(client, plan, period="2026-Q1", panel="indicators")
    assert "Tỷ lệ cán bộ, công chức sử dụng thư điện tử" in panel.content.decode()
    assert "<html" not in panel.content.decode()
    inline = dashboard(client, plan, period="2026-Q1", indicators="1")  # without JavaScript
    assert inline.context["indicators"] is not None
    values = {i.indicator.pk: i for i in panel.context["indicators"]}
    assert values[province.ind_email.pk].value == 100
    assert values[province.ind_email.pk].status == "on_track"
    html = response.content.decode()
    assert "Quý I/2026" in html and "Năm 2026" in html
    assert dashboard(client, plan, period="nonsense").context["period"].key == "2026"


def test_out_of_scope_plan_is_404(client, province):
    office_plan = services.plan_create(
        actor=province.office_b_officer,
        issuer=province.office_b,
        kind=PlanKind.ANNUAL,
        title="Kế hoạch CCHC năm 2026 của Phòng GD&ĐT Văn Lâm",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    for user in (province.office_a_officer, province.school_a1_head):
        client.force_login(user)
        assert client.get(reverse("plan_dashboard", args=[office_plan.pk])).status_code == 404
    client.force_login(province.office_b_officer)
    assert client.get(reverse("plan_dashboard", args=[office_plan.pk])).status_code == 200


def test_dashboard_queries_are_bounded_whatever_the_number_of_tasks(
    client, province, plan, django_assert_max_num_queries
):
    schools = bulk_units(province.office_a, "school", 40, level="primary")
    shared = [
        services.task_add(
            actor=province.dept_officer,
            plan=plan,
            content=f"Nhiệm vụ chung {i}",
            timeframe_text="Quý I/2026",
            lead_unit=province.division,
            coordinating_units=schools,
        )
        for i in range(3)
    ]
    plan_cascade(actor=province.dept_officer, parent=plan, units=schools)
    tasks = Task.objects.filter(root_plan=plan)
    assert tasks.count() == 8 + 40 * 3
    Task.objects.filter(plan__issuer__in=schools[:10]).update(status=TaskStatus.DONE, percent=100)
    tallies.rebuild(plan.pk)  # a bulk SQL change bypasses the services: recount
    client.force_login(province.dept_officer)
    with django_assert_max_num_queries(30):
        small = dashboard(client, plan)
    assert small.context["totals"]["done"] == 30
    more = bulk_units(province.office_b, "school", 150, level="primary")
    for task in shared:
        task.coordinating_units.add(*more)
    plan_cascade(actor=province.dept_officer, parent=plan, units=more)
    assert tasks.count() == 8 + 190 * 3
    with django_assert_max_num_queries(30):
        large = dashboard(client, plan)
    assert large.context["totals"]["total"] == 8 + 190 * 3
    assert len(large.context["by_unit"]) == 2  # the two offices that cascaded


# --- the one-minute cache (CCHC_DASHBOARD_MAX_AGE, cchc/core/recent.py) ------------------
# The cascade's figures and the measured indicators are served as computed less than a
# minute ago, with the time they were computed and "Tính lại ngay"; what an officer types
# (a manual indicator value) shows at once; a unit's cached figures never reach a user
# outside it.


def _values(panel) -> dict:
    return {i.indicator.pk: i for i in panel.context["indicators"]}


def test_progress_shows_after_the_minute_or_at_once_on_asking(client, province, plan, dashboard_cache):
    client.force_login(province.dept_officer)
    assert dashboard(client, plan).context["totals"]["done"] == 0
    services.progress_record(actor=province.dept_officer, task=province.tasks[0], status="done", percent=100)

    again = dashboard(client, plan)
    assert again.context["totals"]["done"] == 0  # the figures of a moment ago …
    html = again.content.decode()
    assert "Số liệu tính lúc" in html and "Tính lại ngay" in html
    assert dashboard(client, plan, fresh="1").context["totals"]["done"] == 1  # … until asked
    assert dashboard(client, plan).context["totals"]["done"] == 1


def test_a_manual_value_shows_at_once_a_measured_one_after_asking(client, province, plan, dashboard_cache):
    client.force_login(province.dept_officer)
    before = _values(dashboard(client, plan, period="2026", panel="indicators"))
    assert before[province.ind_email.pk].value is None
    measured_before = before[province.ind_tasks.pk]

    services.indicator_entry_set(
        actor=province.dept_officer, indicator=province.ind_email, unit=province.department,
        period_key="2026", value=100,
    )
    # Due in Quý IV/2026, done before: one more task done on time.
    services.progress_record(actor=province.dept_officer, task=province.tasks[3], status="done", percent=100)
    panel = dashboard(client, plan, period="2026", panel="indicators")
    values = _values(panel)
    assert values[province.ind_email.pk].value == 100  # typed: read live
    assert values[province.ind_tasks.pk].numerator == measured_before.numerator  # measured: cached
    html = panel.content.decode()
    assert 'id="indicator-panel"' in html and 'hx-target="#indicator-panel"' in html
    assert "Tính lại ngay" in html and "fresh=1" in html

    fresh = _values(dashboard(client, plan, period="2026", panel="indicators", fresh="1"))
    assert fresh[province.ind_tasks.pk].numerator == measured_before.numerator + 1


def test_a_units_cached_figures_stay_inside_its_scope(client, province, plan, dashboard_cache):
    plan_cascade(actor=province.dept_officer, parent=plan, units=[province.office_a, province.office_b])
    client.force_login(province.dept_officer)
    assert dashboard(client, plan, unit=province.office_b.pk).context["unit"] == province.office_b

    client.force_login(province.office_a_officer)
    refused = client.get(reverse("plan_dashboard", args=[plan.pk]), {"unit": province.office_b.pk})
    assert refused.status_code == 404
    panel = client.get(
        reverse("plan_dashboard", args=[plan.pk]), {"unit": province.office_b.pk, "panel": "indicators"}
    )
    assert panel.status_code == 404
    own = dashboard(client, plan)
    assert own.context["unit"] == province.office_a


def test_computing_now_is_not_carried_into_the_links(client, province, plan, dashboard_cache):
    plan_cascade(actor=province.dept_officer, parent=plan, units=[province.office_a, province.school_a1])
    school_task = plan.derived.get(issuer=province.school_a1).tasks.first()
    services.progress_record(actor=province.school_a1_head, task=school_task, status="done", percent=100)
    client.force_login(province.dept_officer)
    response = dashboard(client, plan, period="2026-Q1", fresh="1", utm_source="x")
    html = response.content.decode()
    table = html.split('id="by-unit-table"', 1)[1].split("</table>", 1)[0]
    assert f"?period=2026-Q1&amp;unit={province.office_a.pk}" in table  # the filter is kept …
    assert "fresh=1" not in table and "utm_source" not in table  # … not the rest

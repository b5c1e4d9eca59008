"""The plan dashboard serves the cascade's figures and the measured indicators as computed
less than a minute ago (`CCHC_DASHBOARD_MAX_AGE`, cchc/core/recent.py), says when, and
computes them again on asking; what an officer types (a manual indicator value) shows at
once, and a unit's cached figures never reach a user outside it."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from cchc.plans import services
from cchc.plans.services_cascade import plan_cascade
from cchc.plans.tests.factories import make_annual_plan

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 16)


@pytest.fixture
def cached(settings):
    settings.CCHC_DASHBOARD_MAX_AGE = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(province):
    return make_annual_plan(province)


def dashboard(client, plan, **params):
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        response = client.get(reverse("plan_dashboard", args=[plan.pk]), params)
    assert response.status_code == 200
    return response


def _values(panel) -> dict:
    return {i.indicator.pk: i for i in panel.context["indicators"]}


def test_progress_shows_after_the_minute_or_at_once_on_asking(client, province, plan, cached):
    client.force_login(province.dept_officer)
    assert dashboard(client, plan).context["totals"]["done"] == 0
    services.progress_record(actor=province.dept_officer, task=province.tasks[0], status="done", percent=100)

    again = dashboard(client, plan)
    assert again.context["totals"]["done"] == 0  # the figures of a moment ago …
    html = again.content.decode()
    assert "Số liệu tính lúc" in html and "Tính lại ngay" in html
    assert dashboard(client, plan, fresh="1").context["totals"]["done"] == 1  # … until asked
    assert dashboard(client, plan).context["totals"]["done"] == 1


def test_a_manual_value_shows_at_once_a_measured_one_after_asking(client, province, plan, cached):
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


def test_a_units_cached_figures_stay_inside_its_scope(client, province, plan, cached):
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


def test_computing_now_is_not_carried_into_the_links(client, province, plan, cached):
    plan_cascade(actor=province.dept_officer, parent=plan, units=[province.office_a, province.school_a1])
    school_task = plan.derived.get(issuer=province.school_a1).tasks.first()
    services.progress_record(actor=province.school_a1_head, task=school_task, status="done", percent=100)
    client.force_login(province.dept_officer)
    response = dashboard(client, plan, period="2026-Q1", fresh="1", utm_source="x")
    html = response.content.decode()
    table = html.split('id="by-unit-table"', 1)[1].split("</table>", 1)[0]
    assert f"?period=2026-Q1&amp;unit={province.office_a.pk}" in table  # the filter is kept …
    assert "fresh=1" not in table and "utm_source" not in table  # … not the rest

"""Cascading a plan to lower units, a lower unit deriving its own plan, and coverage.

The department cascades its annual plan; office A's officer derives and issues the
office's plan; office B (the sibling) must neither reach office A's plan nor the
department's coverage.
"""

import datetime as dt
from decimal import Decimal
from html import unescape

import pytest
from django.db.models import Q
from django.urls import reverse

from cchc.plans import services, services_cascade
from cchc.plans.models import Plan, PlanStatus, Task
from cchc.plans.tests.factories import make_annual_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province):
    return make_annual_plan(province)


def text(response) -> str:
    return unescape(response.content.decode())


def tasks_concerning(plan, unit) -> set[int]:
    return set(plan.tasks.filter(Q(lead_unit=unit) | Q(coordinating_units=unit)).values_list("pk", flat=True))


# --- cascade --------------------------------------------------------------------------


def test_cascade_page_lists_the_lower_units(client, province, plan):
    t = province
    client.force_login(t.dept_officer)
    html = text(client.get(reverse("plan_cascade", args=[plan.pk])))
    assert "Phòng Giáo dục và Đào tạo Văn Giang" in html
    assert "Phòng Giáo dục và Đào tạo Văn Lâm" in html
    assert "Trường THPT Văn Giang" in html
    assert "Văn phòng Sở" not in html.split("Đơn vị trực thuộc")[-1]  # a division derives nothing
    assert "Tất cả trường học, trung tâm cấp dưới" in html


def test_cascade_to_two_offices_creates_drafts_with_their_items(client, province, plan):
    t = province
    client.force_login(t.dept_officer)
    response = client.post(reverse("plan_cascade", args=[plan.pk]), {"units": [t.office_a.pk, t.office_b.pk]})
    assert response.status_code == 302 and response.url == reverse("plan_coverage", args=[plan.pk])
    drafts = {p.issuer_id: p for p in Plan.objects.filter(parent=plan)}
    assert set(drafts) == {t.office_a.pk, t.office_b.pk}
    for office in (t.office_a, t.office_b):
        draft = drafts[office.pk]
        assert draft.status == PlanStatus.DRAFT and draft.root_id == plan.pk
        assert set(draft.indicators.values_list("parent_id", flat=True)) == {
            t.ind_on_time.pk,
            t.ind_email.pk,
            t.ind_tasks.pk,
        }
        assert set(draft.tasks.values_list("parent_id", flat=True)) == tasks_concerning(plan, office)
        assert set(draft.tasks.values_list("lead_unit_id", flat=True)) <= {office.pk}
    html = text(client.get(response.url))
    assert "Đã tạo 2 kế hoạch dự thảo cho đơn vị cấp dưới." in html


def test_cascade_shortcut_reaches_every_school_below(client, province, plan):
    t = province
    client.force_login(t.dept_officer)
    client.post(reverse("plan_cascade", args=[plan.pk]), {"all_schools": "on"})
    issuers = set(Plan.objects.filter(parent=plan).values_list("issuer_id", flat=True))
    assert issuers == {t.high_school.pk, t.school_a1.pk, t.school_a2.pk, t.school_b1.pk}
    # The email indicator applies to offices and divisions, not to schools.
    school_plan = Plan.objects.get(parent=plan, issuer=t.school_a1)
    assert t.ind_email.pk not in set(school_plan.indicators.values_list("parent_id", flat=True))
    # Again: the schools that have a plan are left alone.
    response = client.post(reverse("plan_cascade", args=[plan.pk]), {"all_schools": "on"}, follow=True)
    assert "Đã tạo 0 kế hoạch dự thảo" in text(response)
    assert Plan.objects.filter(parent=plan).count() == 4


def test_cascade_needs_a_choice_and_an_issued_plan(client, province):
    t = province
    draft = make_annual_plan(t, issue=False)
    client.force_login(t.dept_officer)
    html = text(client.post(reverse("plan_cascade", args=[draft.pk]), {"units": [t.office_a.pk]}))
    assert "Chỉ triển khai được kế hoạch đã ban hành." in html
    services.plan_set_status(actor=t.dept_officer, plan=draft, status="issued")
    html = text(client.post(reverse("plan_cascade", args=[draft.pk]), {}))
    assert "Hãy chọn ít nhất một đơn vị cấp dưới." in html
    assert not Plan.objects.filter(parent=draft).exists()


def test_only_the_issuers_managers_cascade(client, province, plan):
    t = province
    for user in (t.office_a_officer, t.school_a1_head, t.viewer):
        client.force_login(user)
        assert client.get(reverse("plan_cascade", args=[plan.pk])).status_code == 403
        assert client.post(reverse("plan_cascade", args=[plan.pk]), {"all_schools": "on"}).status_code == 403
    assert not Plan.objects.filter(parent=plan).exists()


# --- derive ---------------------------------------------------------------------------


def test_office_officer_derives_with_a_tightened_target(client, province, plan):
    t = province
    client.force_login(t.office_a_officer)
    html = text(client.get(reverse("plan_detail", args=[plan.pk])))
    assert "Xây dựng kế hoạch của đơn vị" in html
    response = client.get(reverse("plan_derive", args=[plan.pk]))
    form = response.context["form"]
    concerning = {str(pk) for pk in tasks_concerning(plan, t.office_a)}
    assert set(form["tasks"].value()) == concerning
    assert set(form["indicators"].value()) == {
        str(t.ind_on_time.pk),
        str(t.ind_email.pk),
        str(t.ind_tasks.pk),
    }
    data = {
        "indicators": [t.ind_on_time.pk, t.ind_email.pk],
        "tasks": list(concerning),
        f"target_{t.ind_on_time.pk}": "99,5",
        f"target_{t.ind_email.pk}": "100",
    }
    response = client.post(reverse("plan_derive", args=[plan.pk]), data)
    derived = Plan.objects.get(parent=plan, issuer=t.office_a)
    assert response.status_code == 302 and response.url == reverse("plan_detail", args=[derived.pk])
    targets = dict(derived.indicators.values_list("parent_id", "target"))
    assert targets == {t.ind_on_time.pk: Decimal("99.5"), t.ind_email.pk: Decimal("100")}
    assert {str(pk) for pk in derived.tasks.values_list("parent_id", flat=True)} == concerning
    # The derived plan's page links each item to its parent item.
    html = text(client.get(response.url))
    assert "Từ chỉ tiêu cấp trên (≥ 98 %)" in html and "≥ 99,5 %" in html
    assert f"{reverse('plan_detail', args=[plan.pk])}#indicator-{t.ind_on_time.pk}" in html
    assert "Kế hoạch cấp trên" in html
    # Office A adds its own task and issues its plan.
    client.post(reverse("plan_task_add", args=[derived.pk]), {"content": "Tập huấn CCHC cho các trường"})
    response = client.post(
        reverse("plan_status", args=[derived.pk]), {"status": "issued", "issued_on": "01/02/2026"}
    )
    derived.refresh_from_db()
    assert derived.status == PlanStatus.ISSUED and derived.tasks.count() == len(concerning) + 1


def test_a_loosened_target_is_refused_and_the_choice_kept(client, province, plan):
    t = province
    client.force_login(t.office_a_officer)
    data = {
        "indicators": [t.ind_on_time.pk, t.ind_tasks.pk],
        "tasks": [],
        f"target_{t.ind_on_time.pk}": "90",
    }
    response = client.post(reverse("plan_derive", args=[plan.pk]), data)
    html = text(response)
    assert response.status_code == 200
    assert "Chỉ tiêu của đơn vị không được thấp hơn chỉ tiêu cấp trên (≥ 98)." in html
    assert 'value="90"' in html
    assert not Plan.objects.filter(parent=plan).exists()


def test_derive_after_a_cascade_opens_the_draft(client, province, plan):
    t = province
    services_cascade.plan_cascade(actor=t.dept_officer, parent=plan, units=[t.office_a])
    draft = Plan.objects.get(parent=plan, issuer=t.office_a)
    client.force_login(t.office_a_officer)
    html = text(client.get(reverse("plan_detail", args=[plan.pk])))
    assert "Mở kế hoạch của đơn vị" in html
    response = client.get(reverse("plan_derive", args=[plan.pk]))
    assert response.status_code == 302 and response.url == reverse("plan_detail", args=[draft.pk])


def test_derive_is_for_lower_units_only(client, province, plan):
    t = province
    client.force_login(t.dept_officer)  # the issuer itself
    assert client.get(reverse("plan_derive", args=[plan.pk])).status_code == 403
    client.force_login(t.school_a1_staff)  # staff do not manage plans
    assert client.get(reverse("plan_derive", args=[plan.pk])).status_code == 403
    draft = services.plan_create(
        actor=t.dept_officer,
        issuer=t.department,
        kind="annual",
        title="Kế hoạch CCHC năm 2027 (dự thảo)",
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
    )
    client.force_login(t.office_a_officer)  # a draft of the department is not visible below
    assert client.get(reverse("plan_derive", args=[draft.pk])).status_code == 404


def test_sibling_office_cannot_open_office_as_plan(client, province, plan):
    t = province
    derived = services_cascade.plan_derive(actor=t.office_a_officer, parent=plan, unit=t.office_a)
    client.force_login(t.office_b_officer)
    for name in ("plan_detail", "plan_edit", "plan_coverage", "plan_cascade"):
        assert client.get(reverse(name, args=[derived.pk])).status_code == 404, name


def test_parent_task_shows_the_rolled_up_progress_of_derived_tasks(client, province, plan):
    t = province
    survey = t.tasks[1]  # coordinated by every school
    services_cascade.plan_cascade(actor=t.dept_officer, parent=plan, units=[t.school_a1, t.school_a2])
    done = Task.objects.get(parent=survey, plan__issuer=t.school_a1)
    services.progress_record(actor=t.school_a1_head, task=done, status="done", percent=100)
    client.force_login(t.dept_officer)
    html = text(client.get(reverse("plan_detail", args=[plan.pk])))
    assert "Cấp dưới: 1/2 đơn vị hoàn thành, bình quân 50%" in html


# --- coverage -------------------------------------------------------------------------


def test_coverage_shows_issued_draft_and_missing_units(client, province, plan):
    t = province
    services_cascade.plan_cascade(actor=t.dept_officer, parent=plan, units=[t.office_a, t.office_b])
    office_a_plan = Plan.objects.get(parent=plan, issuer=t.office_a)
    services.plan_set_status(actor=t.office_a_officer, plan=office_a_plan, status="issued")
    client.force_login(t.dept_officer)
    response = client.get(reverse("plan_coverage", args=[plan.pk]))
    rows = {row["unit"].pk: row["status"] for row in response.context["coverage"].units}
    assert rows[t.office_a.pk] == PlanStatus.ISSUED
    assert rows[t.office_b.pk] == PlanStatus.DRAFT
    assert rows[t.high_school.pk] is None
    assert response.context["counts"] == {"units": 3, "issued": 1, "draft": 1, "missing": 1}
    html = text(response)
    assert "Chưa có kế hoạch" in html and "Dự thảo" in html and "Đã ban hành" in html
    # The items office A did not take over are listed as uncovered.
    uncovered = {task.pk for task in response.context["coverage"].uncovered_tasks}
    assert uncovered == {task.pk for task in t.tasks} - tasks_concerning(plan, t.office_a)


def test_coverage_is_for_the_issuers_readers(client, province, plan):
    t = province
    client.force_login(t.office_b_officer)  # reads the department's plan, not its coverage
    assert client.get(reverse("plan_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("plan_coverage", args=[plan.pk])).status_code == 403
    client.force_login(t.viewer)
    assert client.get(reverse("plan_coverage", args=[plan.pk])).status_code == 200


def test_derived_plan_dates_follow_the_parent(province, plan):
    derived = services_cascade.plan_derive(
        actor=province.office_a_officer, parent=plan, unit=province.office_a
    )
    assert (derived.period_start, derived.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))

"""The plans list, a plan's page and its forms, seen by users of different units.

Every test has a user of a sibling unit (office B, or a school of office B) who must not
see what office A or the department keeps to itself.
"""

import datetime as dt
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from cchc.plans import services
from cchc.plans.models import Indicator, Plan, PlanStatus, Task
from cchc.plans.tests.factories import area, make_annual_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province):
    return make_annual_plan(province)


def office_b_draft(t) -> Plan:
    return services.plan_create(
        actor=t.office_b_officer,
        issuer=t.office_b,
        kind="annual",
        number="251",
        symbol="KH-PGD&ĐT",
        title="Kế hoạch CCHC năm 2026 của Phòng GD&ĐT Văn Lâm",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )


def text(response) -> str:
    return unescape(response.content.decode())


def page(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, response.status_code
    return text(response)


# --- list -----------------------------------------------------------------------------


def test_school_head_sees_the_departments_issued_plan_not_office_bs_draft(client, province, plan):
    t = province
    draft = office_b_draft(t)
    client.force_login(t.school_a1_head)
    html = page(client, "plan_list")
    assert plan.title in html
    assert draft.title not in html
    assert "Tạo kế hoạch" in html  # a school head manages the school's own plans
    assert client.get(reverse("plan_detail", args=[draft.pk])).status_code == 404


def test_office_b_officer_sees_its_draft_and_the_departments_plan(client, province, plan):
    t = province
    draft = office_b_draft(t)
    client.force_login(t.office_b_officer)
    html = page(client, "plan_list")
    assert plan.title in html and draft.title in html
    assert "251/KH-PGD&ĐT" in html
    assert "Dự thảo" in html and "Đã ban hành" in html


def test_a_viewer_gets_no_create_button(client, province, plan):
    client.force_login(province.viewer)
    html = page(client, "plan_list")
    assert plan.title in html
    assert "Tạo kế hoạch" not in html
    assert client.get(reverse("plan_create")).status_code == 403


def test_search_without_diacritics_by_reference_and_issuer(client, province, plan):
    t = province
    draft = office_b_draft(t)
    client.force_login(t.dept_officer)
    html = page(client, "plan_list", q="cong tac cai cach")
    assert plan.title in html and draft.title not in html
    html = page(client, "plan_list", q="251/KH-PGD&ĐT")
    assert draft.title in html and plan.title not in html
    html = page(client, "plan_list", q="van lam")
    assert draft.title in html and plan.title not in html
    html = page(client, "plan_list", q="khong co ke hoach nay")
    assert "Không tìm thấy kế hoạch nào." in html


def test_filters_by_status_kind_and_year(client, province, plan):
    t = province
    draft = office_b_draft(t)
    client.force_login(t.dept_officer)
    html = page(client, "plan_list", status="draft")
    assert draft.title in html and plan.title not in html
    html = page(client, "plan_list", kind="phase")
    assert "Không tìm thấy kế hoạch nào." in html
    assert plan.title not in page(client, "plan_list", year=2025)
    assert plan.title in page(client, "plan_list", year=2026)


def test_htmx_request_returns_only_the_rows(client, province, plan):
    client.force_login(province.dept_officer)
    response = client.get(reverse("plan_list"), {"q": "cai cach"}, HTTP_HX_REQUEST="true")
    html = text(response)
    assert plan.title in html and "<html" not in html


def test_list_queries_stay_few(client, province, plan, django_assert_max_num_queries):
    t = province
    for i in range(60):
        services.plan_create(
            actor=t.dept_officer,
            issuer=t.department,
            kind="thematic",
            title=f"Kế hoạch chuyên đề số {i}",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )
    client.force_login(t.dept_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("plan_list"))
    assert len(response.context["page"].object_list) == 50
    with django_assert_max_num_queries(14):
        client.get(reverse("plan_list"), {"q": "chuyen de", "page": 2})


# --- create / edit --------------------------------------------------------------------


PLAN_DATA = {
    "number": "12",
    "symbol": "KH-PGDĐT",
    "issued_on": "15/01/2026",
    "place": "Văn Giang",
    "title": "Kế hoạch CCHC năm 2026 của Phòng GD&ĐT Văn Giang",
    "kind": "annual",
    "period_start": "01/01/2026",
    "period_end": "31/12/2026",
    "implements_text": "Kế hoạch số 20/KH-SGDĐT của Sở GD&ĐT",
    "purposes": "Nâng cao chất lượng giải quyết TTHC.",
    "requirements": "",
}


def test_office_officer_creates_a_plan_for_their_office(client, province):
    t = province
    client.force_login(t.office_a_officer)
    html = page(client, "plan_create")
    assert "Phòng Giáo dục và Đào tạo Văn Giang" in html
    assert "Phòng Giáo dục và Đào tạo Văn Lâm" not in html
    response = client.post(reverse("plan_create"), {**PLAN_DATA, "issuer": t.office_a.pk})
    plan = Plan.objects.get(title=PLAN_DATA["title"])
    assert response.status_code == 302 and response.url == reverse("plan_detail", args=[plan.pk])
    assert plan.issuer == t.office_a and plan.status == PlanStatus.DRAFT
    assert plan.issued_on == dt.date(2026, 1, 15) and plan.reference == "12/KH-PGDĐT"


def test_create_without_a_title_keeps_what_was_typed(client, province):
    t = province
    client.force_login(t.office_a_officer)
    data = {**PLAN_DATA, "title": "", "issuer": t.office_a.pk}
    response = client.post(reverse("plan_create"), data)
    html = text(response)
    assert response.status_code == 200
    assert "Vui lòng nhập trích yếu của kế hoạch." in html
    assert 'value="15/01/2026"' in html and 'value="Văn Giang"' in html
    assert "Nâng cao chất lượng giải quyết TTHC." in html
    assert not Plan.objects.exists()


def test_create_with_end_before_start_shows_the_message(client, province):
    t = province
    client.force_login(t.office_a_officer)
    data = {**PLAN_DATA, "period_end": "31/12/2025", "issuer": t.office_a.pk}
    html = text(client.post(reverse("plan_create"), data))
    assert "Ngày kết thúc phải sau ngày bắt đầu." in html
    assert PLAN_DATA["title"] in html and 'value="31/12/2025"' in html
    assert not Plan.objects.exists()


def test_create_for_a_sibling_office_is_refused(client, province):
    t = province
    client.force_login(t.office_a_officer)
    html = text(client.post(reverse("plan_create"), {**PLAN_DATA, "issuer": t.office_b.pk}))
    assert "Bạn không quản lý kế hoạch của đơn vị này." in html
    assert not Plan.objects.exists()


def test_edit_a_plan(client, province, plan):
    client.force_login(province.dept_officer)
    html = page(client, "plan_edit", plan.pk)
    assert 'value="10/01/2026"' in html
    data = {**PLAN_DATA, "title": "Kế hoạch CCHC năm 2026 (sửa đổi)", "version": plan.version}
    response = client.post(reverse("plan_edit", args=[plan.pk]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch CCHC năm 2026 (sửa đổi)"


def test_edit_after_someone_else_saved_shows_the_conflict(client, province, plan):
    opened = plan.version
    services.plan_update(actor=province.dept_officer, plan=plan, place="Hưng Yên (sửa)")
    client.force_login(province.dept_officer)
    data = {**PLAN_DATA, "version": opened}
    html = text(client.post(reverse("plan_edit", args=[plan.pk]), data))
    assert "Kế hoạch vừa được người khác cập nhật" in html
    assert "Hưng Yên (sửa)" in html and "Bạn nhập" in html
    plan.refresh_from_db()
    assert plan.title != PLAN_DATA["title"]


# --- the plan page --------------------------------------------------------------------


def test_plan_page_reads_like_the_document(client, province, plan):
    client.force_login(province.school_a1_head)
    html = page(client, "plan_detail", plan.pk)
    assert "Số: /KH-SGDĐT" in html
    assert "Hưng Yên, ngày 10 tháng 01 năm 2026" in html
    assert "Thực hiện Kế hoạch số 8618/KH-UBND" in html
    assert "Cải cách thủ tục hành chính" in html  # the area of the first indicator
    assert "≥ 98 %" in html
    assert "I. Công tác chỉ đạo, điều hành về CCHC" in html
    assert "Hạn: 31/01/2026" in html and "Thường xuyên, không có hạn" in html
    assert "Định kỳ: 30/06, 30/09/2026" in html
    # A school head reads the department's plan but does not manage it.
    assert "Thêm nhiệm vụ" not in html and "Sửa thông tin" not in html


def test_indicator_statuses_are_coloured(client, province, plan):
    t = province
    services.indicator_entry_set(
        actor=t.dept_officer, indicator=t.ind_on_time, unit=t.department, period_key="2026-Q2", value="99,5"
    )
    services.indicator_entry_set(
        actor=t.dept_officer, indicator=t.ind_email, unit=t.department, period_key="2026-Q2", value=80
    )
    client.force_login(t.dept_officer)
    response = client.get(reverse("plan_detail", args=[plan.pk]), {"period": "2026-Q2"})
    html = text(response)
    assert "99,5 %" in html and "80 %" in html
    statuses = {row.indicator.pk: row.status for g in response.context["areas"] for row in g["rows"]}
    assert statuses[t.ind_on_time.pk] in ("achieved", "on_track")
    assert statuses[t.ind_email.pk] in ("missed", "at_risk")
    assert "status--ok" in html and ("status--bad" in html or "status--warn" in html)


def test_manual_indicator_value_is_entered_from_the_plan_page(client, province, plan):
    t = province
    client.force_login(t.dept_officer)
    url = reverse("plan_indicator_entry", args=[plan.pk, t.ind_on_time.pk])
    response = client.post(url, {"period": "2026", "value": "97,2"})
    assert response.status_code == 302
    assert t.ind_on_time.entries.get(period_key="2026").value == Decimal("97.2")
    html = text(client.post(url, {"period": "2026", "value": "150"}))
    assert "Tỷ lệ phần trăm phải từ 0 đến 100." in html and 'value="150"' in html
    client.force_login(t.school_a1_head)
    assert client.post(url, {"period": "2026", "value": "1"}).status_code == 403


def test_out_of_scope_plan_is_404_on_every_page(client, province, plan):
    t = province
    draft = office_b_draft(t)
    indicator = services.indicator_add(actor=t.office_b_officer, plan=draft, text="Chỉ tiêu", target=100)
    task = services.task_add(actor=t.office_b_officer, plan=draft, content="Nhiệm vụ")
    client.force_login(t.office_a_officer)
    urls = [
        reverse(name, args=[draft.pk])
        for name in (
            "plan_detail",
            "plan_edit",
            "plan_status",
            "plan_indicator_add",
            "plan_task_add",
            "plan_cascade",
            "plan_derive",
            "plan_coverage",
        )
    ]
    urls += [
        reverse(name, args=[draft.pk, indicator.pk])
        for name in ("plan_indicator_edit", "plan_indicator_remove", "plan_indicator_entry")
    ]
    urls += [reverse(name, args=[draft.pk, task.pk]) for name in ("plan_task_edit", "plan_task_remove")]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x"}).status_code == 404, url
    assert client.get(reverse("plan_detail", args=[999999])).status_code == 404


def test_reader_of_a_plan_cannot_open_its_forms(client, province, plan):
    client.force_login(province.school_a1_head)
    for name in ("plan_edit", "plan_indicator_add", "plan_task_add", "plan_cascade"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 403, name


def test_plan_page_queries_stay_few_with_60_tasks(client, province, plan, django_assert_max_num_queries):
    t = province
    for i in range(55):
        services.task_add(
            actor=t.dept_officer,
            plan=plan,
            group="VII. Xây dựng chính quyền điện tử",
            number=str(i + 1),
            content=f"Nhiệm vụ số {i + 1}",
            timeframe_text="Quý IV/2026",
            lead_unit=t.division,
        )
    assert plan.tasks.count() == 60
    client.force_login(t.dept_officer)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("plan_detail", args=[plan.pk]))
    assert response.context["task_count"] == 60


# --- indicators and tasks -------------------------------------------------------------


def test_add_edit_and_remove_an_indicator(client, province, plan):
    t = province
    client.force_login(t.dept_officer)
    html = page(client, "plan_indicator_add", plan.pk)
    assert "Tỷ lệ nhiệm vụ hoàn thành đúng hạn" in html  # a registered metric to choose
    data = {
        "text": "100% văn bản quy phạm pháp luật được tham mưu ban hành đúng quy định.",
        "comparator": ">=",
        "target": "100",
        "unit_of_measure": "%",
        "area": area("institutions").pk,
        "applies_to_kinds": ["department", "district_office"],
        "metric_key": "",
    }
    response = client.post(reverse("plan_indicator_add", args=[plan.pk]), data)
    assert response.status_code == 302
    indicator = plan.indicators.get(text__startswith="100% văn bản")
    assert indicator.applies_to_kinds == ["department", "district_office"] and indicator.is_manual
    html = page(client, "plan_detail", plan.pk)
    assert "Cải cách thể chế" in html and indicator.text in html

    response = client.post(
        reverse("plan_indicator_edit", args=[plan.pk, indicator.pk]), {**data, "target": "95,5"}
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert str(indicator.target) == "95.50"

    response = client.post(reverse("plan_indicator_remove", args=[plan.pk, indicator.pk]))
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_indicator_without_target_keeps_the_text(client, province, plan):
    client.force_login(province.dept_officer)
    data = {
        "text": "Tỷ lệ máy tính trên CBCC đạt 100%",
        "comparator": ">=",
        "target": "",
        "unit_of_measure": "%",
    }
    html = text(client.post(reverse("plan_indicator_add", args=[plan.pk]), data))
    assert "Vui lòng nhập giá trị mục tiêu." in html
    assert "Tỷ lệ máy tính trên CBCC đạt 100%" in html


def test_add_a_task(client, province, plan):
    t = province
    client.force_login(t.dept_officer)
    data = {
        "group": "VI. Cải cách tài chính công",
        "number": "1",
        "content": "Thực hiện tốt quy định về quy chế chi tiêu nội bộ",
        "deliverable": "Quyết định",
        "timeframe_text": "Trong năm 2026",
        "area": area("public_finance").pk,
        "lead_unit": t.division.pk,
        "coordinating_text": "",
    }
    response = client.post(reverse("plan_task_add", args=[plan.pk]), data)
    task = plan.tasks.get(content__startswith="Thực hiện tốt quy định")
    assert response.status_code == 302 and response.url.endswith(f"#task-{task.pk}")
    assert task.lead_unit == t.division and task.due_date == dt.date(2026, 12, 31)
    html = page(client, "plan_detail", plan.pk)
    assert "VI. Cải cách tài chính công" in html and "Hạn: 31/12/2026" in html


def test_task_without_content_keeps_the_other_fields(client, province, plan):
    client.force_login(province.dept_officer)
    data = {"content": "  ", "deliverable": "Báo cáo quý", "timeframe_text": "Quý I/2026"}
    html = text(client.post(reverse("plan_task_add", args=[plan.pk]), data))
    assert "Vui lòng nhập nội dung nhiệm vụ." in html
    assert 'value="Báo cáo quý"' in html and 'value="Quý I/2026"' in html


def test_task_edit_conflict_shows_the_differences(client, province, plan):
    t = province
    task = t.tasks[0]
    client.force_login(t.dept_officer)
    html = page(client, "plan_task_edit", plan.pk, task.pk)
    assert f'name="version" value="{task.version}"' in html
    # Someone else saves the task after the form was opened.
    services.task_update(
        actor=t.dept_officer, task=task, expected_version=task.version, deliverable="Kế hoạch (đã ký)"
    )
    data = {
        "group": task.group,
        "number": task.number,
        "content": task.content,
        "deliverable": "Kế hoạch và báo cáo",
        "timeframe_text": "Tháng 02/2026",
        "area": task.area_id,
        "lead_unit": task.lead_unit_id,
        "lead_text": task.lead_text,
        "coordinating_text": task.coordinating_text,
        "note": "",
        "version": task.version,
    }
    response = client.post(reverse("plan_task_edit", args=[plan.pk, task.pk]), data)
    html = text(response)
    assert response.status_code == 200
    assert "Nhiệm vụ vừa được người khác cập nhật" in html
    rows = {str(r["field"]): (r["mine"], r["saved"]) for r in response.context["conflict_rows"]}
    assert rows["kết quả, sản phẩm"] == ("Kế hoạch và báo cáo", "Kế hoạch (đã ký)")
    assert rows["thời gian thực hiện"] == ("Tháng 02/2026", "Tháng 01/2026")
    assert "Bạn nhập" in html and "Hiện đang lưu" in html
    # The form keeps what was typed and now carries the saved version: saving again wins.
    assert 'value="Kế hoạch và báo cáo"' in html
    assert f'name="version" value="{task.version + 1}"' in html
    data["version"] = task.version + 1
    assert client.post(reverse("plan_task_edit", args=[plan.pk, task.pk]), data).status_code == 302
    task.refresh_from_db()
    assert task.deliverable == "Kế hoạch và báo cáo" and task.due_date == dt.date(2026, 2, 28)


def test_remove_a_task_after_confirming(client, province, plan):
    t = province
    task = t.tasks[-1]
    client.force_login(t.dept_officer)
    html = page(client, "plan_task_remove", plan.pk, task.pk)
    assert task.content in html
    assert client.post(reverse("plan_task_remove", args=[plan.pk, task.pk])).status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()


# --- status ---------------------------------------------------------------------------


def test_issue_a_draft_plan(client, province):
    t = province
    plan = make_annual_plan(t, issue=False)
    client.force_login(t.dept_officer)
    html = page(client, "plan_detail", plan.pk)
    assert "Ban hành kế hoạch" in html
    html = page(client, "plan_status", plan.pk, to="issued")
    assert "Ngày ban hành" in html
    response = client.post(
        reverse("plan_status", args=[plan.pk]), {"status": "issued", "issued_on": "20/01/2026"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.issued_on == dt.date(2026, 1, 20)
    html = page(client, "plan_detail", plan.pk)
    assert "Đã ban hành" in html and "Sơ kết giữa kỳ" in html


def test_issue_an_empty_plan_shows_why_not(client, province):
    t = province
    plan = services.plan_create(
        actor=t.dept_officer,
        issuer=t.department,
        kind="annual",
        title="Kế hoạch trống",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    client.force_login(t.dept_officer)
    response = client.post(
        reverse("plan_status", args=[plan.pk]), {"status": "issued", "issued_on": "20/01/2026"}
    )
    html = text(response)
    assert "chưa có chỉ tiêu hay nhiệm vụ nào" in html and 'value="20/01/2026"' in html
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_mid_term_review_and_close(client, province, plan):
    client.force_login(province.dept_officer)
    url = reverse("plan_status", args=[plan.pk])
    assert client.post(url, {"status": "mid_term_review"}).status_code == 302
    assert client.post(url, {"status": "closed"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert client.get(url, {"to": "issued"}).status_code == 404  # a closed plan stays closed


# --- admin ----------------------------------------------------------------------------


def test_admin_edits_reform_areas_and_reads_plans(client, province, plan, django_user_model):
    superuser = django_user_model.objects.create_superuser("quantri", password="x")
    client.force_login(superuser)
    html = text(client.get(reverse("admin:plans_reformarea_changelist")))
    assert "Cải cách thủ tục hành chính" in html
    html = text(client.get(reverse("admin:plans_plan_change", args=[plan.pk])))
    assert plan.title in html and "Rà soát, đánh giá các quy định" in html
    assert client.get(reverse("admin:plans_plan_add")).status_code == 403
    assert client.get(reverse("admin:plans_task_changelist")).status_code == 200
    assert client.get(reverse("admin:plans_indicator_changelist")).status_code == 200

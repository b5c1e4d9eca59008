"""Plans over the API: each unit sees its own plans and the issued plans above it, writes
go through the services, and bad input comes back as a Vietnamese message with nothing
written."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.orgs.services_tokens import api_token_issue
from cchc.plans import services
from cchc.plans.models import Evidence, Indicator, IndicatorEntry, Plan, ProgressUpdate, Task
from cchc.plans.services_cascade import plan_cascade
from cchc.plans.tests.factories import make_annual_plan

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "Không tìm thấy."}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def bearer(user) -> dict:
    _, plaintext = api_token_issue(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {plaintext}"}


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def plan(province):
    return make_annual_plan(province)


@pytest.fixture
def office_b_draft(province):
    """Office B's own plan, still a draft: nobody outside office B may see it."""
    draft = services.plan_create(
        actor=province.office_b_officer,
        issuer=province.office_b,
        kind="annual",
        title="Kế hoạch CCHC năm 2026 của Phòng GD&ĐT Văn Lâm",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    province.office_b_task = services.task_add(
        actor=province.office_b_officer, plan=draft, content="Rà soát TTHC", lead_unit=province.office_b
    )
    return draft


# --- reading -------------------------------------------------------------------------
def test_school_head_sees_the_departments_issued_plan_not_another_offices_draft(
    client, province, plan, office_b_draft
):
    headers = bearer(province.school_a1_head)

    listed = client.get("/api/plans/plans", headers=headers)
    detail = client.get(f"/api/plans/plans/{plan.pk}", headers=headers)

    assert listed.status_code == 200
    assert ids(listed) == [plan.pk]
    assert listed.json()["count"] == 1
    body = detail.json()
    assert body["title"] == "Công tác cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo"
    assert body["issuer"] == {"id": province.department.pk, "code": "HY", "name": province.department.name}
    assert (body["status"], body["status_label"]) == ("issued", "Đã ban hành")
    assert (body["period_start"], body["period_end"], body["issued_on"]) == (
        "2026-01-01",
        "2026-12-31",
        "2026-01-10",
    )
    assert body["task_count"] == 5
    assert body["reference"] == "/KH-SGDĐT"


def test_another_offices_plan_and_task_are_404(client, province, plan, office_b_draft):
    headers = bearer(province.office_a_officer)

    for url in (
        f"/api/plans/plans/{office_b_draft.pk}",
        f"/api/plans/plans/{office_b_draft.pk}/tasks",
        f"/api/plans/plans/{office_b_draft.pk}/indicators",
        f"/api/plans/plans/{office_b_draft.pk}/dashboard",
        f"/api/plans/tasks/{province.office_b_task.pk}",
        f"/api/plans/tasks/{province.office_b_task.pk}/progress",
        "/api/plans/plans/999999",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.json() == NOT_FOUND, url

    patch = client.patch(
        f"/api/plans/tasks/{province.office_b_task.pk}",
        {"version": 1, "content": "Đổi nội dung"},
        content_type="application/json",
        headers=headers,
    )
    assert patch.status_code == 404
    province.office_b_task.refresh_from_db()
    assert province.office_b_task.content == "Rà soát TTHC"
    # Office B's own officer reads it.
    own = client.get(f"/api/plans/plans/{office_b_draft.pk}", headers=bearer(province.office_b_officer))
    assert own.status_code == 200


def test_filters_and_pagination(client, province, plan, office_b_draft):
    headers = bearer(province.dept_officer)

    assert set(ids(client.get("/api/plans/plans", headers=headers))) == {plan.pk, office_b_draft.pk}
    assert ids(client.get("/api/plans/plans?status=draft", headers=headers)) == [office_b_draft.pk]
    assert ids(client.get("/api/plans/plans?q=van lam", headers=headers)) == [office_b_draft.pk]
    assert ids(client.get(f"/api/plans/plans?issuer={province.department.pk}", headers=headers)) == [plan.pk]
    assert ids(client.get("/api/plans/plans?year=2025", headers=headers)) == []
    assert len(ids(client.get("/api/plans/plans?kind=annual&year=2026&limit=1", headers=headers))) == 1
    bad = client.get("/api/plans/plans?status=archived", headers=headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "status"]


def test_tasks_of_a_plan_with_their_units_and_dates(client, province, plan):
    response = client.get(
        f"/api/plans/plans/{plan.pk}/tasks?area=apparatus", headers=bearer(province.school_a1_head)
    )

    assert response.status_code == 200
    staffing, conditional = response.json()["items"]
    assert staffing["content"] == "Xây dựng kế hoạch biên chế hàng năm và trình Sở Nội vụ"
    assert staffing["lead_unit"]["id"] == province.tccb.pk
    assert (staffing["timeframe_kind"], staffing["due_date"]) == ("once", "2026-12-31")
    assert staffing["area"] == "apparatus"
    assert (staffing["status"], staffing["percent"], staffing["version"]) == ("not_started", 0, 1)
    assert conditional["timeframe_kind"] == "conditional"
    assert conditional["due_date"] is None


# --- writing plans -------------------------------------------------------------------
def test_office_officer_creates_fills_and_issues_a_plan(client, province):
    headers = bearer(province.office_a_officer)

    created = client.post(
        "/api/plans/plans",
        {
            "issuer_id": province.office_a.pk,
            "title": "Kế hoạch CCHC năm 2026",
            "kind": "annual",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "number": "251",
            "symbol": "KH-PGD&ĐT",
        },
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    plan_id = created.json()["id"]
    assert (created.json()["status"], created.json()["reference"]) == ("draft", "251/KH-PGD&ĐT")

    empty = client.post(
        f"/api/plans/plans/{plan_id}/status",
        {"status": "issued"},
        content_type="application/json",
        headers=headers,
    )
    assert empty.status_code == 400
    assert empty.json()["message"] == "Kế hoạch chưa có chỉ tiêu hay nhiệm vụ nào, chưa thể ban hành."

    indicator = client.post(
        f"/api/plans/plans/{plan_id}/indicators",
        {"text": "TTHC giải quyết đúng hạn đạt từ 98% trở lên", "target": 98, "area": "procedures"},
        content_type="application/json",
        headers=headers,
    )
    assert indicator.status_code == 201
    assert (indicator.json()["comparator"], indicator.json()["target"], indicator.json()["area"]) == (
        ">=",
        98,
        "procedures",
    )
    issued = client.post(
        f"/api/plans/plans/{plan_id}/status",
        {"status": "issued", "issued_on": "2026-01-15"},
        content_type="application/json",
        headers=headers,
    )
    assert issued.status_code == 200
    assert (issued.json()["status"], issued.json()["issued_on"]) == ("issued", "2026-01-15")
    # Office B's officer cannot create a plan for office A: it does not exist for them.
    other = client.post(
        "/api/plans/plans",
        {
            "issuer_id": province.office_a.pk,
            "title": "x",
            "kind": "annual",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
        content_type="application/json",
        headers=bearer(province.office_b_officer),
    )
    assert other.status_code == 404
    assert Plan.objects.filter(issuer=province.office_a).count() == 1


def test_stale_plan_version_is_409_with_the_changes(client, province, plan):
    headers = bearer(province.dept_officer)
    version = client.get(f"/api/plans/plans/{plan.pk}", headers=headers).json()["version"]
    first = client.patch(
        f"/api/plans/plans/{plan.pk}",
        {"version": version, "place": "TP. Hưng Yên"},
        content_type="application/json",
        headers=headers,
    )
    assert first.status_code == 200
    assert first.json()["version"] == version + 1

    stale = client.patch(
        f"/api/plans/plans/{plan.pk}",
        {"version": version, "place": "Hưng Yên", "number": "12"},
        content_type="application/json",
        headers=headers,
    )

    assert stale.status_code == 409
    assert stale.json() == {
        "code": "conflict",
        "message": "Kế hoạch vừa được người khác cập nhật. Hãy xem phần thay đổi và lưu lại.",
        "field": None,
        "version": version + 1,
        "changes": {
            "place": {"yours": "Hưng Yên", "current": "TP. Hưng Yên"},
            "number": {"yours": "12", "current": ""},
        },
    }
    plan.refresh_from_db()
    assert (plan.place, plan.number) == ("TP. Hưng Yên", "")


# --- writing tasks -------------------------------------------------------------------
def test_school_head_cannot_add_a_task_to_the_departments_plan(client, province, plan):
    response = client.post(
        f"/api/plans/plans/{plan.pk}/tasks",
        {"content": "Nhiệm vụ của trường"},
        content_type="application/json",
        headers=bearer(province.school_a1_head),
    )

    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "Bạn không có quyền thực hiện thao tác này.",
        "field": None,
    }
    assert plan.tasks.count() == 5
    assert not Task.objects.filter(content="Nhiệm vụ của trường").exists()


def test_department_officer_adds_a_task_with_timeframe_text_and_unit_ids(client, province, plan):
    response = client.post(
        f"/api/plans/plans/{plan.pk}/tasks",
        {
            "content": "Tổ chức kiểm tra công tác CCHC tại các Phòng GD&ĐT",
            "timeframe_text": "Quý IV/2026",
            "lead_unit_id": province.division.pk,
            "coordinating_unit_ids": [province.office_a.pk, province.office_b.pk, province.office_a.pk],
            "area": "direction",
        },
        content_type="application/json",
        headers=bearer(province.dept_officer),
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["timeframe_kind"], body["due_date"]) == ("once", "2026-12-31")
    assert body["lead_unit"]["id"] == province.division.pk
    assert [u["id"] for u in body["coordinating_units"]] == [province.office_a.pk, province.office_b.pk]
    assert body["order"] == 6


def test_task_lead_and_coordinators_read_from_text(client, province, plan):
    response = client.post(
        f"/api/plans/plans/{plan.pk}/tasks",
        {"content": "Cập nhật TTHC", "timeframe_text": "Thường xuyên", "lead_text": "Phòng TCCB"},
        content_type="application/json",
        headers=bearer(province.dept_officer),
    )

    assert response.status_code == 201
    assert response.json()["lead_unit"]["id"] == province.tccb.pk
    assert (response.json()["timeframe_kind"], response.json()["due_date"]) == ("ongoing", None)


@pytest.mark.parametrize(
    "payload, status, expected",
    [
        (
            {"content": "   "},
            400,
            {"code": "required", "message": "Vui lòng nhập nội dung nhiệm vụ.", "field": "content"},
        ),
        ({"area": "procedures"}, 422, {"code": "validation_error", "message": "Dữ liệu không hợp lệ."}),
        (
            {"content": "Nhiệm vụ", "area": "weather"},
            400,
            {"code": "unknown_area", "message": "Không có lĩnh vực “weather”.", "field": "area"},
        ),
    ],
)
def test_bad_task_input_writes_nothing(client, province, plan, payload, status, expected):
    response = client.post(
        f"/api/plans/plans/{plan.pk}/tasks",
        payload,
        content_type="application/json",
        headers=bearer(province.dept_officer),
    )

    assert response.status_code == status
    assert expected.items() <= response.json().items()
    assert plan.tasks.count() == 5


def test_stale_task_version_is_409_with_the_changes(client, province, plan):
    task = province.tasks[0]
    headers = bearer(province.dept_officer)
    first = client.patch(
        f"/api/plans/tasks/{task.pk}",
        {
            "version": 1,
            "content": "Xây dựng Kế hoạch CCHC năm 2026 (bổ sung)",
            "lead_unit_id": province.tccb.pk,
        },
        content_type="application/json",
        headers=headers,
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2

    stale = client.patch(
        f"/api/plans/tasks/{task.pk}",
        {
            "version": 1,
            "content": "Xây dựng Kế hoạch CCHC năm 2026",
            "deliverable": "Kế hoạch",
            "lead_unit_id": province.division.pk,
            "area": "procedures",
        },
        content_type="application/json",
        headers=headers,
    )

    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "conflict"
    assert body["message"] == "Nhiệm vụ vừa được người khác cập nhật. Hãy xem phần thay đổi và lưu lại."
    assert body["version"] == 2
    assert body["changes"] == {
        "content": {
            "yours": "Xây dựng Kế hoạch CCHC năm 2026",
            "current": "Xây dựng Kế hoạch CCHC năm 2026 (bổ sung)",
        },
        "lead_unit_id": {"yours": province.division.pk, "current": province.tccb.pk},
        "area": {"yours": "procedures", "current": "direction"},
    }
    task.refresh_from_db()
    assert (task.content, task.lead_unit_id, task.version) == (
        "Xây dựng Kế hoạch CCHC năm 2026 (bổ sung)",
        province.tccb.pk,
        2,
    )


def test_schema_declares_the_409(client, province):
    schema = client.get("/api/openapi.json").json()

    assert "409" in schema["paths"]["/api/plans/tasks/{task_id}"]["patch"]["responses"]
    assert "409" in schema["paths"]["/api/plans/plans/{plan_id}"]["patch"]["responses"]


# --- indicators ----------------------------------------------------------------------
def test_indicator_values_for_a_unit_and_a_period_in_words(client, province):
    plan = make_annual_plan(province, year=2024)
    ind_on_time = Indicator.objects.get(plan=plan, metric_key="", target=98)
    headers = bearer(province.dept_officer)
    entered = client.post(
        f"/api/plans/indicators/{ind_on_time.pk}/entries",
        {"period": "quý 1 năm 2024", "value": "99.5", "comment": "Số liệu một cửa"},
        content_type="application/json",
        headers=headers,
    )
    assert entered.status_code == 201
    assert entered.json()["period"]["key"] == "2024-Q1"
    assert entered.json()["value"] == 99.5

    response = client.get(f"/api/plans/plans/{plan.pk}/indicators?period=Quý I/2024", headers=headers)

    assert response.status_code == 200
    body = response.json()
    assert body["unit"]["id"] == province.department.pk
    assert body["period"] == {
        "key": "2024-Q1",
        "label": "Quý I/2024",
        "start": "2024-01-01",
        "end": "2024-03-31",
    }
    on_time, email, tasks = body["items"]
    assert on_time["indicator"]["id"] == ind_on_time.pk
    assert (on_time["value"], on_time["status"], on_time["status_label"], on_time["source"]) == (
        99.5,
        "achieved",
        "Đạt",
        "manual",
    )
    assert (email["value"], email["status"]) == (None, "no_data")
    assert (tasks["source"], tasks["indicator"]["metric_key"]) == ("metric", "plans.tasks_done_on_time")


def test_a_school_reads_the_department_indicators_for_itself(client, province, plan):
    response = client.get(
        f"/api/plans/plans/{plan.pk}/indicators?period=2026", headers=bearer(province.school_a1_head)
    )

    assert response.status_code == 200
    assert response.json()["unit"]["id"] == province.school_a1.pk
    other = client.get(
        f"/api/plans/plans/{plan.pk}/indicators?unit={province.school_a2.pk}",
        headers=bearer(province.school_a1_head),
    )
    assert other.status_code == 404


@pytest.mark.parametrize("period", ["quý năm", "Quý V/2026", "2026-Q5"])
def test_bad_period_is_400_with_its_message(client, province, plan, period):
    headers = bearer(province.dept_officer)

    read = client.get(f"/api/plans/plans/{plan.pk}/indicators", {"period": period}, headers=headers)
    write = client.post(
        f"/api/plans/indicators/{province.ind_on_time.pk}/entries",
        {"period": period, "value": 99},
        content_type="application/json",
        headers=headers,
    )

    for response in (read, write):
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_period"
        assert "kỳ báo cáo" in response.json()["message"].lower()
    assert not IndicatorEntry.objects.exists()


def test_bad_period_text_names_what_was_typed(client, province, plan):
    response = client.get(
        f"/api/plans/plans/{plan.pk}/indicators", {"period": "quý năm"}, headers=bearer(province.dept_officer)
    )

    assert response.json() == {
        "code": "invalid_period",
        "message": "Không hiểu kỳ báo cáo “quý năm”.",
        "field": "period",
    }


def test_unknown_metric_key_is_refused(client, province, plan):
    response = client.post(
        f"/api/plans/plans/{plan.pk}/indicators",
        {"text": "Tỷ lệ hồ sơ trực tuyến", "target": 80, "metric_key": "dossiers.nope"},
        content_type="application/json",
        headers=bearer(province.dept_officer),
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "unknown_metric",
        "message": "Không có chỉ số đo lường “dossiers.nope”.",
        "field": "metric_key",
    }
    assert plan.indicators.count() == 3


def test_percent_target_over_100_and_bad_entries_write_nothing(client, province, plan):
    headers = bearer(province.dept_officer)

    target = client.post(
        f"/api/plans/plans/{plan.pk}/indicators",
        {"text": "Tỷ lệ", "target": 140},
        content_type="application/json",
        headers=headers,
    )
    entry = client.post(
        f"/api/plans/indicators/{province.ind_on_time.pk}/entries",
        {"period": "2026-Q1", "value": 140},
        content_type="application/json",
        headers=headers,
    )
    automatic = client.post(
        f"/api/plans/indicators/{province.ind_tasks.pk}/entries",
        {"period": "2026-Q1", "value": 50},
        content_type="application/json",
        headers=headers,
    )

    assert (target.status_code, target.json()["field"]) == (400, "target")
    assert target.json()["message"] == "Tỷ lệ phần trăm phải từ 0 đến 100."
    assert (entry.status_code, entry.json()["field"]) == (400, "value")
    assert automatic.status_code == 400
    assert automatic.json()["message"] == "Chỉ tiêu này được đo tự động, không nhập tay."
    assert plan.indicators.count() == 3
    assert not IndicatorEntry.objects.exists()


def test_a_school_enters_values_only_for_units_it_sees(client, province, plan):
    headers = bearer(province.school_a1_head)
    url = f"/api/plans/indicators/{province.ind_on_time.pk}/entries"

    own = client.post(
        url,
        {"period": "2026-Q1", "value": 100, "unit_id": province.school_a1.pk},
        content_type="application/json",
        headers=headers,
    )
    sibling = client.post(
        url,
        {"period": "2026-Q1", "value": 100, "unit_id": province.school_a2.pk},
        content_type="application/json",
        headers=headers,
    )
    department = client.post(
        url, {"period": "2026-Q1", "value": 100}, content_type="application/json", headers=headers
    )

    assert own.status_code == 201
    assert own.json()["unit"]["id"] == province.school_a1.pk
    assert sibling.status_code == 404
    assert department.status_code == 403
    assert list(IndicatorEntry.objects.values_list("unit_id", flat=True)) == [province.school_a1.pk]


def test_indicator_patch_tightens_the_target(client, province, plan):
    headers = bearer(province.dept_officer)

    response = client.patch(
        f"/api/plans/indicators/{province.ind_on_time.pk}",
        {"target": 99, "comparator": ">="},
        content_type="application/json",
        headers=headers,
    )
    forbidden = client.patch(
        f"/api/plans/indicators/{province.ind_on_time.pk}",
        {"target": 50},
        content_type="application/json",
        headers=bearer(province.school_a1_head),
    )

    assert response.status_code == 200
    assert response.json()["target"] == 99
    assert forbidden.status_code == 403
    province.ind_on_time.refresh_from_db()
    assert province.ind_on_time.target == 99


# --- progress ------------------------------------------------------------------------
def test_percent_140_is_refused_and_nothing_changes(client, province, plan):
    task = province.tasks[0]

    response = client.post(
        f"/api/plans/tasks/{task.pk}/progress",
        {"status": "in_progress", "percent": 140},
        content_type="application/json",
        headers=bearer(province.dept_officer),
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "Tiến độ phải là số từ 0 đến 100.",
        "field": "percent",
    }
    task.refresh_from_db()
    assert (task.status, task.percent, task.version) == ("not_started", 0, 1)
    assert not ProgressUpdate.objects.exists()


@pytest.fixture
def office_task(province, plan):
    """A department task led by office A, cascaded to office A's derived plan."""
    services.task_add(
        actor=province.dept_officer,
        plan=plan,
        content="Công khai TTHC tại bộ phận một cửa",
        timeframe_text="Quý III/2026",
        lead_unit=province.office_a,
    )
    plan_cascade(actor=province.dept_officer, parent=plan, units=[province.office_a])
    return Task.objects.get(
        plan__parent=plan, plan__issuer=province.office_a, content__startswith="Công khai"
    )


def test_progress_as_lead_updates_the_task_and_the_dashboard(client, province, plan, office_task):
    officer = bearer(province.office_a_officer)
    dept = bearer(province.dept_officer)
    before = client.get(f"/api/plans/plans/{plan.pk}/dashboard", headers=dept).json()

    mine = client.get("/api/plans/tasks/mine", headers=officer)
    recorded = client.post(
        f"/api/plans/tasks/{office_task.pk}/progress",
        {"status": "done", "percent": 90, "comment": "Đã niêm yết tại bộ phận một cửa"},
        content_type="application/json",
        headers=officer,
    )

    assert office_task.pk in ids(mine)
    assert recorded.status_code == 201
    assert recorded.json()["unit"]["id"] == province.office_a.pk
    assert (recorded.json()["status"], recorded.json()["percent"]) == ("done", 100)
    assert recorded.json()["is_contribution"] is False
    task = client.get(f"/api/plans/tasks/{office_task.pk}", headers=officer).json()
    assert (task["status"], task["percent"], task["version"]) == ("done", 100, 2)
    assert task["completed_on"] is not None
    history = client.get(f"/api/plans/tasks/{office_task.pk}/progress", headers=officer).json()
    assert [u["comment"] for u in history["items"]] == ["Đã niêm yết tại bộ phận một cửa"]
    assert history["items"][0]["author"] == "vg.cchc"
    after = client.get(f"/api/plans/plans/{plan.pk}/dashboard", headers=dept).json()
    assert after["totals"]["done"] == before["totals"]["done"] + 1
    assert after["totals"]["total"] == before["totals"]["total"]
    by_unit = {row["unit"]["id"]: row for row in after["by_unit"]}
    assert by_unit[province.office_a.pk]["done"] == 1
    assert after["unit"]["id"] == province.department.pk
    # Office A's own view of the department's plan covers office A only.
    office_view = client.get(f"/api/plans/plans/{plan.pk}/dashboard", headers=officer).json()
    assert office_view["unit"]["id"] == province.office_a.pk
    assert office_view["totals"]["done"] == 1


def test_mine_filters_and_someone_elses_progress(client, province, plan, office_task):
    officer = bearer(province.office_a_officer)

    done = client.get("/api/plans/tasks/mine?status=done", headers=officer)
    other_unit = client.get(f"/api/plans/tasks/mine?unit={province.office_b.pk}", headers=officer)
    school = client.post(
        f"/api/plans/tasks/{office_task.pk}/progress",
        {"status": "in_progress", "percent": 50},
        content_type="application/json",
        headers=bearer(province.school_a1_head),
    )

    assert ids(done) == []
    assert other_unit.status_code == 404
    # The school cannot even see office A's derived plan.
    assert school.status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_progress_with_evidence_files_as_multipart(client, province, plan, office_task):
    response = client.post(
        f"/api/plans/tasks/{office_task.pk}/progress/files",
        {
            "status": "in_progress",
            "percent": "60",
            "comment": "Đã niêm yết một phần",
            "files": [
                SimpleUploadedFile("Biên bản niêm yết.pdf", PDF, content_type="text/plain"),
                SimpleUploadedFile("anh.pdf", PDF, content_type="application/pdf"),
            ],
        },
        headers=bearer(province.office_a_officer),
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["percent"]) == ("in_progress", 60)
    assert [(e["original_name"], e["content_type"], e["size"]) for e in body["evidence"]] == [
        ("Biên bản niêm yết.pdf", "application/pdf", len(PDF)),
        ("anh.pdf", "application/pdf", len(PDF)),
    ]
    office_task.refresh_from_db()
    assert office_task.percent == 60


def test_a_disguised_executable_is_refused_and_nothing_is_recorded(client, province, plan, office_task):
    response = client.post(
        f"/api/plans/tasks/{office_task.pk}/progress/files",
        {
            "status": "done",
            "percent": "100",
            "files": [
                SimpleUploadedFile("bien-ban.pdf", PDF),
                SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
            ],
        },
        headers=bearer(province.office_a_officer),
    )

    assert response.status_code == 400
    assert response.json()["field"] == "files"
    assert response.json()["message"].startswith("bao-cao.pdf: ")
    office_task.refresh_from_db()
    assert (office_task.status, office_task.percent) == ("not_started", 0)
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()


# --- cascading -----------------------------------------------------------------------
def test_cascade_to_two_offices_then_coverage_shows_them(client, province, plan):
    headers = bearer(province.dept_officer)

    response = client.post(
        f"/api/plans/plans/{plan.pk}/cascade",
        {"unit_ids": [province.office_a.pk, province.office_b.pk]},
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 201
    created = response.json()["created"]
    assert {p["issuer"]["id"] for p in created} == {province.office_a.pk, province.office_b.pk}
    assert {(p["status"], p["parent_id"]) for p in created} == {("draft", plan.pk)}
    coverage = client.get(f"/api/plans/plans/{plan.pk}/coverage", headers=headers).json()
    rows = {row["unit"]["id"]: row for row in coverage["units"]}
    assert rows[province.office_a.pk]["status"] == "draft"
    assert rows[province.office_a.pk]["plan_id"] in {p["id"] for p in created}
    assert rows[province.office_b.pk]["status"] == "draft"
    assert rows[province.high_school.pk] == {
        "unit": {"id": province.high_school.pk, "code": "HY-THPT-VG", "name": "Trường THPT Văn Giang"},
        "plan_id": None,
        "status": None,
    }
    # Drafts cover nothing yet.
    assert len(coverage["uncovered_tasks"]) == 5
    # Office A's officer sees office A's row only, not office B's.
    office_view = client.get(
        f"/api/plans/plans/{plan.pk}/coverage", headers=bearer(province.office_a_officer)
    )
    assert [row["unit"]["id"] for row in office_view.json()["units"]] == [province.office_a.pk]
    # Again: nothing new.
    again = client.post(
        f"/api/plans/plans/{plan.pk}/cascade",
        {"unit_ids": [province.office_a.pk]},
        content_type="application/json",
        headers=headers,
    )
    assert again.json() == {"created": []}
    assert Plan.objects.filter(parent=plan).count() == 2


def test_cascade_needs_the_issuers_officer(client, province, plan):
    response = client.post(
        f"/api/plans/plans/{plan.pk}/cascade",
        {"unit_ids": [province.office_a.pk]},
        content_type="application/json",
        headers=bearer(province.office_a_officer),
    )

    assert response.status_code == 403
    assert not Plan.objects.filter(parent=plan).exists()


def test_school_derives_its_plan_with_chosen_items_and_tighter_targets(client, province, plan):
    headers = bearer(province.school_a1_head)
    survey = province.tasks[1]
    payload = {
        "unit_id": province.school_a1.pk,
        "indicator_ids": [province.ind_on_time.pk],
        "task_ids": [survey.pk],
        "targets": {str(province.ind_on_time.pk): 90},
    }

    looser = client.post(
        f"/api/plans/plans/{plan.pk}/derive", payload, content_type="application/json", headers=headers
    )
    assert looser.status_code == 400
    assert looser.json()["message"] == "Chỉ tiêu của đơn vị không được thấp hơn chỉ tiêu cấp trên (≥ 98)."
    assert not Plan.objects.filter(parent=plan).exists()

    payload["targets"] = {str(province.ind_on_time.pk): 99}
    response = client.post(
        f"/api/plans/plans/{plan.pk}/derive", payload, content_type="application/json", headers=headers
    )

    assert response.status_code == 201
    derived = response.json()
    assert (derived["issuer"]["id"], derived["parent_id"], derived["status"]) == (
        province.school_a1.pk,
        plan.pk,
        "draft",
    )
    assert derived["task_count"] == 1
    indicators = client.get(f"/api/plans/plans/{derived['id']}/indicators", headers=headers).json()["items"]
    assert [(i["indicator"]["parent_id"], i["indicator"]["target"]) for i in indicators] == [
        (province.ind_on_time.pk, 99)
    ]


# --- the published schema ------------------------------------------------------------
def test_openapi_lists_the_plans_paths(client):
    schema = client.get("/api/openapi.json").json()

    assert {
        "/api/plans/plans",
        "/api/plans/plans/{plan_id}",
        "/api/plans/plans/{plan_id}/status",
        "/api/plans/plans/{plan_id}/indicators",
        "/api/plans/indicators/{indicator_id}",
        "/api/plans/indicators/{indicator_id}/entries",
        "/api/plans/plans/{plan_id}/tasks",
        "/api/plans/tasks/mine",
        "/api/plans/tasks/{task_id}",
        "/api/plans/tasks/{task_id}/progress",
        "/api/plans/tasks/{task_id}/progress/files",
        "/api/plans/plans/{plan_id}/cascade",
        "/api/plans/plans/{plan_id}/derive",
        "/api/plans/plans/{plan_id}/coverage",
        "/api/plans/plans/{plan_id}/dashboard",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/plans/plans"]) == {"get", "post"}
    assert set(schema["paths"]["/api/plans/tasks/{task_id}"]) == {"get", "patch"}

"""Reporting over the API: a school reads and sends its own reports only, the department
reviews them and reads who has reported; bad input comes back as a Vietnamese message
and changes nothing."""

import pytest

from cchc.orgs.services_tokens import api_token_issue
from cchc.reporting.models import Report, ReportStatus
from cchc.workdays import calendar

from .factories import Q2_2025, at, content, make_schedule, open_report, submitted_report

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "Không tìm thấy."}


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def bearer(user) -> dict:
    _, plaintext = api_token_issue(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def schedule(province):
    return make_schedule(province)


@pytest.fixture
def a1_report(province, schedule, monkeypatch):
    at(monkeypatch, "2025-06-20 09:00")
    return submitted_report(schedule, province.school_a1, Q2_2025, actor=province.school_a1_head)


@pytest.fixture
def b1_report(province, schedule, monkeypatch):
    at(monkeypatch, "2025-06-27 15:00")  # two days after the due date
    return submitted_report(schedule, province.school_b1, Q2_2025, actor=province.school_b1_head)


# --- reading -------------------------------------------------------------------------
def test_a_school_sees_only_its_own_reports(client, province, schedule, a1_report, b1_report):
    headers = bearer(province.school_a1_head)

    listed = client.get("/api/reporting/reports", headers=headers)
    own = client.get(f"/api/reporting/reports/{a1_report.pk}", headers=headers)
    other = client.get(f"/api/reporting/reports/{b1_report.pk}", headers=headers)

    assert [r["id"] for r in listed.json()["items"]] == [a1_report.pk]
    body = own.json()
    assert body["unit"]["name"] == province.school_a1.name
    assert body["period"]["label"] == "Quý II/2025"
    assert (body["status"], body["status_label"], body["is_late"]) == ("submitted", "Đã gửi", False)
    assert body["results"].startswith("Cải cách thể chế")
    assert (other.status_code, other.json()) == (404, NOT_FOUND)


def test_the_department_sees_every_report_and_the_late_one_is_marked(client, province, a1_report, b1_report):
    listed = client.get("/api/reporting/reports?period=Quý II/2025", headers=bearer(province.dept_officer))

    items = {r["id"]: r for r in listed.json()["items"]}
    assert set(items) == {a1_report.pk, b1_report.pk}
    assert items[b1_report.pk]["is_late"] is True


def test_a_school_reads_the_duty_it_has_and_its_calendar(client, province, schedule):
    headers = bearer(province.school_a1_head)

    listed = client.get("/api/reporting/schedules", headers=headers)
    cal = client.get(f"/api/reporting/schedules/{schedule.pk}/calendar?year=2025", headers=headers)

    assert [s["id"] for s in listed.json()["items"]] == [schedule.pk]
    assert [(e["period"], e["due"]) for e in cal.json()] == [
        ("2025-Q1", "2025-03-25"),
        ("2025-Q2", "2025-06-25"),
        ("2025-Q3", "2025-09-25"),
        ("2025-Q4", "2025-12-25"),
    ]


def test_an_office_does_not_see_a_schedule_of_a_sibling_office(client, province):
    own = make_schedule(province, owner=province.office_b, actor=province.office_b_officer)

    answer = client.get(f"/api/reporting/schedules/{own.pk}", headers=bearer(province.office_a_officer))

    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)


# --- schedules -------------------------------------------------------------------------
def test_the_department_creates_a_schedule_from_a_preset(client, province):
    answer = client.post(
        "/api/reporting/schedules",
        {
            "owner_id": province.department.pk,
            "name": "Báo cáo CCHC định kỳ gửi Sở",
            "preset": "moha_reform_report",
            "reporter_kinds": ["district_office"],
            "depth": "children",
        },
        content_type="application/json",
        headers=bearer(province.dept_officer),
    )

    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["rule"]["day"] == 20 and body["period_kinds"] == ["quarter", "half_year", "year"]


def test_a_school_cannot_create_a_schedule_for_the_department(client, province):
    answer = client.post(
        "/api/reporting/schedules",
        {
            "owner_id": province.department.pk,
            "name": "X",
            "preset": "moha_reform_report",
            "reporter_kinds": ["school"],
        },
        content_type="application/json",
        headers=bearer(province.school_a1_head),
    )

    assert answer.status_code == 404  # the department is above the school: not in its scope


# --- drafting and submitting -------------------------------------------------------------
def test_a_school_opens_saves_and_submits_its_report(client, province, schedule, monkeypatch):
    at(monkeypatch, "2025-06-20 09:00")
    headers = bearer(province.school_a1_head)

    opened = client.post(
        "/api/reporting/reports",
        {"schedule_id": schedule.pk, "unit_id": province.school_a1.pk, "period": "quý 2 năm 2025"},
        content_type="application/json",
        headers=headers,
    )
    report_id, version = opened.json()["id"], opened.json()["version"]
    saved = client.patch(
        f"/api/reporting/reports/{report_id}",
        {"version": version, **content()},
        content_type="application/json",
        headers=headers,
    )
    sent = client.post(
        f"/api/reporting/reports/{report_id}/submit",
        {"version": saved.json()["version"]},
        content_type="application/json",
        headers=headers,
    )

    assert opened.status_code == 201
    assert opened.json()["due_date"] == "2025-06-25"
    assert saved.status_code == 200
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "submitted" and sent.json()["is_late"] is False


def test_a_stale_version_is_a_conflict_with_the_differences(client, province, schedule):
    report = open_report(schedule, province.school_a1, Q2_2025, actor=province.school_a1_head)
    headers = bearer(province.school_a1_head)
    client.patch(
        f"/api/reporting/reports/{report.pk}",
        {"version": report.version, "results": "Bản của hiệu trưởng"},
        content_type="application/json",
        headers=headers,
    )

    stale = client.patch(
        f"/api/reporting/reports/{report.pk}",
        {"version": report.version, "results": "Bản của cán bộ"},
        content_type="application/json",
        headers=bearer(province.school_a1_staff),
    )

    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "conflict"
    assert body["changes"] == {"results": {"yours": "Bản của cán bộ", "current": "Bản của hiệu trưởng"}}
    report.refresh_from_db()
    assert report.results == "Bản của hiệu trưởng"


def test_a_rate_of_140_percent_is_refused_with_its_field_and_the_draft_is_kept(client, province, schedule):
    report = open_report(schedule, province.school_a1, Q2_2025, actor=province.school_a1_head)
    values = content()["indicator_values"]
    values["on_time"]["value"] = "140"
    headers = bearer(province.school_a1_head)
    saved = client.patch(
        f"/api/reporting/reports/{report.pk}",
        {"version": report.version, **content(indicator_values=values)},
        content_type="application/json",
        headers=headers,
    ).json()

    answer = client.post(
        f"/api/reporting/reports/{report.pk}/submit",
        {"version": saved["version"]},
        content_type="application/json",
        headers=headers,
    )

    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid"
    assert body["field"] == "indicator_values.on_time.value"
    assert body["errors"] == {
        "indicator_values.on_time.value": "Chỉ tiêu “TTHC giải quyết đúng hạn”: tỷ lệ phải từ 0 đến 100%, "
        "không thể là 140%."
    }
    report.refresh_from_db()
    assert (report.status, report.version) == (ReportStatus.DRAFT, saved["version"])
    assert report.indicator_values["on_time"]["value"] == "140"
    assert not report.versions.exists()


def test_a_period_officers_cannot_read_is_a_vietnamese_400(client, province, schedule):
    answer = client.post(
        "/api/reporting/reports",
        {"schedule_id": schedule.pk, "unit_id": province.school_a1.pk, "period": "quý 5/2025"},
        content_type="application/json",
        headers=bearer(province.school_a1_head),
    )

    assert answer.status_code == 400
    assert answer.json() == {
        "code": "invalid_period",
        "message": "Không hiểu kỳ báo cáo “quý 5/2025”.",
        "field": "period",
    }
    assert not Report.objects.exists()


# --- review ----------------------------------------------------------------------------
def test_a_school_cannot_review_even_its_own_report(client, province, a1_report):
    answer = client.post(
        f"/api/reporting/reports/{a1_report.pk}/accept",
        {},
        content_type="application/json",
        headers=bearer(province.school_a1_head),
    )

    assert answer.status_code == 403
    assert answer.json()["code"] == "forbidden"
    a1_report.refresh_from_db()
    assert a1_report.status == ReportStatus.SUBMITTED


def test_the_department_returns_accepts_and_reopens(client, province, a1_report, monkeypatch):
    headers = bearer(province.dept_officer)
    url = f"/api/reporting/reports/{a1_report.pk}"

    no_comment = client.post(
        f"{url}/return", {"comment": " "}, content_type="application/json", headers=headers
    )
    returned = client.post(
        f"{url}/return",
        {"comment": "Bổ sung số liệu quý II."},
        content_type="application/json",
        headers=headers,
    )
    assert (no_comment.status_code, no_comment.json()["field"]) == (400, "comment")
    assert returned.json()["status"] == "returned"
    assert returned.json()["reviews"][0]["comment"] == "Bổ sung số liệu quý II."

    at(monkeypatch, "2025-06-24 10:00")
    school = bearer(province.school_a1_head)
    resent = client.post(
        f"{url}/submit",
        {"version": returned.json()["version"]},
        content_type="application/json",
        headers=school,
    )
    accepted = client.post(f"{url}/accept", {}, content_type="application/json", headers=headers)
    reopened = client.post(
        f"{url}/reopen",
        {"reason": "Sai số liệu thư điện tử."},
        content_type="application/json",
        headers=headers,
    )

    assert resent.json()["status"] == "submitted"
    assert accepted.json()["status"] == "accepted" and accepted.json()["accepted_at"]
    assert reopened.json()["status"] == "returned"
    assert [r["action"] for r in reopened.json()["reviews"]] == ["returned", "accepted", "reopened"]


# --- completeness and consolidation ------------------------------------------------------
def test_completeness_by_office_for_the_department(client, province, schedule, a1_report, b1_report):
    answer = client.get(
        f"/api/reporting/completeness?schedule={schedule.pk}&period=2025-Q2",
        headers=bearer(province.dept_officer),
    )

    assert answer.status_code == 200
    body = answer.json()
    assert body["unit"]["id"] == province.department.pk
    assert (body["total"]["expected"], body["total"]["submitted"], body["total"]["late"]) == (4, 2, 1)
    rows = {r["unit"]["id"]: r["counts"] for r in body["rows"]}
    assert rows[province.office_a.pk]["submitted"] == 1 and rows[province.office_a.pk]["missing"] == 1
    assert rows[province.office_b.pk]["late"] == 1


def test_a_school_cannot_read_the_department_s_completeness(client, province, schedule):
    answer = client.get(
        f"/api/reporting/completeness?schedule={schedule.pk}&period=2025-Q2&unit={province.department.pk}",
        headers=bearer(province.school_a1_head),
    )

    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)


def test_an_office_consolidates_its_schools_reports(client, province, monkeypatch):
    at(monkeypatch, "2025-06-20 09:00")
    # The department's duty covers the offices and their schools: an office sums up its schools'.
    schedule = make_schedule(province, reporter_kinds=("district_office", "school"))
    submitted_report(schedule, province.school_a1, Q2_2025, actor=province.school_a1_head)

    answer = client.post(
        "/api/reporting/consolidate",
        {"schedule_id": schedule.pk, "unit_id": province.office_a.pk, "period": "Quý II/2025"},
        content_type="application/json",
        headers=bearer(province.office_a_officer),
    )

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert [u["id"] for u in body["reported"]] == [province.school_a1.pk]
    assert [u["id"] for u in body["missing"]] == [province.school_a2.pk]
    assert body["report"]["status"] == "draft"
    assert province.school_a1.name in body["report"]["results"]


def test_the_openapi_schema_lists_the_reporting_paths(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    for path in (
        "/api/reporting/schedules",
        "/api/reporting/schedules/{schedule_id}/calendar",
        "/api/reporting/reports",
        "/api/reporting/reports/{report_id}",
        "/api/reporting/reports/{report_id}/submit",
        "/api/reporting/reports/{report_id}/return",
        "/api/reporting/reports/{report_id}/accept",
        "/api/reporting/reports/{report_id}/reopen",
        "/api/reporting/completeness",
        "/api/reporting/consolidate",
    ):
        assert path in paths
    assert "409" in paths["/api/reporting/reports/{report_id}"]["patch"]["responses"]

"""The intake pages, for the department's reform officer who uploads a plan, a district
office's officer (a sibling branch) and a school head below, who must not see the draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.intake import services
from cchc.intake.models import IntakeDraft
from cchc.plans.models import Plan

from .test_services_save import SOURCE, make_draft, sample_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake(province):
    return make_draft(province.dept_officer, province.department)


def review_post(intake: IntakeDraft, action="save", **overrides) -> dict:
    """What the review page posts back when nothing is changed, then `overrides`."""
    data = intake.draft
    plan = data["plan"]

    def date(value):
        return "/".join(reversed(value.split("-"))) if value else ""

    post = {
        "action": action,
        "plan-title": plan["title"] or "", "plan-number": plan["number"] or "",
        "plan-symbol": plan["symbol"] or "", "plan-date": date(plan["date"]),
        "plan-place": plan["place"] or "", "plan-kind": plan["kind"] or "annual",
        "plan-period_start": date(plan["period_start"]), "plan-period_end": date(plan["period_end"]),
        "plan-implements": "\n".join(plan["implements"]),
        "plan-purposes": plan.get("purposes") or "", "plan-requirements": plan.get("requirements") or "",
    }
    for prefix, section, fields in (
        ("ind", "indicators", ("text", "comparator", "value", "unit", "area")),
        ("task", "tasks",
         ("content", "deliverable", "timeframe", "lead", "coordinating", "group", "area", "note")),
    ):
        items = data[section]
        post |= {f"{prefix}-TOTAL_FORMS": len(items) + 1, f"{prefix}-INITIAL_FORMS": len(items),
                 f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
        for i, item in enumerate(items):
            for name in (*fields, "source_line", "confidence"):
                value = item.get(name)
                post[f"{prefix}-{i}-{name}"] = "" if value is None else str(value)
            if item.get("status") == "removed":
                post[f"{prefix}-{i}-removed"] = "on"
    return post | overrides


# --- upload ------------------------------------------------------------------------------


def test_upload_page_offers_the_units_the_user_manages(client, province):
    client.force_login(province.dept_officer)
    response = client.get(reverse("intake_upload"))
    assert response.status_code == 200
    assert "Văn bản kế hoạch" in response.text and "Sở Giáo dục và Đào tạo Hưng Yên" in response.text
    client.force_login(province.school_a1_staff)
    assert client.get(reverse("intake_upload")).status_code == 403


def test_plans_list_links_to_the_intake(client, province):
    client.force_login(province.dept_officer)
    response = client.get(reverse("plan_list"))
    assert reverse("intake_upload") in response.text and "Nhập từ văn bản" in response.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("trong.txt", b"", "Tệp rỗng, không có nội dung."),
        ("ke-hoach.docx", "KẾ HOẠCH cải cách hành chính".encode(),
         "Nội dung tệp không khớp với phần mở rộng “.docx”."),
        ("thu-moi.txt", "Thư mời họp phụ huynh đầu năm học.".encode(),
         "Không nhận ra cấu trúc kế hoạch trong tệp."),
        ("anh.png", b"\x89PNG\r\n\x1a\n", "Chỉ nhận tệp Word (.docx), PDF hoặc văn bản (.txt)."),
    ],
)
def test_a_bad_file_shows_its_message_and_keeps_no_draft(client, province, name, content, message):
    pytest.importorskip("cchc.intake.readers")
    client.force_login(province.dept_officer)
    response = client.post(reverse("intake_upload"), {
        "unit": province.department.pk, "file": SimpleUploadedFile(name, content),
    })
    assert response.status_code == 200
    assert message in response.text
    assert not IntakeDraft.objects.exists()


def test_a_plan_file_opens_its_review(client, province, monkeypatch):
    monkeypatch.setattr(services, "extract", lambda document: sample_draft())
    client.force_login(province.dept_officer)
    text = "\n".join(SOURCE).encode()
    monkeypatch.setattr(services, "looks_like_a_plan", lambda document: True)
    response = client.post(reverse("intake_upload"), {
        "unit": province.department.pk, "file": SimpleUploadedFile("kh-cchc-2022.txt", text),
    })
    intake = IntakeDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("intake_review", args=[intake.pk])
    assert intake.owner == province.dept_officer and intake.unit == province.department


def test_a_unit_the_user_does_not_manage_is_refused(client, province):
    client.force_login(province.office_a_officer)
    response = client.post(reverse("intake_upload"), {
        "unit": province.office_b.pk, "file": SimpleUploadedFile("kh.txt", b"KE HOACH"),
    })
    assert "Bạn không quản lý kế hoạch của đơn vị này." in response.text
    assert not IntakeDraft.objects.exists()


# --- review ------------------------------------------------------------------------------


def test_review_shows_the_source_lines_and_the_proposed_items(client, province, intake):
    client.force_login(province.dept_officer)
    response = client.get(reverse("intake_review", args=[intake.pk]))
    assert response.status_code == 200
    html = response.text
    assert 'id="L6"' in html and "Xây dựng kế hoạch tuyên truyền | Kế hoạch" in html
    assert 'href="#L4"' in html and "tin cậy 60%" in html  # the low-confidence indicator
    assert "Tỷ lệ hài lòng" in html and "Rà soát TTHC" in html
    assert "+ Thêm chỉ tiêu" in html and "+ Thêm nhiệm vụ" in html
    assert "Đơn vị chưa khớp" in html and "Trung tâm phục vụ hành chính công" in html


@pytest.mark.parametrize("who", ["office_b_officer", "office_a_officer", "school_a1_head", "viewer"])
def test_another_users_draft_is_not_found(client, province, intake, who):
    client.force_login(getattr(province, who))
    assert client.get(reverse("intake_review", args=[intake.pk])).status_code == 404
    assert client.post(reverse("intake_review", args=[intake.pk]), review_post(intake)).status_code == 404


def test_invalid_corrections_keep_what_was_typed(client, province, intake):
    client.force_login(province.dept_officer)
    response = client.post(reverse("intake_review", args=[intake.pk]), review_post(
        intake, **{"ind-0-comparator": "~", "ind-1-value": "chín lăm", "task-0-content": "Nội dung đã sửa"},
    ))
    assert response.status_code == 200
    html = response.text
    assert "Phép so sánh không hợp lệ." in html and "“chín lăm” không phải là số." in html
    assert 'value="chín lăm"' in html and "Nội dung đã sửa" in html
    intake.refresh_from_db()
    assert intake.draft["tasks"][0]["content"] == "Xây dựng kế hoạch tuyên truyền"


def test_save_draft_keeps_corrections_and_a_removed_item(client, province, intake):
    client.force_login(province.dept_officer)
    response = client.post(reverse("intake_review", args=[intake.pk]), review_post(
        intake, **{"task-3-removed": "on", "ind-1-value": "96,5", "task-TOTAL_FORMS": 5,
                   "task-4-content": "Nhiệm vụ thêm tay", "task-4-timeframe": "Quý II"},
    ))
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.draft["tasks"][3]["status"] == "removed"
    assert intake.draft["indicators"][1]["value"] == 96.5
    assert intake.draft["tasks"][4]["content"] == "Nhiệm vụ thêm tay"
    assert len(intake.draft["tasks"]) == 5


def test_create_the_plan_after_mapping_the_unmatched_names(client, province, intake):
    client.force_login(province.dept_officer)
    url = reverse("intake_review", args=[intake.pk])
    # Unmatched names left unmapped: nothing is created, the names are listed.
    response = client.post(url, review_post(intake, action="create"))
    assert "2 tên đơn vị chưa khớp" in response.text and not Plan.objects.exists()
    response = client.post(url, review_post(intake, action="create", **{
        "task-3-removed": "on",
        "map-name-0": "Trung tâm phục vụ hành chính công", "map-0": str(province.division.pk),
        "map-name-1": "Thanh tra Sở", "map-1": "none",
    }))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plan_detail", args=[plan.pk])
    page = client.get(response["Location"])
    assert "Đã tạo kế hoạch từ văn bản: 3 chỉ tiêu, 3 nhiệm vụ." in page.text
    assert plan.tasks.get(content="Rà soát TTHC").lead_unit == province.division
    # The saved draft now leads to its plan.
    assert client.get(url)["Location"] == reverse("plan_detail", args=[plan.pk])


def test_discard(client, province, intake):
    client.force_login(province.dept_officer)
    response = client.post(reverse("intake_review", args=[intake.pk]), {"action": "discard"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == IntakeDraft.Status.DISCARDED
    assert client.get(reverse("intake_review", args=[intake.pk])).status_code == 404


def test_review_shows_the_reporting_rules_read_from_the_document(client, province, intake):
    intake.draft["reporting"] = [
        {"period": "quarter", "due": "05/03", "text": "Báo cáo quý I trước ngày 05/3."},
        {"period": "year", "due": "05/12", "text": "Báo cáo năm trước ngày 05/12."},
    ]
    intake.save(update_fields=["draft"])
    client.force_login(province.dept_officer)
    html = client.get(reverse("intake_review", args=[intake.pk])).text
    assert "Chế độ báo cáo đọc được" in html
    assert "Quý</strong> — hạn 05/03" in html and "Báo cáo năm trước ngày 05/12." in html

"""Saving a reviewed draft as a plan: the department's reform officer uploads the 2022
plan, removes what was misread, maps the names that match no unit, and saves; a
district office's officer (a sibling branch) can do none of it."""

import datetime as dt
from decimal import Decimal

import pytest

from cchc.core.errors import DomainError, PermissionDenied
from cchc.core.models import AuditEvent
from cchc.intake import services
from cchc.intake.document import Document, Line
from cchc.intake.draft import Draft, DraftIndicator, DraftTask, PlanHeader
from cchc.intake.models import IntakeDraft
from cchc.plans import services as plan_services
from cchc.plans.models import Plan, Task

pytestmark = pytest.mark.django_db

SOURCE = [
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "KẾ HOẠCH Cải cách hành chính năm 2022",
    "100% TTHC được giải quyết đúng hạn",
    "Tỷ lệ hài lòng đạt từ 95% trở lên",
    "Ít nhất 2 cuộc kiểm tra CCHC",
    "1 | Xây dựng kế hoạch tuyên truyền | Kế hoạch | Tháng 3/2022 | Văn phòng Sở | Các phòng",
    "2 | Rà soát TTHC | Báo cáo | Thường xuyên | Trung tâm phục vụ hành chính công | Văn phòng Sở",
    "3 | Kiểm tra CCHC | Thông báo | Quý IV/2022 | Văn phòng Sở | Thanh tra Sở",
    "4 | Dòng đọc nhầm | | | |",
]


def sample_draft() -> Draft:
    return Draft(
        plan=PlanHeader(
            issuer="Sở Giáo dục và Đào tạo", number=None, symbol="KH-SGDĐT", date=dt.date(2022, 1, 10),
            place="Bến Tre", title="Cải cách hành chính năm 2022", kind="annual",
            period_start=dt.date(2022, 1, 1), period_end=dt.date(2022, 12, 31),
            implements=["Kế hoạch số 1/KH-UBND"], purposes="Nâng cao chất lượng.",
        ),
        indicators=[
            DraftIndicator("TTHC được giải quyết đúng hạn", "=", Decimal(100), "%", "procedures", 3),
            DraftIndicator("Tỷ lệ hài lòng", ">=", Decimal(95), "%", "procedures", 4, confidence=0.6),
            DraftIndicator("Cuộc kiểm tra CCHC", ">=", Decimal(2), "cuộc", "direction", 5),
        ],
        tasks=[
            DraftTask("Xây dựng kế hoạch tuyên truyền", "Kế hoạch", "Tháng 3/2022", "Văn phòng Sở",
                      "Các phòng", group="I. Công tác chỉ đạo", area="direction", source_line=6),
            DraftTask("Rà soát TTHC", "Báo cáo", "Thường xuyên", "Trung tâm phục vụ hành chính công",
                      "Văn phòng Sở", group="II. Cải cách TTHC", area="procedures", source_line=7),
            DraftTask("Kiểm tra CCHC", "Thông báo", "Quý IV/2022", "Văn phòng Sở", "Thanh tra Sở",
                      group="I. Công tác chỉ đạo", area="direction", source_line=8),
            DraftTask("Dòng đọc nhầm", source_line=9, confidence=0.3),
        ],
    )


def make_draft(user, unit, draft: Draft | None = None) -> IntakeDraft:
    """A draft as `draft_create` keeps it, from a Draft built by hand (not by extraction)."""
    return IntakeDraft.objects.create(
        owner=user, unit=unit, source_name="KH CCHC 2022.docx", source_kind="docx",
        source_lines=[[i, text] for i, text in enumerate(SOURCE, start=1)],
        draft=services.draft_json(draft or sample_draft()),
    )


def corrections(intake: IntakeDraft, **changes) -> dict:
    """The draft's own content, as the review page posts it back, with `changes`."""
    data = intake.draft
    return {
        "header": dict(data["plan"]),
        "indicators": [dict(i) for i in data["indicators"]],
        "tasks": [dict(t) for t in data["tasks"]],
        "unit_mapping": dict(intake.unit_mapping),
    } | changes


@pytest.fixture
def intake(province):
    return make_draft(province.dept_officer, province.department)


def test_draft_keeps_the_json_contract_with_confidence_and_status(intake):
    item = intake.draft["indicators"][1]
    assert item == {"text": "Tỷ lệ hài lòng", "comparator": ">=", "value": 95, "unit": "%",
                    "area": "procedures", "source_line": 4, "confidence": 0.6, "status": "kept"}
    assert intake.draft["plan"]["period_start"] == "2022-01-01"
    assert set(intake.draft) == {"plan", "indicators", "tasks", "reporting"}


def test_unmatched_names_are_listed_before_saving(province, intake):
    names = services.unmatched_unit_names(intake, province.department)
    assert names == ["Trung tâm phục vụ hành chính công", "Thanh tra Sở"]
    with pytest.raises(DomainError, match="2 tên đơn vị chưa khớp"):
        services.draft_save(actor=province.dept_officer, draft=intake)
    assert not Plan.objects.exists()


def test_save_creates_exactly_the_kept_items(province, intake):
    officer = province.dept_officer
    data = corrections(intake)
    data["indicators"][2]["status"] = "removed"
    data["tasks"][3]["status"] = "removed"
    data["indicators"][1]["value"] = "96,5"  # corrected by the user
    data["unit_mapping"] = {"Trung tâm phục vụ hành chính công": str(province.division.pk),
                            "Thanh tra Sở": None}
    services.draft_update(actor=officer, draft=intake, **data)

    plan = services.draft_save(actor=officer, draft=intake)

    assert plan.issuer == province.department and plan.title == "Cải cách hành chính năm 2022"
    assert (plan.symbol, plan.issued_on, plan.place) == ("KH-SGDĐT", dt.date(2022, 1, 10), "Bến Tre")
    assert plan.implements_text == "Kế hoạch số 1/KH-UBND" and plan.purposes == "Nâng cao chất lượng."
    indicators = list(plan.indicators.order_by("order"))
    assert [(i.text, i.comparator, i.target, i.area.key) for i in indicators] == [
        ("TTHC được giải quyết đúng hạn", "=", Decimal(100), "procedures"),
        ("Tỷ lệ hài lòng", ">=", Decimal("96.5"), "procedures"),
    ]
    tasks = list(plan.tasks.order_by("order"))
    assert [t.content for t in tasks] == ["Xây dựng kế hoạch tuyên truyền", "Rà soát TTHC", "Kiểm tra CCHC"]
    assert tasks[0].due_date == dt.date(2022, 3, 31) and tasks[0].area.key == "direction"
    assert tasks[1].due_date is None and tasks[1].timeframe_kind == "ongoing"
    assert tasks[2].due_date == dt.date(2022, 12, 31)
    assert tasks[0].group == "I. Công tác chỉ đạo"
    # The mapped name leads; the name mapped to "không gắn đơn vị" adds no unit.
    assert tasks[1].lead_unit == province.division
    assert tasks[1].lead_text == "Trung tâm phục vụ hành chính công"
    assert tasks[0].lead_unit == province.division
    assert list(tasks[2].coordinating_units.all()) == []
    intake.refresh_from_db()
    assert intake.status == IntakeDraft.Status.SAVED and intake.plan == plan
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"intake_draft.updated", "intake_draft.saved", "plan.created", "indicator.created",
            "task.created"} <= events
    assert AuditEvent.objects.filter(event="task.created").count() == 3


def test_a_failure_mid_save_leaves_no_plan(province, intake, monkeypatch):
    data = corrections(intake, unit_mapping={"Trung tâm phục vụ hành chính công": None, "Thanh tra Sở": None})
    services.draft_update(actor=province.dept_officer, draft=intake, **data)
    real_task_add = plan_services.task_add
    calls = []

    def failing_on_the_third(**kwargs):
        calls.append(kwargs["content"])
        if len(calls) == 3:
            raise DomainError("Lỗi giả lập ở nhiệm vụ thứ ba.")
        return real_task_add(**kwargs)

    monkeypatch.setattr(plan_services, "task_add", failing_on_the_third)
    with pytest.raises(DomainError, match="thứ ba"):
        services.draft_save(actor=province.dept_officer, draft=intake)
    assert not Plan.objects.exists() and not Task.objects.exists()
    intake.refresh_from_db()
    assert intake.status == IntakeDraft.Status.OPEN and intake.plan is None


def test_corrections_are_checked_item_by_item(province, intake):
    data = corrections(intake)
    data["indicators"][0]["comparator"] = "~"
    data["indicators"][1]["value"] = "chín lăm"
    data["indicators"][2]["value"] = 150  # not a percentage: allowed
    data["tasks"][0]["content"] = " "
    data["header"]["period_end"] = "2021-12-31"
    with pytest.raises(services.DraftInvalid) as raised:
        services.draft_update(actor=province.dept_officer, draft=intake, **data)
    found = {(e.section, e.index, e.field): e.message for e in raised.value.errors}
    assert found == {
        ("indicators", 0, "comparator"): "Phép so sánh không hợp lệ.",
        ("indicators", 1, "value"): "“chín lăm” không phải là số.",
        ("tasks", 0, "content"): "Vui lòng nhập nội dung nhiệm vụ.",
        ("header", None, "period_end"): "Ngày kết thúc phải sau ngày bắt đầu.",
    }
    intake.refresh_from_db()
    assert intake.draft["indicators"][0]["comparator"] == "="  # nothing kept


def test_mapping_to_a_unit_outside_the_issuer_is_refused(province, intake):
    data = corrections(intake, unit_mapping={"Thanh tra Sở": province.school_a1.pk})
    office = make_draft(province.office_a_officer, province.office_a)
    data_office = corrections(office, unit_mapping={"Thanh tra Sở": province.high_school.pk})
    services.draft_update(actor=province.dept_officer, draft=intake, **data)  # a school below: fine
    with pytest.raises(services.DraftInvalid, match="1 lỗi"):
        services.draft_update(actor=province.office_a_officer, draft=office, **data_office)


def test_only_the_owner_managing_the_unit_may_change_or_save(province, intake):
    sibling = province.office_b_officer
    with pytest.raises(PermissionDenied):
        services.draft_update(actor=sibling, draft=intake, **corrections(intake))
    with pytest.raises(PermissionDenied):
        services.draft_save(actor=sibling, draft=intake)
    with pytest.raises(PermissionDenied):
        services.draft_create(actor=sibling, unit=province.department, data=b"x", filename="a.txt")


def test_a_file_that_is_not_a_plan_keeps_no_draft(province, monkeypatch):
    monkeypatch.setattr(services, "read_document",
                        lambda data, name: Document(lines=[Line(1, "Thư mời họp")], source_name=name))
    monkeypatch.setattr(services, "looks_like_a_plan", lambda document: False)
    with pytest.raises(DomainError, match="Không nhận ra cấu trúc kế hoạch trong tệp."):
        services.draft_create(actor=province.dept_officer, unit=province.department,
                              data=b"Thu moi hop", filename="thu-moi.txt")
    assert not IntakeDraft.objects.exists()


def test_a_plan_file_becomes_a_draft(province, monkeypatch):
    document = Document(lines=[Line(i, t) for i, t in enumerate(SOURCE, start=1)], source_name="kh.txt")
    monkeypatch.setattr(services, "read_document", lambda data, name: document)
    monkeypatch.setattr(services, "looks_like_a_plan", lambda d: True)
    monkeypatch.setattr(services, "extract", lambda d: sample_draft())
    intake = services.draft_create(actor=province.dept_officer, unit=province.department,
                                   data=b"...", filename="kh.txt")
    assert intake.source_lines[1] == [2, "KẾ HOẠCH Cải cách hành chính năm 2022"]
    assert len(intake.draft["tasks"]) == 4 and intake.status == IntakeDraft.Status.OPEN
    assert AuditEvent.objects.filter(event="intake_draft.created", target_id=str(intake.pk)).exists()


def test_the_proposed_reporting_schedule_is_accepted_as_is(province):
    """Seed 000's "quý I trước ngày 05/3 … năm trước ngày 05/12" becomes the plan's schedule."""
    import datetime as dt

    from cchc.intake import services as intake_services
    from cchc.intake.draft import Draft, DraftReporting, DraftTask, PlanHeader
    from cchc.metrics.periods import Period
    from cchc.reporting.models import ReportingSchedule
    from cchc.reporting.schedules import due_date

    t = province
    proposal = Draft(
        plan=PlanHeader(title="Cải cách hành chính giai đoạn 2021-2025", kind="phase",
                        period_start=dt.date(2021, 1, 1), period_end=dt.date(2025, 12, 31)),
        tasks=[DraftTask(content="Xây dựng kế hoạch CCHC hằng năm", timeframe="Hàng năm")],
        reporting=[
            DraftReporting(period="quarter", due="05/03", text="Quý I trước ngày 05/3"),
            DraftReporting(period="quarter", due="05/06", text="Quý II trước ngày 05/6"),
            DraftReporting(period="quarter", due="05/09", text="Quý III trước ngày 05/9"),
            DraftReporting(period="year", due="05/12", text="Báo cáo năm trước ngày 05/12"),
        ],
    )
    from cchc.intake.models import IntakeDraft

    data = proposal.to_json()
    for part in ("indicators", "tasks"):
        for item in data[part]:
            item["status"] = "kept"
    draft = IntakeDraft.objects.create(owner=t.office_a_officer, unit=t.office_a, source_name="kh.txt",
                                       source_kind="text", source_lines=[], draft=data)
    plan = intake_services.draft_save(actor=t.office_a_officer, draft=draft, with_schedule=True)
    schedule = ReportingSchedule.objects.get(plan=plan)
    assert schedule.owner == t.office_a and "school" in schedule.reporter_kinds
    assert due_date(schedule.rule, Period("quarter", 2022, 1)) == dt.date(2022, 3, 7)  # Sat 05/03 → Mon
    assert due_date(schedule.rule, Period("year", 2022, 1)) == dt.date(2022, 12, 5)

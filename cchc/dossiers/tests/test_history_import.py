"""The Văn Giang office brings in the dossiers it handled in its old system, so its
statistics start complete: each imported dossier looks as if the desk had handled it
here — same appointment, same early/on time/late, codes from the same daily counter —
and a file with a bad row imports nothing unless only the valid rows are asked for."""

import datetime as dt
import time

import pytest
from openpyxl import Workbook, load_workbook

from cchc.core.errors import PermissionDenied
from cchc.core.models import AuditEvent
from cchc.documents.spreadsheets import workbook_bytes, write_table
from cchc.dossiers import services
from cchc.dossiers.history_import import columns, dossier_history_import, history_template
from cchc.dossiers.models import Dossier, DossierCounter, DossierEvent, DossierStatus, ProcedureLevel
from cchc.workdays import calendar

from .factories import make_procedure, receive, vn

pytestmark = pytest.mark.django_db

HEADER = [str(c.label) for c in columns()]


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def xlsx(rows) -> bytes:
    workbook = Workbook()
    write_table(workbook.active, HEADER, rows)
    return workbook_bytes(workbook)


def row(external_id, procedure, received, status="Đã trả", resolved="", returned="", **more) -> list:
    values = {
        "external_id": external_id,
        "procedure": procedure.code if hasattr(procedure, "code") else procedure,
        "received_at": received,
        "channel": "Trực tiếp",
        "applicant": "Nguyễn Thị Bình",
        "resolved_at": resolved,
        "returned_at": returned,
        "status": status,
        **more,
    }
    return [values.get(c.key, "") for c in columns()]


@pytest.fixture
def procedure():
    return make_procedure(code="1.005092", processing_days=5)


def test_an_imported_dossier_is_what_the_desk_would_have_recorded(province, procedure):
    desk = province.desk_officer
    # The same dossier handled here: received Wed 08/10/2025 09:00, resolved Thu 16/10.
    here = receive(province.office_a, procedure, actor=desk, at=vn(2025, 10, 8))
    services.dossier_hand_over(actor=desk, dossier=here, at=vn(2025, 10, 9))
    services.dossier_hand_over(actor=desk, dossier=here, at=vn(2025, 10, 10))
    services.dossier_resolve(actor=desk, dossier=here, at=vn(2025, 10, 16, 10), digitized=True)
    services.dossier_return_result(actor=desk, dossier=here, method="post", at=vn(2025, 10, 17, 8))
    here.refresh_from_db()

    result = dossier_history_import(
        actor=desk,
        unit=province.office_a,
        file=xlsx(
            [
                row(
                    "VG-2025-000123",
                    procedure,
                    "08/10/2025 09:00",
                    resolved="16/10/2025 10:00",
                    returned="17/10/2025 08:00",
                    return_method="Bưu chính",
                    digitized="Có",
                )
            ]
        ),
        source="so-theo-doi-2025.xlsx",
    )

    assert result.ok and result.created == 1
    imported = Dossier.objects.get(external_id="VG-2025-000123")
    same = [
        "ruleset",
        "processing_days",
        "original_due_at",
        "due_at",
        "status",
        "outcome",
        "resolved_at",
        "closed_at",
        "returned_at",
        "return_method",
        "result_digitized",
        "current_step",
        "unit_path",
    ]
    assert {f: getattr(imported, f) for f in same} == {f: getattr(here, f) for f in same}
    assert (imported.status, imported.outcome) == (DossierStatus.RETURNED, "late")
    # The office's second dossier of 08/10, after the one received here.
    assert imported.code.startswith("HY-VG-251008-0002-")
    first, last = imported.steps.order_by("position")
    ref_first, ref_last = here.steps.order_by("position")[0], here.steps.order_by("position").last()
    assert (first.position, first.due_at, first.started_at) == (0, ref_first.due_at, ref_first.started_at)
    assert (last.position, last.name, last.due_at, last.completed_at) == (
        ref_last.position,
        ref_last.name,
        ref_last.due_at,
        ref_last.completed_at,
    )
    kinds = list(imported.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["received", "resolved", "returned"]
    assert imported.events.get(kind="received").data["source"] == "so-theo-doi-2025.xlsx"
    assert AuditEvent.objects.filter(event="dossier.imported", target_id=str(imported.pk)).exists()


def test_every_ending_and_the_desks_numbers_after_the_import(province, procedure):
    workbook = Workbook()
    sheet = workbook.active
    write_table(
        sheet,
        HEADER,
        [
            row("A1", procedure, "20/06/2025 10:00", resolved="26/06/2025", returned="27/06/2025"),
            row(
                "A2",
                procedure,
                "20/06/2025 14:30",
                status="Từ chối",
                resolved="23/06/2025",
                refusal_reason="Không thuộc thẩm quyền",
            ),
            row("A3", procedure, "20/06/2025", status="Rút", resolved="20/06/2025"),
            row("A4", procedure, "03/07/2025 08:15", status="Đang giải quyết", channel="Trực tuyến"),
            row("A5", procedure, "03/07/2025 08:15", status="Đã có kết quả", resolved="03/07/2025"),
            row("A6", procedure, None, resolved=None, returned=None),
        ],
    )
    # Dates typed as real Excel dates in the last row.
    sheet.cell(row=7, column=3).value = dt.datetime(2025, 7, 4, 9, 0)
    sheet.cell(row=7, column=6).value = dt.datetime(2025, 7, 11, 16, 0)  # due Fri 11/07
    sheet.cell(row=7, column=7).value = dt.date(2025, 7, 14)

    result = dossier_history_import(
        actor=province.desk_officer, unit=province.office_a, file=workbook_bytes(workbook)
    )

    assert result.ok and result.created == 6
    got = {d.external_id: d for d in Dossier.objects.filter(unit=province.office_a)}
    assert (got["A1"].ruleset, got["A1"].outcome) == ("nd61", "early")  # due Fri 27/06
    assert got["A2"].status == DossierStatus.REFUSED and got["A2"].refusal_reason == "Không thuộc thẩm quyền"
    assert got["A2"].closed_at == vn(2025, 6, 23, 0, 0) and got["A2"].outcome == ""
    # A date without an hour on the day of receipt keeps the history in order.
    assert got["A3"].status == DossierStatus.WITHDRAWN and got["A3"].closed_at == got["A3"].received_at
    assert got["A4"].is_open and got["A4"].closed_at is None and got["A4"].channel == "online"
    assert got["A4"].ruleset == "nd118" and got["A4"].due_at == vn(2025, 7, 10, 8, 15)
    assert got["A5"].status == DossierStatus.RESOLVED and got["A5"].outcome == "early"
    assert got["A5"].resolved_at == got["A5"].received_at
    assert (got["A6"].received_at, got["A6"].outcome) == (vn(2025, 7, 4), "on_time")
    assert got["A6"].returned_at == vn(2025, 7, 14, 0, 0)
    assert sorted(d.code[:18] for d in got.values()) == [
        "HY-VG-250620-0001-",
        "HY-VG-250620-0002-",
        "HY-VG-250620-0003-",
        "HY-VG-250703-0001-",
        "HY-VG-250703-0002-",
        "HY-VG-250704-0001-",
    ]
    assert got["A3"].code.startswith("HY-VG-250620-0001-")  # 00:00 comes first
    assert DossierEvent.objects.filter(dossier__unit=province.office_a).count() == 6 + 3 + 2 + 1 + 1
    # The desk goes on numbering after the imported dossiers of the day.
    later = receive(province.office_a, procedure, actor=province.desk_officer, at=vn(2025, 7, 4, 15))
    assert later.code.startswith("HY-VG-250704-0002-")
    assert DossierCounter.objects.get(unit=province.office_a, day=dt.date(2025, 7, 4)).last == 2


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row(province, procedure):
    receive(province.office_a, procedure, at=vn(2025, 10, 1), external_id="OLD-1")
    provincial = make_procedure(code="2.000001", level=ProcedureLevel.PROVINCE)
    data = xlsx(
        [
            row("B1", procedure, "08/10/2025 09:00", resolved="10/10/2025", returned="10/10/2025"),  # 2
            row("B2", procedure, "31/02/2025", resolved="10/10/2025", returned="10/10/2025"),  # 3
            row("B3", procedure, "2025-10-08", status="Đang giải quyết"),  # 4
            row("B4", procedure, "08/10/2025 09:00", resolved="07/10/2025", returned="10/10/2025"),  # 5
            row("B5", "9.999999", "08/10/2025", status="Đang giải quyết"),  # 6
            row("B6", provincial, "08/10/2025", status="Đang giải quyết"),  # 7
            row("B7", procedure, "08/10/2025", status="Đang giải quyết"),  # 8
            row("B7", procedure, "09/10/2025", status="Đang giải quyết"),  # 9
            row("OLD-1", procedure, "01/10/2025", status="Đang giải quyết"),  # 10
            row("B8", procedure, "08/10/2025", status="Từ chối", resolved="09/10/2025"),  # 11
            row("B9", procedure, "08/10/2025", status="Đã trả", resolved="09/10/2025"),  # 12
            row("B10", procedure, "08/10/2025", status="Đã xong"),  # 13
        ]
    )

    result = dossier_history_import(actor=province.desk_officer, unit=province.office_a, file=data)

    assert not result.written and Dossier.objects.count() == 1
    assert (result.valid, result.total) == (1, 12)
    assert [p.message for p in result.problems] == [
        "Dòng 3: cột “Ngày tiếp nhận”: ngày “31/02/2025” không có thật.",
        "Dòng 4: cột “Ngày tiếp nhận”: “2025-10-08” không phải ngày dạng dd/mm/yyyy hoặc dd/mm/yyyy HH:MM.",
        "Dòng 5: ngày có kết quả trước ngày tiếp nhận.",
        "Dòng 6: không có thủ tục mã “9.999999” trong danh mục.",
        "Dòng 7: Phòng Giáo dục và Đào tạo Văn Giang không giải quyết thủ tục “2.000001” "
        "(thủ tục cấp tỉnh (sở gd&đt)).",
        "Dòng 8: mã hồ sơ nguồn “B7” trùng với dòng 9.",
        "Dòng 9: mã hồ sơ nguồn “B7” trùng với dòng 8.",
        "Dòng 10: hồ sơ “OLD-1” đã được nhập cho đơn vị.",
        "Dòng 11: hồ sơ từ chối cần lý do từ chối.",
        "Dòng 12: hồ sơ đã trả cần ngày trả.",
        "Dòng 13: cột “Trạng thái”: không hiểu trạng thái “Đã xong”.",
    ]

    only_valid = dossier_history_import(
        actor=province.desk_officer, unit=province.office_a, file=data, valid_rows_only=True
    )
    assert only_valid.written and only_valid.created == 1
    assert Dossier.objects.filter(external_id="B1").exists()


def test_an_officer_imports_only_for_a_unit_they_handle(province, procedure):
    data = xlsx([row("C1", procedure, "08/10/2025", status="Đang giải quyết")])

    with pytest.raises(PermissionDenied):
        dossier_history_import(actor=province.desk_officer, unit=province.office_b, file=data)
    with pytest.raises(PermissionDenied):  # reads the office, does not handle its dossiers
        dossier_history_import(actor=province.office_a_officer, unit=province.office_a, file=data)
    assert not Dossier.objects.exists()


def test_the_template_has_the_columns_and_a_guide(province):
    workbook = load_workbook(__import__("io").BytesIO(workbook_bytes(history_template())))

    assert workbook.sheetnames == ["Hồ sơ", "Hướng dẫn"]
    assert [c.value for c in workbook["Hồ sơ"][1]] == HEADER
    result = dossier_history_import(
        actor=province.desk_officer, unit=province.office_a, file=workbook_bytes(history_template())
    )
    assert result.ok and result.created == 0


def test_ten_thousand_rows_import_in_seconds(province, procedure):
    base = dt.datetime(2024, 1, 2, 7, 30)
    rows = []
    for n in range(10_000):
        received = base + dt.timedelta(hours=2 * n)  # up to April 2026
        resolved = received + dt.timedelta(days=4)
        rows.append(
            row(
                f"S-{n:06d}",
                procedure,
                f"{received:%d/%m/%Y %H:%M}",
                resolved=f"{resolved:%d/%m/%Y %H:%M}",
                returned=f"{resolved:%d/%m/%Y}",
                digitized="Có",
            )
        )
    data = xlsx(rows)

    started, cpu = time.perf_counter(), time.process_time()
    result = dossier_history_import(actor=province.desk_officer, unit=province.office_a, file=data)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu

    assert result.ok and result.created == 10_000
    assert Dossier.objects.filter(unit=province.office_a).count() == 10_000
    assert DossierEvent.objects.filter(dossier__unit=province.office_a).count() == 30_000
    print(f"10,000 rows imported in {elapsed:.1f} s ({cpu:.1f} s of this process's CPU)")
    assert elapsed < 60
    # Nights and days off included, each step's deadline is the one the desk computes.
    sample = Dossier.objects.filter(unit=province.office_a).order_by("received_at")[::97]
    for dossier in sample:
        deadlines = services.step_deadlines(
            start=dossier.received_at, working_days=5, steps=services.steps_of(procedure)
        )
        first, last = dossier.steps.order_by("position")
        assert first.due_at == min(deadlines[0], dossier.due_at), dossier.received_at
        assert last.due_at == max(min(deadlines[-1], dossier.due_at), dossier.resolved_at)


def test_a_date_merged_over_two_rows_is_not_shared_between_them(province, procedure):
    workbook = Workbook()
    sheet = workbook.active
    write_table(
        sheet,
        HEADER,
        [
            row("M1", procedure, "08/10/2025 09:00", status="Đang giải quyết"),
            row("M2", procedure, "", status="Đang giải quyết"),
            row("M3", procedure, "09/10/2025 09:00", status="Đang giải quyết"),
        ],
    )
    sheet.merge_cells("C2:C3")

    result = dossier_history_import(
        actor=province.desk_officer,
        unit=province.office_a,
        file=workbook_bytes(workbook),
        valid_rows_only=True,
    )

    assert result.problems[0].message.startswith("Dòng 2–3, cột C: ô gộp nhiều dòng")
    assert list(Dossier.objects.values_list("external_id", flat=True)) == ["M3"]

"""The department's administrator keeps the procedure catalogue in Excel: downloads it,
corrects it, uploads it again. A file with a bad row changes nothing unless the valid
rows are asked for; every bad row is named with its number and what is wrong."""

import datetime as dt

import pytest
from openpyxl import Workbook

from cchc.core.errors import PermissionDenied
from cchc.core.models import AuditEvent
from cchc.documents.spreadsheets import workbook_bytes, write_table
from cchc.dossiers.catalogue import (
    catalogue_export,
    catalogue_import,
    columns,
    format_steps,
    parse_steps,
)
from cchc.dossiers.models import OnlineMode, Procedure, ProcedureLevel

from .factories import make_procedure

pytestmark = pytest.mark.django_db

HEADER = [str(c.label) for c in columns()]


def catalogue_state() -> dict[str, dict]:
    fields = [
        "name",
        "name_folded",
        "field",
        "level",
        "processing_days",
        "fee",
        "online_mode",
        "postal_return",
        "result_requires_file",
        "cutoff",
        "steps",
        "forms",
        "documents",
        "legal_basis",
        "result",
        "is_active",
    ]
    return {p.code: {f: getattr(p, f) for f in fields} for p in Procedure.objects.order_by("code")}


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    write_table(workbook.active, header, rows, title="DANH MỤC THỦ TỤC HÀNH CHÍNH")
    return workbook_bytes(workbook)


def row(code="1.012345", **values) -> list:
    base = {
        "code": code,
        "name": "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "field": "Văn bằng, chứng chỉ",
        "level": "Cấp tỉnh",
        "processing_days": 3,
        "steps": "Tiếp nhận (10%); Thẩm định (70%); Trả kết quả (20%)",
    }
    base.update(values)
    return [base.get(c.key, "") for c in columns()]


@pytest.fixture
def catalogue():
    return [
        make_procedure(
            code="1.005092",
            name="Chứng thực bản sao từ bản chính văn bằng",
            level=ProcedureLevel.COMMUNE,
            processing_days=0,
            fee="2.000 đồng/trang",
            online_mode=OnlineMode.NONE,
            postal_return=False,
            cutoff=dt.time(15),
            forms=["Mẫu số 01", "Mẫu số 02 - Tờ khai"],
            documents=["- Bản chính văn bằng", "=Bản sao cần chứng thực"],
            legal_basis="Nghị định 23/2015/NĐ-CP\nThông tư 01/2020/TT-BTP",
            result="Bản sao được chứng thực",
        ),
        make_procedure(
            code="1.004439",
            name="Cấp phép hoạt động giáo dục kỹ năng sống",
            level=ProcedureLevel.PROVINCE,
            processing_days=15,
            online_mode=OnlineMode.PARTIAL,
            result_requires_file=True,
            is_active=False,
        ),
        make_procedure(code="2.001987", level=ProcedureLevel.SCHOOL, steps=[], documents=[]),
    ]


def test_exporting_then_importing_leaves_the_catalogue_identical(province, catalogue):
    before = catalogue_state()

    data = catalogue_export(Procedure.objects.all())
    again = catalogue_import(actor=province.admin, file=data)

    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert catalogue_state() == before

    Procedure.objects.all().delete()  # into an empty catalogue: the same three come back
    fresh = catalogue_import(actor=province.admin, file=data)
    assert (fresh.created, fresh.updated) == (3, 0)
    assert catalogue_state() == before


def test_a_file_with_bad_rows_changes_nothing_and_names_each_row(province, catalogue):
    data = xlsx(
        [
            row("1.000001"),  # row 4: fine
            row("", name="Không có mã"),  # 5
            row("1.000002", level="Cấp bộ"),  # 6
            row("1.000003", processing_days="mười lăm"),  # 7
            row("1.000004", steps="Tiếp nhận (10%); Thẩm định (60%)"),  # 8
            row("1.000005"),  # 9
            row("1.000005", name="Trùng mã"),  # 10
            row("1.005092", processing_days=2),  # 11: an update, fine
        ]
    )
    before = catalogue_state()

    result = catalogue_import(actor=province.admin, file=data)

    assert catalogue_state() == before
    assert not result.written and (result.valid, result.total) == (2, 8)
    messages = [p.message for p in result.problems]
    assert messages == [
        "Dòng 5: thiếu mã thủ tục.",
        "Dòng 6: cột “Cấp thực hiện”: không hiểu cấp thực hiện “Cấp bộ”.",
        "Dòng 7: cột “Thời hạn giải quyết (ngày làm việc)”: thời hạn giải quyết “mười lăm” không phải số "
        "ngày làm việc (0–365).",
        "Dòng 8: cột “Quy trình nội bộ”: tổng tỷ lệ thời gian của các bước là 70%, phải bằng 100%.",
        "Dòng 9: mã thủ tục “1.000005” trùng với dòng 10.",
        "Dòng 10: mã thủ tục “1.000005” trùng với dòng 9.",
    ]
    assert [p.row for p in result.problems] == [5, 6, 7, 8, 9, 10]


def test_asking_for_the_valid_rows_writes_them_alone_and_audits_each(province, catalogue):
    data = xlsx(
        [row("1.000001", level="tỉnh"), row("1.000002", level="Cấp bộ"), row("1.005092", processing_days=2)]
    )

    result = catalogue_import(actor=province.admin, file=data, valid_rows_only=True)

    assert result.written and (result.created, result.updated) == (1, 1)
    assert len(result.problems) == 1
    created = Procedure.objects.get(code="1.000001")
    assert created.level == ProcedureLevel.PROVINCE
    assert created.steps == [
        {"name": "Tiếp nhận", "share": 10},
        {"name": "Thẩm định", "share": 70},
        {"name": "Trả kết quả", "share": 20},
    ]
    assert not Procedure.objects.filter(code="1.000002").exists()
    updated = Procedure.objects.get(code="1.005092")
    assert updated.processing_days == 2
    trail = AuditEvent.objects.filter(event="procedure.imported", actor=province.admin)
    assert trail.count() == 2
    change = trail.get(target_id=str(updated.pk)).changes
    assert change["processing_days"] == [0, 2]


def test_renaming_through_the_file_refreshes_the_search_text(province, catalogue):
    catalogue_import(
        actor=province.admin,
        file=xlsx([row("1.005092", name="Chứng thực chữ ký", field="Chứng thực", level="Cấp xã")]),
    )

    assert Procedure.objects.get(code="1.005092").name_folded == "1.005092 chung thuc chu ky chung thuc"


def test_only_system_administrators_edit_the_catalogue(province, catalogue):
    data = catalogue_export(Procedure.objects.all())

    for user in (province.dept_officer, province.desk_officer, province.school_a1_head):
        with pytest.raises(PermissionDenied):
            catalogue_import(actor=user, file=data)


def test_a_table_without_the_required_columns_is_refused_whole(province):
    header = ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực"]
    result = catalogue_import(actor=province.admin, file=xlsx([["1.1", "Tên", "Văn bằng"]], header=header))

    assert not result.written
    assert result.problems[0].message == (
        "Thiếu các cột “Cấp thực hiện”, “Thời hạn giải quyết (ngày làm việc)”."
    )


def test_steps_read_as_written_in_the_file():
    steps = parse_steps("Tiếp nhận hồ sơ (10 %)\nThẩm định, xử lý (60%); Phê duyệt (20%);Trả kết quả(10%)")

    assert [s["share"] for s in steps] == [10, 60, 20, 10]
    assert steps[1]["name"] == "Thẩm định, xử lý"
    assert (
        format_steps(steps)
        == "Tiếp nhận hồ sơ (10%); Thẩm định, xử lý (60%); Phê duyệt (20%); Trả kết quả (10%)"
    )
    assert parse_steps("") == []

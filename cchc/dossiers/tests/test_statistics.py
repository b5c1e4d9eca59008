"""The one-stop report of Quý I/2025, counted by hand from thirteen dossiers.

`one_stop_quarter` builds them through the desk's services with past dates; the other
statistics tests (metrics, pages, browser) read the same story:

Phòng GD&ĐT Văn Giang (office A), procedure of 5 working days:
  D1 received 27/12/2024 at the desk, resolved 02/01/2025 (due 06/01): carried over, early
  D2 received 03/03 online, resolved 10/03 (due 10/03): on time, digitized, returned by post
  D3 received 03/03 at the desk, resolved 12/03: late, no apology letter
  D4 received 03/03 by post, apology letter 07/03, resolved 14/03: late, returned at the desk
  D5 received 17/03 at the desk, open (due 24/03): overdue at the end; apology only 02/04
  D6 received 27/03 at the desk, open (due 03/04): within the deadline at the end
  D7 received 05/03 at the desk, refused 06/03;  D8 received 05/03 online, withdrawn 07/03
  D0 received and resolved in 12/2024 (not in the quarter); D9 received 01/04 (after)
Trường Tiểu học Xuân Quan (school A1): S1 desk 04/03, resolved 06/03 early, digitized;
  S2 online 25/03, resolved 01/04 (open at the end, within the deadline)
Trường THCS Văn Giang (school A2): S3 desk 10/03, resolved 11/03 early
Sở (department's own desk): P1 desk 03/02, resolved 04/02 early
Phòng GD&ĐT Văn Lâm (office B, sibling of A): B1 desk 03/03, resolved 04/03 early
Sở GD&ĐT Hà Nam (another department, outside): H1 desk 03/03 — never counted above.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from cchc.documents.spreadsheets import workbook_bytes
from cchc.dossiers import services
from cchc.dossiers.models import OnlineMode, ProcedureLevel
from cchc.dossiers.statistics import Counts, statistics_for, subtree_during
from cchc.dossiers.tests.factories import make_procedure, receive, vn
from cchc.orgs.models import UnitKind
from cchc.orgs.services import unit_move
from cchc.orgs.tests.factories import make_unit

Q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def resolve(dossier, at, **kw):
    """Through the control sheet: two hand-overs the hour before, then the result."""
    services.dossier_hand_over(actor=None, dossier=dossier, at=at - dt.timedelta(hours=1))
    services.dossier_hand_over(actor=None, dossier=dossier, at=at - dt.timedelta(minutes=30))
    return services.dossier_resolve(actor=None, dossier=dossier, at=at, **kw)


def one_stop_quarter(t) -> SimpleNamespace:
    d = SimpleNamespace()
    district = make_procedure(
        name="Chuyển trường đối với học sinh trung học cơ sở", field="Giáo dục trung học", level="district"
    )
    school = make_procedure(
        name="Xét tuyển học sinh vào trường tiểu học", field="Giáo dục tiểu học", level=ProcedureLevel.SCHOOL
    )
    province = make_procedure(
        name="Cấp bản sao văn bằng tốt nghiệp THPT",
        field="Văn bằng, chứng chỉ",
        level=ProcedureLevel.PROVINCE,
        online_mode=OnlineMode.PARTIAL,
    )
    d.procedures = SimpleNamespace(district=district, school=school, province=province)
    a = t.office_a

    d.d0 = receive(a, district, at=vn(2024, 12, 2))
    resolve(d.d0, vn(2024, 12, 5, 10))
    d.d1 = receive(a, district, at=vn(2024, 12, 27))
    resolve(d.d1, vn(2025, 1, 2, 10))
    services.dossier_return_result(actor=None, dossier=d.d1, at=vn(2025, 1, 3))

    d.d2 = receive(a, district, at=vn(2025, 3, 3), channel="online")
    resolve(d.d2, vn(2025, 3, 10, 15), digitized=True)
    services.dossier_return_result(actor=None, dossier=d.d2, method="post", at=vn(2025, 3, 11))
    d.d3 = receive(a, district, at=vn(2025, 3, 3, 10))
    resolve(d.d3, vn(2025, 3, 12, 10))
    d.d4 = receive(a, district, at=vn(2025, 3, 3, 11), channel="post")
    services.apology_letter_record(
        actor=None, dossier=d.d4, reason="Chờ xác minh học bạ", extra_working_days=5, at=vn(2025, 3, 7)
    )
    resolve(d.d4, vn(2025, 3, 14, 10))
    services.dossier_return_result(actor=None, dossier=d.d4, at=vn(2025, 3, 14, 15))
    d.d5 = receive(a, district, at=vn(2025, 3, 17))
    services.apology_letter_record(
        actor=None, dossier=d.d5, reason="Chậm xác minh", extra_working_days=5, at=vn(2025, 4, 2)
    )
    d.d6 = receive(a, district, at=vn(2025, 3, 27))
    d.d7 = receive(a, district, at=vn(2025, 3, 5))
    services.dossier_refuse(actor=None, dossier=d.d7, reason="Không thuộc thẩm quyền", at=vn(2025, 3, 6))
    d.d8 = receive(a, district, at=vn(2025, 3, 5, 10), channel="online")
    services.dossier_withdraw(actor=None, dossier=d.d8, at=vn(2025, 3, 7))
    d.d9 = receive(a, district, at=vn(2025, 4, 1))

    d.s1 = receive(t.school_a1, school, at=vn(2025, 3, 4))
    resolve(d.s1, vn(2025, 3, 6, 10), digitized=True)
    d.s2 = receive(t.school_a1, school, at=vn(2025, 3, 25), channel="online")
    resolve(d.s2, vn(2025, 4, 1, 10))
    d.s3 = receive(t.school_a2, school, at=vn(2025, 3, 10))
    resolve(d.s3, vn(2025, 3, 11, 10))

    d.p1 = receive(t.department, province, at=vn(2025, 2, 3))
    resolve(d.p1, vn(2025, 2, 4, 10))
    d.b1 = receive(t.office_b, district, at=vn(2025, 3, 3))
    resolve(d.b1, vn(2025, 3, 4, 10))

    t.other_department = make_unit("Sở Giáo dục và Đào tạo Hà Nam", UnitKind.DEPARTMENT, code="HN")
    d.h1 = receive(t.other_department, province, at=vn(2025, 3, 3))
    return d


# The office's quarter, column by column (see the module docstring).
OFFICE_A = Counts(
    carried_over=1,
    received_online=3,
    received_desk=6,
    received_post=1,
    resolved_early=3,
    resolved_on_time=1,
    resolved_late=2,
    pending_within=2,
    pending_overdue=1,
    refused=1,
    withdrawn=1,
)
OFFICE_A_OWN = Counts(
    carried_over=1,
    received_online=2,
    received_desk=4,
    received_post=1,
    resolved_early=1,
    resolved_on_time=1,
    resolved_late=2,
    pending_within=1,
    pending_overdue=1,
    refused=1,
    withdrawn=1,
)
DEPARTMENT = OFFICE_A + Counts(received_desk=2, resolved_early=2)


@pytest.fixture
def quarter(province):
    return one_stop_quarter(province)


def _rows(table):
    return {row.unit.pk: row.counts for row in table.by_unit}


def test_the_office_s_quarter_column_by_column(province, quarter):
    table = statistics_for(province.office_a, *Q1)

    assert table.total == OFFICE_A
    assert table.total.received == 10
    assert table.total.total == 11
    assert table.total.resolved == 6
    assert table.total.pending == 3
    # Every dossier to handle lands in exactly one result column.
    total = table.total
    assert total.total == total.resolved + total.pending + total.refused + total.withdrawn
    assert round(table.total.on_time_rate, 2) == 66.67
    assert table.total.online_rate == 30


def test_rows_by_unit_roll_the_schools_up_to_the_office(province, quarter):
    t = province
    table = statistics_for(t.office_a, *Q1)

    rows = _rows(table)
    assert rows == {
        t.office_a.pk: OFFICE_A_OWN,
        t.school_a1.pk: Counts(received_desk=1, received_online=1, resolved_early=1, pending_within=1),
        t.school_a2.pk: Counts(received_desk=1, resolved_early=1),
    }
    assert table.by_unit[0].own  # the office's own desk first
    assert t.office_a.name in table.by_unit[0].label


def test_the_department_rolls_up_its_offices_and_not_the_other_province(province, quarter):
    t = province
    table = statistics_for(t.department, *Q1)

    assert table.total == DEPARTMENT
    assert _rows(table) == {
        t.department.pk: Counts(received_desk=1, resolved_early=1),
        t.office_a.pk: OFFICE_A,
        t.office_b.pk: Counts(received_desk=1, resolved_early=1),
    }


def test_a_sibling_office_sees_only_its_own(province, quarter):
    table = statistics_for(province.office_b, *Q1)

    assert table.total == Counts(received_desk=1, resolved_early=1)


def test_rows_by_procedure(province, quarter):
    d = quarter
    table = statistics_for(province.department, *Q1)

    rows = {row.procedure.pk: row.counts for row in table.by_procedure}
    assert rows[d.procedures.school.pk] == Counts(
        received_desk=2, received_online=1, resolved_early=2, pending_within=1
    )
    assert rows[d.procedures.province.pk] == Counts(received_desk=1, resolved_early=1)
    assert sum(rows.values(), Counts()) == table.total


def test_the_next_quarter_carries_over_what_was_open(province, quarter):
    table = statistics_for(province.office_a, dt.date(2025, 4, 1), dt.date(2025, 6, 30))

    # D5, D6 and S2 were open on 31/03; D9 arrived on 01/04.
    assert table.total.carried_over == 3
    assert table.total.received_desk == 1
    assert table.total.resolved_on_time == 1  # S2, due 01/04


def test_a_school_moved_after_the_quarter_still_counts_where_it_stood(province, quarter):
    t = province
    unit_move(actor=None, unit=t.school_a2, new_parent=t.office_b, effective_on=dt.date(2025, 4, 1))
    t.office_a.refresh_from_db()
    t.office_b.refresh_from_db()

    assert statistics_for(t.office_a, *Q1).total == OFFICE_A
    assert statistics_for(t.office_b, *Q1).total == Counts(received_desk=1, resolved_early=1)
    department = statistics_for(t.department, *Q1)
    assert _rows(department)[t.office_a.pk] == OFFICE_A
    # From the move on, the school counts under office B.
    q2 = (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert t.school_a2.pk in subtree_during(t.office_a, *Q1).leavers
    assert t.school_a2.pk in subtree_during(t.office_b, *Q1).joiners
    assert statistics_for(t.office_a, *q2).total.total == 4


def test_a_unit_that_did_not_exist_has_an_empty_table(province, quarter):
    late = make_unit(
        "Phòng Văn hóa – Xã hội xã Mễ Sở",
        UnitKind.COMMUNE_OFFICE,
        province.department,
        opened_on=dt.date(2025, 7, 1),
    )

    table = statistics_for(late, *Q1)
    assert table.is_empty and table.by_unit == [] and table.by_procedure == []


def test_one_aggregate_query_whatever_the_size(province, quarter, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # placements ×2, the aggregate, unit and procedure names
        statistics_for(province.department, *Q1)


def test_excel_export_has_the_form_s_header_and_the_totals(province, quarter):
    from cchc.dossiers.statistics import statistics_workbook

    table = statistics_for(province.office_a, *Q1)
    book = load_workbook(__import__("io").BytesIO(workbook_bytes(statistics_workbook(table))))

    sheet = book["Theo đơn vị"]
    assert sheet["A1"].value == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert sheet["A2"].value == province.office_a.name
    assert "01/01/2025" in sheet["A3"].value and "31/03/2025" in sheet["A3"].value
    header = [c.value for c in sheet[5]]
    assert header[2] == "Số hồ sơ nhận giải quyết: Kỳ trước chuyển qua (1)"
    assert header[9] == "Số hồ sơ đã giải quyết: Quá hạn (8)"
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[1] == "Tổng cộng"
    assert last[2:14] == OFFICE_A.columns()
    assert last[14] == 66.7
    assert book["Theo thủ tục"].max_row == 5 + 2 + 1  # header, two procedures, total

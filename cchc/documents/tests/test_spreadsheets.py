"""Task tables as provinces send them: titles above the header, other header names,
merged cells, blank and repeated rows — read back with problems a clerk can act on."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from cchc.core.errors import DomainError
from cchc.documents.spreadsheets import (
    XLSX_CONTENT_TYPE,
    Column,
    read_table,
    workbook_bytes,
    workbook_response,
    write_table,
)

HEADER = ["STT", "Nội dung", "Kết quả", "Thời gian thực hiện", "Cơ quan chủ trì",
          "Cơ quan phối hợp", "Ghi chú"]


def parse_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError:
        raise DomainError(f"không hiểu ngày “{value}”.") from None


def task_columns(**overrides):
    columns = [
        Column("number", "STT", aliases=["TT", "Số TT"], required=False),
        Column("content", "Nội dung", aliases=["Nhiệm vụ cụ thể", "Nhiệm vụ"]),
        Column("deliverable", "Kết quả", aliases=["Sản phẩm", "Kết quả/sản phẩm"], required=False),
        Column("due", "Thời gian thực hiện", aliases=["Thời gian hoàn thành", "Thời hạn"],
               parse=parse_date, fill_merged=overrides.get("fill_due", False)),
        Column("lead", "Cơ quan chủ trì", aliases=["Đơn vị chủ trì"]),
        Column("partners", "Cơ quan phối hợp", aliases=["Đơn vị phối hợp"], required=False),
        Column("note", "Ghi chú", required=False),
    ]
    return columns


def xlsx(rows, *, merges=(), title_rows=()):
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    for row in title_rows:
        ws.append(row)
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    return workbook_bytes(wb)


def test_round_trip_keeps_values_and_row_numbers():
    wb = Workbook()
    rows = [
        ["1", "Xây dựng Kế hoạch CCHC năm 2026", "Kế hoạch", "15/01/2026", "Văn phòng Sở", "", ""],
        ["2", "Rà soát văn bản quy phạm pháp luật", "Danh mục", "30/06/2026", "Thanh tra Sở",
         "Văn phòng Sở", "Ưu tiên"],
    ]
    write_table(wb.active, HEADER, rows, title="NHIỆM VỤ CỤ THỂ NĂM 2026",
                column_widths=[6, 40, 20, 14, 20, 20, 12])

    result = read_table(io.BytesIO(workbook_bytes(wb)), columns=task_columns())

    assert result.ok, result.problems
    assert result.header_row == 3
    assert [row.number for row in result.rows] == [4, 5]
    assert result.rows[0]["content"] == "Xây dựng Kế hoạch CCHC năm 2026"
    assert result.rows[0]["due"] == dt.date(2026, 1, 15)
    assert result.rows[0]["partners"] is None
    assert result.rows[1]["note"] == "Ưu tiên"


def test_header_under_a_title_with_aliases_and_without_diacritics():
    data = xlsx(
        title_rows=[["UBND TỈNH HƯNG YÊN"], ["PHỤ LỤC NHIỆM VỤ"], []],
        rows=[
            ["TT", "Nhiệm vụ cụ thể", "Sản phẩm", "thoi gian  hoan thanh", "ĐƠN VỊ CHỦ TRÌ\n",
             "Đơn vị phối hợp"],
            [1, "Tuyên truyền CCHC", "Tin bài", "31/03/2026", "Văn phòng Sở", None],
        ],
    )
    result = read_table(data, columns=task_columns())
    assert result.ok, result.problems
    assert result.header_row == 4
    (row,) = result.rows
    assert row.number == 5
    assert row["number"] == 1 and row["deliverable"] == "Tin bài" and row["lead"] == "Văn phòng Sở"
    assert "note" not in row  # an optional column absent from the file


def test_extra_aliases_passed_by_the_caller():
    data = xlsx(rows=[["Nội dung", "Hạn chót", "Người chủ trì"], ["Việc A", "01/02/2026", "VP"]])
    result = read_table(data, columns=task_columns(),
                        header_aliases={"due": ["Hạn chót"], "lead": ["Người chủ trì"]})
    assert result.ok and result.rows[0]["lead"] == "VP"


def test_a_missing_required_column_is_one_clear_problem():
    data = xlsx(rows=[["STT", "Nội dung", "Thời gian thực hiện", "Ghi chú"],
                      [1, "Việc A", "01/02/2026", ""]])
    result = read_table(data, columns=task_columns())
    assert result.rows == []
    assert [p.message for p in result.problems] == ["Thiếu cột “Cơ quan chủ trì”."]


def test_no_header_at_all():
    result = read_table(xlsx(rows=[["a", "b"], [1, 2]]), columns=task_columns())
    assert len(result.problems) == 1
    assert result.problems[0].message.startswith("Không tìm thấy dòng tiêu đề")


def test_empty_rows_repeated_headers_and_column_numbers_are_skipped():
    data = xlsx(rows=[
        HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["I", "Cải cách thể chế", None, None, None, None, None],
        [1, "Việc A", "KQ", "01/02/2026", "VP", None, None],
        [None, None, None, None, None, None, None],
        [],
        HEADER,  # the header again on the next page of a table pasted from Word
        [2, "Việc B", "KQ", "01/03/2026", "TTr", None, None],
    ], merges=["B3:G3"])
    result = read_table(data, columns=task_columns())
    assert result.ok, result.problems
    assert [(row.number, row["content"]) for row in result.rows] == [
        (3, "Cải cách thể chế"), (4, "Việc A"), (8, "Việc B")]
    assert result.rows[0]["number"] == "I" and result.rows[0]["lead"] is None


def test_a_value_merged_down_several_rows_is_reported_unless_the_column_fills_it():
    rows = [
        HEADER,
        [1, "Việc A", "KQ", "30/06/2026", "Văn phòng Sở", None, None],
        [2, "Việc B", "KQ", None, None, None, None],
        [3, "Việc C", "KQ", None, None, None, None],
    ]
    data = xlsx(rows=rows, merges=["D2:D4", "E2:E4"])

    strict = read_table(data, columns=task_columns())
    messages = [p.message for p in strict.problems]
    assert "Dòng 2–4, cột D: ô gộp nhiều dòng; hãy bỏ gộp ô và ghi “Thời gian thực hiện” cho từng dòng." \
        in messages
    assert any(m.startswith("Dòng 2–4, cột E:") for m in messages)
    # The merged value stays in the top-left cell only.
    assert [row["lead"] for row in strict.rows] == ["Văn phòng Sở", None, None]

    lenient = read_table(data, columns=task_columns(fill_due=True))
    assert [row["due"] for row in lenient.rows] == [dt.date(2026, 6, 30)] * 3
    assert [p.column for p in lenient.problems] == ["E"]


def test_an_unreadable_date_names_its_row_and_column():
    data = xlsx(title_rows=[["KẾ HOẠCH"], [], [], [], []], rows=[
        HEADER,
        [1, "Việc A", "KQ", "31/02/2022", "VP", None, None],
    ])
    result = read_table(data, columns=task_columns())
    assert [str(p) for p in result.problems] == ["Dòng 7, cột D: không hiểu ngày “31/02/2022”."]
    assert (result.problems[0].row, result.problems[0].column) == (7, "D")
    assert result.rows[0]["due"] is None and result.rows[0]["content"] == "Việc A"


def test_a_named_sheet_and_the_sheet_that_holds_the_table():
    wb = Workbook()
    wb.active.title = "Hướng dẫn"
    wb.active.append(["Điền vào trang Nhiệm vụ"])
    write_table(wb.create_sheet("Nhiệm vụ"), HEADER, [[1, "Việc A", "", "01/01/2026", "VP", "", ""]])
    data = workbook_bytes(wb)
    assert read_table(data, columns=task_columns()).sheet == "Nhiệm vụ"
    assert read_table(data, columns=task_columns(), sheet="Nhiệm vụ").rows[0]["content"] == "Việc A"
    with pytest.raises(DomainError, match="không có trang tính “Khác”"):
        read_table(data, columns=task_columns(), sheet="Khác")


@pytest.mark.parametrize("content, reason", [
    (b"STT;Noi dung\n1;Viec A\n", "a text file named .xlsx"),
    (b"PK\x03\x04" + b"\x00" * 200, "a corrupted zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "password-protected (OLE2) or old .xls"),
])
def test_unreadable_files_raise_a_domain_error_not_a_traceback(content, reason):
    with pytest.raises(DomainError) as raised:
        read_table(io.BytesIO(content), columns=task_columns())
    assert raised.value.message.startswith("Không đọc được tệp Excel"), reason


def test_a_zip_that_is_not_a_workbook_or_whose_xml_is_broken():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(DomainError, match="Không đọc được tệp Excel"):
        read_table(buffer.getvalue(), columns=task_columns())

    good = xlsx(rows=[HEADER])
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            payload = source.read(item)
            if item.filename == "xl/workbook.xml":
                payload = payload[: len(payload) // 2]
            target.writestr(item, payload)
    with pytest.raises(DomainError, match="Không đọc được tệp Excel"):
        read_table(broken.getvalue(), columns=task_columns())


def test_too_many_rows_are_refused():
    rows = [HEADER] + [[i, f"Việc {i}", "", "01/01/2026", "VP", "", ""] for i in range(1, 60)]
    with pytest.raises(DomainError, match="hơn 50 dòng"):
        read_table(xlsx(rows=rows), columns=task_columns(), max_rows=50)


@pytest.mark.parametrize("dangerous", [
    "=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")",
    "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
    "- Tiếp tục triển khai Kế hoạch",  # a Vietnamese bullet line: kept verbatim
])
def test_formula_injection_is_written_as_plain_text(dangerous):
    wb = Workbook()
    write_table(wb.active, ["Nội dung"], [[dangerous]])
    reread = load_workbook(io.BytesIO(workbook_bytes(wb)))
    cell = reread.active["A2"]
    assert cell.value == dangerous
    assert cell.data_type == "s"
    assert cell.quotePrefix  # Excel shows it as text and keeps it text when edited


def test_numbers_and_dates_stay_typed():
    wb = Workbook()
    write_table(wb.active, ["Số", "Ngày"], [[-5, dt.date(2026, 1, 2)]])
    reread = load_workbook(io.BytesIO(workbook_bytes(wb)))
    assert reread.active["A2"].value == -5 and reread.active["A2"].data_type == "n"
    assert reread.active["B2"].value.date() == dt.date(2026, 1, 2)


def test_workbook_response_is_an_xlsx_download_with_a_vietnamese_name():
    wb = Workbook()
    write_table(wb.active, ["STT"], [[1]])
    response = workbook_response(wb, "Kế hoạch CCHC 2026")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20CCHC%202026.xlsx")
    assert load_workbook(io.BytesIO(response.content)).active["A2"].value == 1

"""The task extractor's rules on small documents (the seeds are in test_tasks_quality)."""

from __future__ import annotations

from cchc.intake.document import Document, Line
from cchc.intake.extract.tasks import extract_tasks


def doc(*items: str | tuple[int, str]) -> Document:
    """Lines from texts ("a\\tb" is a table row); (number, text) keeps a line number, to
    leave gaps where a page break or a blank line was."""
    lines, number = [], 0
    for item in items:
        number, text = item if isinstance(item, tuple) else (number + 1, item)
        if "\t" in text:
            cells = tuple(" ".join(c.split()) for c in text.split("\t"))
            lines.append(Line(number=number, text=" | ".join(cells), cells=cells, table=0))
        else:
            lines.append(Line(number=number, text=" ".join(text.split())))
    return Document(lines=lines)


HEADER_001 = "STT\tNội dung\tKết quả\tThời gian thực hiện\tCơ quan chủ trì\tCơ quan phối hợp\tGhi chú"


def test_table_rows_groups_and_continuations():
    tasks = extract_tasks(doc(
        "Phụ lục",
        HEADER_001,
        "I\tCông tác chỉ đạo, điều hành về CCHC\t\t\t\t\t",
        "1\tXây dựng Kế hoạch CCHC năm 2022\tKế hoạch\tTháng 01/2022\tVăn phòng Sở\tCác phòng\t",
        "2\tBan hành quyết định phân bổ biên chế\tQuyết định\tSau khi có\tPhòng TCCB\tCác Phòng, Thanh\t",
        "- 7 -",  # a page number between the pages of the table
        HEADER_001,  # the header repeated
        "\tnăm 2022\t\tQuyết định UBND tỉnh\t\ttra Sở\t",
        "3\t\t\t\t\t\t",  # a number and nothing else
        "VI. Cải cách tài chính công\t\t\t\t\t\t",
        "1\tBáo cáo định kỳ\tBáo cáo\tTrong năm 2022\tPhòng Kế hoạch tài chính\t\t",
    ))
    assert [(t.content, t.group, t.source_line) for t in tasks] == [
        ("Xây dựng Kế hoạch CCHC năm 2022", "I. Công tác chỉ đạo, điều hành về CCHC", 4),
        ("Ban hành quyết định phân bổ biên chế năm 2022", "I. Công tác chỉ đạo, điều hành về CCHC", 5),
        ("Báo cáo định kỳ", "VI. Cải cách tài chính công", 11),
    ]
    second = tasks[1]
    assert second.timeframe == "Sau khi có Quyết định UBND tỉnh"
    assert second.coordinating == "Các Phòng, Thanh tra Sở"
    assert second.deliverable == "Quyết định" and second.lead == "Phòng TCCB" and second.note is None
    assert [t.area for t in tasks] == ["direction", "direction", "public_finance"]
    assert tasks[2].coordinating is None


def test_columns_in_any_order_arabic_groups_and_unnumbered_task():
    tasks = extract_tasks(doc(
        "TT\tNhiệm vụ cụ thể\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện",
        "1.\tTham gia của người dân ở cấp cơ sở\t\t\t\t",
        "1.1\tĐẩy mạnh tuyên truyền\tVăn bản\tPhòng GD&ĐT\tCác nhà trường\tThường xuyên",
        "H.C.A",  # OCR debris of a stamp in the middle of the table
        "\t\tđốc, kiểm tra\t\t\t",
        "7.\tQuản trị môi trường\t\t\t\t",
        "\tTăng cường bảo vệ môi trường\tVăn bản\tPhòng GD&ĐT\tCác nhà trường\tThường xuyên",
    ))
    assert [(t.content, t.deliverable, t.lead, t.timeframe, t.group, t.area) for t in tasks] == [
        ("Đẩy mạnh tuyên truyền", "Văn bản đốc, kiểm tra", "Phòng GD&ĐT", "Thường xuyên",
         "1. Tham gia của người dân ở cấp cơ sở", "papi_participation"),
        ("Tăng cường bảo vệ môi trường", "Văn bản", "Phòng GD&ĐT", "Thường xuyên",
         "7. Quản trị môi trường", "papi_environment"),
    ]


def test_a_title_merged_across_the_row_is_a_group_row():
    """A reader may give a merged cell once, or repeat it in every cell it spans."""
    tasks = extract_tasks(doc(
        HEADER_001,
        "II\tCải cách thể chế",  # merged: fewer cells
        "1\tRà soát văn bản QPPL\tBáo cáo\tNăm 2022\tVăn phòng Sở\t\t",
        "III\tCải cách TTHC\tCải cách TTHC\tCải cách TTHC\tCải cách TTHC\tCải cách TTHC\tCải cách TTHC",
        "1\tRà soát TTHC\tBáo cáo\tQuý II/2022\tVăn phòng Sở\t\t",
    ))
    assert [(t.content, t.group, t.area) for t in tasks] == [
        ("Rà soát văn bản QPPL", "II. Cải cách thể chế", "institutions"),
        ("Rà soát TTHC", "III. Cải cách TTHC", "procedures"),
    ]


def test_a_group_title_naming_no_area_takes_its_tasks_area():
    tasks = extract_tasks(doc(
        HEADER_001,
        "III\tCải cách TTTC\t\t\t\t\t",  # a typo in the source
        "1\tRà soát, đánh giá các quy định, thủ tục hành chính\tBáo cáo\tQuý II/2022\tVăn phòng Sở\t\t",
    ))
    assert tasks[0].area == "procedures"


def test_the_table_wins_over_key_task_bullets():
    tasks = extract_tasks(doc(
        "III. NHIỆM VỤ TRỌNG TÂM",
        "1. Về công tác chỉ đạo, điều hành CCHC",
        "- Chủ động tổ chức triển khai Kế hoạch CCHC của Sở.",
        "V. TỔ CHỨC THỰC HIỆN",
        HEADER_001,
        "I\tCông tác chỉ đạo, điều hành về CCHC\t\t\t\t\t",
        "1\tXây dựng Kế hoạch CCHC năm 2022\tKế hoạch\tTháng 01/2022\tVăn phòng Sở\t\t",
    ))
    assert [t.content for t in tasks] == ["Xây dựng Kế hoạch CCHC năm 2022"]


def test_key_task_bullets_under_their_headings():
    tasks = extract_tasks(doc(
        "I. MỤC ĐÍCH, YÊU CẦU",
        "- Nâng cao mức độ hài lòng.",  # not a task section
        "## **II. NHIỆM VỤ TRỌNG TÂM**",
        "### **1. Công tác chỉ đạo, điều hành**",
        "- Ban hành các văn bản chỉ đạo, điều hành.",
        "+ Kiểm tra công vụ hằng năm.",
        "#### 6. Cải cách tài chính công",
        (20, "- Phối hợp xây dựng Nghị quyết điều chỉnh phân cấp"),
        (22, "nguồn thu, nhiệm vụ chi giữa các cấp ngân sách."),  # after a page break
        "## **IV. TỔ CHỨC THỰC HIỆN**",
        "- Các cơ sở giáo dục xây dựng kế hoạch.",  # duties, not tasks
    ))
    assert [(t.content, t.group, t.area, t.source_line) for t in tasks] == [
        ("Ban hành các văn bản chỉ đạo, điều hành.", "1. Công tác chỉ đạo, điều hành", "direction", 5),
        ("Kiểm tra công vụ hằng năm.", "1. Công tác chỉ đạo, điều hành", "direction", 6),
        ("Phối hợp xây dựng Nghị quyết điều chỉnh phân cấp nguồn thu, nhiệm vụ chi giữa các cấp ngân sách.",
         "6. Cải cách tài chính công", "public_finance", 20),
    ]
    assert all(t.lead is None and t.timeframe is None and t.deliverable is None for t in tasks)


def test_ocr_text_without_diacritics_and_wrapped_lines():
    tasks = extract_tasks(doc(
        "II. NOI DUNG THU'C HIEN",
        (10, "3. Cai cach thi tuc hanh chinh va thwe hién co ché mdt cira, mot cira"),
        (11, "lién thong"),
        (13, "- Ra soat, thong ké va don gian hod cac thu tuc hanh chinh ndi bg gitra cac"),
        (14, "co quan hanh chinh nha nudc."),
        (16, "4. Cai cach t6 chirc bd may hanh chinh"),
        (18, "- Tiép tuc thuc hién Nghi dinh s6 127/2018/ND-CP ngay 21/9/2018 cua"),
        (19, "Chinh phu vé Quy dinh trach nhiém quan 1y nha nuéc vé gido duc."),
        (21, "III. TO CHUC THU'C HIEN"),
    ))
    assert [(t.content, t.group, t.area) for t in tasks] == [
        ("Ra soat, thong ké va don gian hod cac thu tuc hanh chinh ndi bg gitra cac co quan hanh chinh "
         "nha nudc.",
         "3. Cai cach thi tuc hanh chinh va thwe hién co ché mdt cira, mot cira lién thong", "procedures"),
        ("Tiép tuc thuc hién Nghi dinh s6 127/2018/ND-CP ngay 21/9/2018 cua Chinh phu vé Quy dinh trach "
         "nhiém quan 1y nha nuéc vé gido duc.", "4. Cai cach t6 chirc bd may hanh chinh", "apparatus"),
    ]


def test_a_schedule_gives_deadlines_and_numbered_items():
    tasks = extract_tasks(doc(
        "## **II. LỘ TRÌNH THỰC HIỆN (có phụ lục chi tiết kèm theo)**",
        "**1. Giai đoạn 2021-2023:** Dự kiến Sơ kết vào tháng 11/2023.",
        "III. TIẾN ĐỘ THỰC HIỆN",
        "1. Trên cơ sở Kế hoạch của Sở, các phòng và đơn vị tổ chức thực hiện, cụ thể như sau:",
        "Năm 2024",
        "- Tổ chức triển khai phong trào thi đua.",
        "- Thực hiện báo cáo kết quả phong trào thi đua trước ngày 31 tháng 10 năm 2024.",
        "2. Sở tổ chức tổng kết phong trào thi đua và khen thưởng.",
        "IV. TỔ CHỨC THỰC HIỆN",
    ))
    assert [(t.content, t.group, t.timeframe, t.area) for t in tasks] == [
        ("Giai đoạn 2021-2023: Dự kiến Sơ kết vào tháng 11/2023.", None, "tháng 11/2023", "direction"),
        ("Tổ chức triển khai phong trào thi đua.", "Năm 2024", "Năm 2024", "direction"),
        ("Thực hiện báo cáo kết quả phong trào thi đua trước ngày 31 tháng 10 năm 2024.", "Năm 2024",
         "trước ngày 31 tháng 10 năm 2024", "direction"),
        ("Sở tổ chức tổng kết phong trào thi đua và khen thưởng.", None, None, "direction"),
    ]


def test_a_document_without_tasks():
    assert extract_tasks(doc("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "- Nâng cao nhận thức.")) == []
    assert extract_tasks(Document()) == []

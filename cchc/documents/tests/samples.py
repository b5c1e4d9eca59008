"""A plan shaped like the real ones (seed 001): blank number and date, two sections, and
a task appendix of three groups of three tasks."""

from cchc.documents.official import (
    Appendix,
    Bullet,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    SubHeading,
    Table,
)

PLAN_TITLE = "Công tác cải cách hành chính năm 2026"
SIGNER = "Nguyễn Văn Bình"
TASK_HEADER = ["STT", "Nội dung", "Kết quả", "Thời gian thực hiện", "Cơ quan chủ trì",
               "Cơ quan phối hợp", "Ghi chú"]
TASK_WIDTHS = [1.2, 7.0, 4.0, 2.8, 3.2, 3.8, 2.0]

GROUPS = [
    ("Công tác chỉ đạo, điều hành", [
        ["1", "Xây dựng Kế hoạch cải cách hành chính năm 2026", "Kế hoạch", "Tháng 01/2026",
         "Văn phòng Sở", "Các phòng thuộc Sở", ""],
        ["2", "Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử của Sở",
         "Tin, bài", "Thường xuyên", "Văn phòng Sở", "Các phòng thuộc Sở", ""],
        ["3", "Báo cáo định kỳ kết quả cải cách hành chính", "Báo cáo quý, 6 tháng, năm",
         "Theo quy định", "Văn phòng Sở", "Các phòng thuộc Sở", ""],
    ]),
    ("Cải cách thể chế", [
        ["1", "Rà soát văn bản quy phạm pháp luật lĩnh vực giáo dục do tỉnh ban hành",
         "Danh mục văn bản", "Quý II/2026", "Văn phòng Sở", "Thanh tra Sở", ""],
        ["2", "Theo dõi thi hành pháp luật trong lĩnh vực giáo dục", "Báo cáo",
         "Quý IV/2026", "Thanh tra Sở", "Văn phòng Sở", ""],
        ["3", "Tham mưu văn bản quy phạm pháp luật đã đăng ký năm 2026", "Dự thảo văn bản",
         "Theo chương trình", "Các phòng thuộc Sở", "Sở Tư pháp", ""],
    ]),
    ("Cải cách thủ tục hành chính", [
        ["1", "Công khai thủ tục hành chính tại Bộ phận một cửa", "Danh mục TTHC niêm yết",
         "Thường xuyên", "Văn phòng Sở", "", ""],
        ["2", "Giải quyết thủ tục hành chính đúng hạn đạt từ 98% trở lên", "Tỷ lệ đúng hạn",
         "Cả năm", "Các phòng thuộc Sở", "Văn phòng Sở", ""],
        ["3", "Xin lỗi người dân, tổ chức khi giải quyết hồ sơ trễ hạn", "Thư xin lỗi",
         "Khi phát sinh", "Các phòng thuộc Sở", "Văn phòng Sở", ""],
    ]),
]


def sample_plan() -> OfficialDocument:
    return OfficialDocument(
        issuer_parent="UBND TỈNH HƯNG YÊN",
        issuer="SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        number="",
        symbol="KH-SGDĐT",
        place="Hưng Yên",
        date=None,
        year=2026,
        doc_type="KẾ HOẠCH",
        title=PLAN_TITLE,
        body=[
            Paragraph("Thực hiện Kế hoạch số 120/KH-UBND ngày 25 tháng 12 năm 2025 của Ủy ban "
                      "nhân dân tỉnh về công tác cải cách hành chính năm 2026, Sở Giáo dục và Đào "
                      "tạo ban hành Kế hoạch cải cách hành chính năm 2026 như sau:"),
            Heading("I. MỤC ĐÍCH, YÊU CẦU"),
            SubHeading("1. Mục đích"),
            Bullet("Xây dựng nền hành chính dân chủ, minh bạch, hiện đại; nâng cao mức độ hài "
                   "lòng của người dân, tổ chức."),
            SubHeading("2. Yêu cầu"),
            Bullet("Nâng cao vai trò, trách nhiệm của người đứng đầu trong lãnh đạo, chỉ đạo "
                   "công tác cải cách hành chính."),
            Heading("II. TỔ CHỨC THỰC HIỆN"),
            Paragraph("Văn phòng Sở theo dõi, đôn đốc và báo cáo định kỳ kết quả thực hiện "
                      "Kế hoạch này về lãnh đạo Sở./."),
        ],
        recipients=["UBND tỉnh (để b/c);", "Sở Nội vụ (theo dõi);", "Giám đốc Sở (để b/c);",
                    "Các phòng thuộc Sở (thực hiện);", "Lưu: VT, VP."],
        signature=Signature(authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", name=SIGNER),
        appendices=[
            Appendix(
                title="Nhiệm vụ cụ thể công tác cải cách hành chính năm 2026",
                table=Table.grouped(TASK_HEADER, GROUPS, column_widths=TASK_WIDTHS,
                                    align=["center", "justify", "left", "center", "left",
                                           "left", "left"]),
            )
        ],
    )

"""The demo catalogue: education procedures as published in the national database.

Thirty-odd procedures of the Ministry of Education and Training at the four levels the
desk knows: the department (Sở GD&ĐT), the district office until 30/06/2025, the commune
from 01/07/2025 (Decree 142/2025/NĐ-CP hands the district's education procedures to the
commune's people's committee) and the school or centre.

Sources. The codes, names and times marked `# seen` were read on public pages of the
national and provincial portals (dichvucong.gov.vn, dichvucong.quangtri.gov.vn,
dichvucong.kiengiang.gov.vn, hethongphapluat.com, the communes' pages of Điện Biên):
1.004889 (recognition of foreign school diplomas, 15 working days), 2.001914 (correcting
a diploma, 05 working days), 1.010020 (certified copy from the original register at the
district, "ngay trong ngày", 15:00), 3.000467 (the same at the commune). The other codes
follow the national format but are illustrative: check them against the national
database before relying on them. Internal steps are those a department typically
publishes under ISO 9001 (shares of the legal time, the last one the return).

`load_catalogue()` writes them (idempotent by code); `WEIGHTS` says how often each is
asked for (the demo's dossiers follow it) and `RETIRED_ON` when one stopped being
received (the district's procedures with the district level; the licence for extra
tuition, replaced by a notification under Circular 29/2024/TT-BGDĐT from 14/02/2025).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .models import OnlineMode, Procedure, ProcedureLevel

FULL, PARTIAL, NONE = OnlineMode.FULL, OnlineMode.PARTIAL, OnlineMode.NONE
PROVINCE, DISTRICT, COMMUNE, SCHOOL = (
    ProcedureLevel.PROVINCE,
    ProcedureLevel.DISTRICT,
    ProcedureLevel.COMMUNE,
    ProcedureLevel.SCHOOL,
)
CUTOFF_15 = dt.time(15)
LAST_DISTRICT_DAY = dt.date(2025, 6, 30)

DIPLOMAS = "Văn bằng, chứng chỉ"
ADMISSIONS = "Quy chế thi, tuyển sinh"
PRESCHOOL = "Giáo dục mầm non"
PRIMARY = "Giáo dục tiểu học"
SECONDARY = "Giáo dục trung học"
OTHER = "Các cơ sở giáo dục khác"
SUPPORT = "Chính sách hỗ trợ người học"
FOREIGN = "Giáo dục và đào tạo với nước ngoài"
QUALITY = "Kiểm định chất lượng giáo dục"

TT21_2019 = "Thông tư số 21/2019/TT-BGDĐT ngày 29/11/2019 ban hành Quy chế quản lý bằng tốt nghiệp, chứng chỉ"
ND125_2024 = (
    "Nghị định số 125/2024/NĐ-CP ngày 05/10/2024 quy định về điều kiện đầu tư và hoạt động "
    "trong lĩnh vực giáo dục"
)
ND142_2025 = (
    "Nghị định số 142/2025/NĐ-CP ngày 12/6/2025 quy định về phân định thẩm quyền của chính quyền "
    "địa phương hai cấp trong lĩnh vực giáo dục"
)
TT32_2020 = (
    "Thông tư số 32/2020/TT-BGDĐT ban hành Điều lệ trường THCS, THPT và trường phổ thông có nhiều cấp học"
)
TT28_2020 = "Thông tư số 28/2020/TT-BGDĐT ban hành Điều lệ trường tiểu học"
ND81_2021 = "Nghị định số 81/2021/NĐ-CP về học phí, miễn, giảm học phí, hỗ trợ chi phí học tập"
ND238_2025 = (
    "Nghị định số 238/2025/NĐ-CP quy định chính sách học phí, miễn, giảm, hỗ trợ học phí, "
    "hỗ trợ chi phí học tập"
)
ND105_2020 = "Nghị định số 105/2020/NĐ-CP quy định chính sách phát triển giáo dục mầm non"
ND116_2016 = (
    "Nghị định số 116/2016/NĐ-CP quy định chính sách hỗ trợ học sinh và trường phổ thông ở xã, "
    "thôn đặc biệt khó khăn"
)
TT17_2012 = "Thông tư số 17/2012/TT-BGDĐT ban hành Quy định về dạy thêm, học thêm"
TT29_2024 = "Thông tư số 29/2024/TT-BGDĐT quy định về dạy thêm, học thêm"


def _steps(*middle: tuple[str, int], receive: int = 10, give: int = 10) -> list[dict]:
    """Receive at the desk, the unit's own steps, return at the desk (shares sum to 100)."""
    steps = [{"name": "Tiếp nhận, kiểm tra hồ sơ", "share": receive}]
    steps += [{"name": name, "share": share} for name, share in middle]
    steps.append({"name": "Trả kết quả", "share": give})
    assert sum(s["share"] for s in steps) == 100, steps
    return steps


EXAMINE_SIGN = _steps(("Chuyên viên thẩm định, dự thảo kết quả", 55), ("Lãnh đạo phê duyệt, ký", 25))
EXAMINE_SHORT = _steps(("Thẩm định, trình ký", 60), ("Phê duyệt", 20))
COPY = _steps(("Đối chiếu sổ gốc, in bản sao, trình ký", 70), receive=15, give=15)
ESTABLISH = _steps(
    ("Thẩm định hồ sơ, kiểm tra thực tế điều kiện", 50),
    ("Tổng hợp, dự thảo quyết định", 20),
    ("Lãnh đạo phê duyệt, ký quyết định", 15),
    receive=5,
    give=10,
)
SUPPORT_STEPS = _steps(("Xét duyệt danh sách, thẩm định", 50), ("Phê duyệt, ra quyết định", 30))
SCHOOL_STEPS = _steps(("Hiệu trưởng xem xét, quyết định", 70), receive=15, give=15)


def _p(
    code,
    name,
    field,
    level,
    days,
    *,
    fee="Không",
    online=PARTIAL,
    post=True,
    file=False,
    cutoff=None,
    steps=EXAMINE_SIGN,
    forms=(),
    documents=(),
    legal="",
    result="",
    weight=1.0,
    retired_on=None,
) -> dict:
    return {
        "code": code,
        "name": name,
        "field": field,
        "level": level,
        "processing_days": days,
        "fee": fee,
        "online_mode": online,
        "postal_return": post,
        "result_requires_file": file,
        "cutoff": cutoff,
        "steps": steps,
        "forms": list(forms),
        "documents": list(documents),
        "legal_basis": legal,
        "result": result,
        "_weight": weight,
        "_retired_on": retired_on,
    }


_ID = "Giấy tờ tùy thân (căn cước) để đối chiếu"
_COPY_DOCS = [
    "Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
    _ID,
    "Giấy tờ chứng minh quyền yêu cầu (người đại diện, người được ủy quyền, thân nhân) nếu có",
]
_COPY_LEGAL = f"{TT21_2019}, Điều 30–31; Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc"
_COPY_RESULT = "Bản sao văn bằng, chứng chỉ từ sổ gốc"
_CORRECT_DOCS = [
    "Đơn đề nghị chỉnh sửa nội dung văn bằng, chứng chỉ",
    "Văn bằng, chứng chỉ đề nghị chỉnh sửa",
    "Giấy khai sinh hoặc quyết định cho phép thay đổi, cải chính hộ tịch",
    _ID,
]
_TRANSFER_DOCS = [
    "Đơn xin chuyển trường do cha mẹ hoặc người giám hộ ký",
    "Học bạ (bản chính)",
    "Giấy giới thiệu chuyển trường do hiệu trưởng trường nơi đi cấp",
    "Bản sao giấy khai sinh",
]
_ESTABLISH_DOCS = [
    "Tờ trình đề nghị thành lập hoặc cho phép thành lập",
    "Đề án thành lập trường",
    "Văn bản xác nhận quyền sử dụng đất, tài sản gắn liền với đất",
    "Bản vẽ tổng thể mặt bằng, thiết kế công trình",
]
_ACTIVITY_DOCS = [
    "Tờ trình đề nghị cho phép hoạt động giáo dục",
    "Quyết định thành lập hoặc cho phép thành lập trường",
    "Danh sách cán bộ quản lý, giáo viên kèm văn bằng, chứng chỉ",
    "Danh mục cơ sở vật chất, thiết bị dạy học",
    "Quy chế tổ chức và hoạt động, chương trình giáo dục",
]
_RESTRUCTURE_DOCS = [
    "Tờ trình đề nghị sáp nhập, chia, tách",
    "Đề án sáp nhập, chia, tách",
    "Ý kiến bằng văn bản của các cơ quan có liên quan",
]

CATALOGUE: list[dict] = [
    # --- Sở GD&ĐT (province) -----------------------------------------------------------
    _p(
        "1.004889",  # seen
        "Công nhận bằng tốt nghiệp trung học cơ sở, bằng tốt nghiệp trung học phổ thông, giấy chứng nhận "
        "hoàn thành chương trình giáo dục phổ thông do cơ sở giáo dục nước ngoài cấp để sử dụng tại Việt Nam",
        DIPLOMAS,
        PROVINCE,
        15,
        online=FULL,
        file=True,
        forms=["Mẫu số 01 — Đơn đề nghị công nhận văn bằng do cơ sở giáo dục nước ngoài cấp"],
        documents=[
            "Đơn đề nghị công nhận văn bằng (theo mẫu)",
            "Bản sao văn bằng do cơ sở giáo dục nước ngoài cấp kèm bản dịch tiếng Việt có chứng thực",
            "Bản sao kết quả học tập kèm bản dịch tiếng Việt có chứng thực",
            "Minh chứng thời gian học ở nước ngoài (hộ chiếu có dấu xuất nhập cảnh "
            "hoặc xác nhận của cơ sở giáo dục)",
        ],
        legal="Thông tư số 13/2021/TT-BGDĐT quy định điều kiện, trình tự, thủ tục công nhận văn bằng "
        "do cơ sở giáo dục nước ngoài cấp; Luật Giáo dục 2019",
        result="Văn bản công nhận văn bằng (hoặc văn bản trả lời không công nhận, nêu rõ lý do)",
        weight=1.5,
    ),
    _p(
        "2.001914",  # seen
        "Chỉnh sửa nội dung văn bằng, chứng chỉ",
        DIPLOMAS,
        PROVINCE,
        5,
        online=FULL,
        steps=EXAMINE_SHORT,
        forms=["Đơn đề nghị chỉnh sửa nội dung văn bằng, chứng chỉ"],
        documents=_CORRECT_DOCS,
        legal=f"{TT21_2019}, Điều 22–24",
        result="Quyết định chỉnh sửa nội dung văn bằng, chứng chỉ",
        weight=3,
    ),
    _p(
        "1.005092",
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        DIPLOMAS,
        PROVINCE,
        0,
        fee="Phí cấp bản sao theo quy định",
        online=FULL,
        cutoff=CUTOFF_15,
        steps=COPY,
        forms=["Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc"],
        documents=_COPY_DOCS,
        legal=_COPY_LEGAL,
        result=_COPY_RESULT,
        weight=14,
    ),
    _p(
        "1.005095",
        "Chuyển trường đối với học sinh trung học phổ thông (chuyển đến từ tỉnh, thành phố khác)",
        ADMISSIONS,
        PROVINCE,
        3,
        online=FULL,
        steps=EXAMINE_SHORT,
        forms=["Đơn xin chuyển trường (mẫu kèm Thông tư 32/2020/TT-BGDĐT)"],
        documents=[*_TRANSFER_DOCS, "Giấy chứng nhận trúng tuyển vào lớp 10"],
        legal=f"{TT32_2020}, Điều 35",
        result="Giấy giới thiệu chuyển trường",
        weight=6,
    ),
    _p(
        "1.005096",
        "Xin học lại tại trường khác đối với học sinh trung học phổ thông",
        ADMISSIONS,
        PROVINCE,
        3,
        steps=EXAMINE_SHORT,
        documents=["Đơn xin học lại", "Học bạ (bản chính)", "Giấy xác nhận của địa phương nơi cư trú"],
        legal=TT32_2020,
        result="Văn bản đồng ý cho học lại",
        weight=0.8,
    ),
    _p(
        "1.006388",
        "Thành lập trường trung học phổ thông công lập hoặc cho phép thành lập "
        "trường trung học phổ thông tư thục",
        SECONDARY,
        PROVINCE,
        20,
        online=PARTIAL,
        post=True,
        file=True,
        steps=ESTABLISH,
        documents=_ESTABLISH_DOCS,
        legal=ND125_2024,
        result="Quyết định thành lập hoặc cho phép thành lập trường",
        weight=0.1,
    ),
    _p(
        "1.006389",
        "Cho phép trường trung học phổ thông hoạt động giáo dục",
        SECONDARY,
        PROVINCE,
        20,
        file=True,
        steps=ESTABLISH,
        documents=_ACTIVITY_DOCS,
        legal=ND125_2024,
        result="Quyết định cho phép hoạt động giáo dục",
        weight=0.15,
    ),
    _p(
        "1.006390",
        "Cho phép trường trung học phổ thông hoạt động giáo dục trở lại",
        SECONDARY,
        PROVINCE,
        20,
        file=True,
        steps=ESTABLISH,
        documents=["Tờ trình đề nghị hoạt động trở lại", "Báo cáo khắc phục nguyên nhân bị đình chỉ"],
        legal=ND125_2024,
        result="Quyết định cho phép hoạt động giáo dục trở lại",
        weight=0.05,
    ),
    _p(
        "1.006391",
        "Sáp nhập, chia, tách trường trung học phổ thông",
        SECONDARY,
        PROVINCE,
        20,
        online=NONE,
        file=True,
        steps=ESTABLISH,
        documents=_RESTRUCTURE_DOCS,
        legal=ND125_2024,
        result="Quyết định sáp nhập, chia, tách trường",
        weight=0.05,
    ),
    _p(
        "1.006392",
        "Giải thể trường trung học phổ thông (theo đề nghị của tổ chức, cá nhân thành lập trường)",
        SECONDARY,
        PROVINCE,
        20,
        online=NONE,
        file=True,
        steps=ESTABLISH,
        documents=["Tờ trình đề nghị giải thể", "Phương án bảo đảm quyền lợi của người học, giáo viên"],
        legal=ND125_2024,
        result="Quyết định giải thể trường",
        weight=0.03,
    ),
    _p(
        "1.005083",
        "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục",
        OTHER,
        PROVINCE,
        15,
        online=FULL,
        file=True,
        steps=ESTABLISH,
        documents=[
            "Tờ trình đề nghị cho phép hoạt động giáo dục",
            "Quyết định thành lập hoặc cho phép thành lập trung tâm",
            "Danh sách giáo viên kèm văn bằng, chứng chỉ",
            "Hợp đồng thuê hoặc giấy tờ về quyền sử dụng cơ sở vật chất",
        ],
        legal=f"{ND125_2024}; Thông tư số 21/2018/TT-BGDĐT ban hành Quy chế trung tâm ngoại ngữ, tin học",
        result="Quyết định cho phép hoạt động giáo dục",
        weight=1.2,
    ),
    _p(
        "1.005084",
        "Thành lập hoặc cho phép thành lập trung tâm ngoại ngữ, tin học",
        OTHER,
        PROVINCE,
        15,
        online=PARTIAL,
        file=True,
        steps=ESTABLISH,
        documents=[
            "Tờ trình đề nghị thành lập",
            "Đề án thành lập trung tâm",
            "Lý lịch của người dự kiến làm giám đốc",
        ],
        legal=ND125_2024,
        result="Quyết định thành lập hoặc cho phép thành lập trung tâm",
        weight=0.8,
    ),
    _p(
        "1.005088",
        "Cấp giấy phép tổ chức hoạt động dạy thêm, học thêm đối với cấp trung học phổ thông",
        SECONDARY,
        PROVINCE,
        15,
        online=PARTIAL,
        steps=EXAMINE_SIGN,
        documents=[
            "Đơn đề nghị cấp giấy phép tổ chức dạy thêm, học thêm",
            "Danh sách người tổ chức, người dạy thêm kèm văn bằng",
            "Bản cam kết thực hiện các quy định về dạy thêm, học thêm",
        ],
        legal=f"{TT17_2012} (hết hiệu lực khi {TT29_2024} có hiệu lực ngày 14/02/2025)",
        result="Giấy phép tổ chức hoạt động dạy thêm, học thêm",
        weight=2,
        retired_on=dt.date(2025, 2, 13),
    ),
    _p(
        "2.002478",
        "Cấp giấy chứng nhận đăng ký hoạt động dịch vụ tư vấn du học",
        FOREIGN,
        PROVINCE,
        10,
        online=FULL,
        file=True,
        documents=[
            "Văn bản đề nghị cấp giấy chứng nhận",
            "Giấy chứng nhận đăng ký doanh nghiệp",
            "Danh sách nhân viên tư vấn kèm chứng chỉ bồi dưỡng tư vấn du học",
        ],
        legal=ND125_2024,
        result="Giấy chứng nhận đăng ký hoạt động dịch vụ tư vấn du học",
        weight=0.6,
    ),
    _p(
        "1.001088",
        "Phê duyệt việc dạy và học bằng tiếng nước ngoài",
        FOREIGN,
        PROVINCE,
        20,
        file=True,
        steps=ESTABLISH,
        documents=["Tờ trình đề nghị", "Đề án dạy và học bằng tiếng nước ngoài", "Danh sách giáo viên"],
        legal="Quyết định số 72/2014/QĐ-TTg quy định việc dạy và học bằng tiếng nước ngoài",
        result="Quyết định phê duyệt",
        weight=0.1,
    ),
    _p(
        "1.000288",
        "Công nhận trường trung học đạt chuẩn quốc gia",
        QUALITY,
        PROVINCE,
        20,
        online=NONE,
        post=False,
        file=True,
        steps=ESTABLISH,
        documents=["Tờ trình đề nghị công nhận", "Báo cáo tự đánh giá", "Báo cáo đánh giá ngoài"],
        legal="Thông tư số 18/2018/TT-BGDĐT quy định về kiểm định chất lượng giáo dục "
        "và công nhận đạt chuẩn quốc gia",
        result="Quyết định công nhận trường đạt chuẩn quốc gia",
        weight=0.3,
    ),
    _p(
        "1.008723",
        "Xét, cấp học bổng chính sách cho học sinh trường phổ thông dân tộc nội trú",
        SUPPORT,
        PROVINCE,
        10,
        online=FULL,
        steps=SUPPORT_STEPS,
        documents=["Danh sách học sinh đề nghị", "Giấy tờ chứng minh đối tượng được hưởng"],
        legal="Nghị định số 84/2020/NĐ-CP quy định chi tiết một số điều của Luật Giáo dục",
        result="Quyết định cấp học bổng chính sách",
        weight=0.6,
    ),
    _p(
        "1.001714",
        "Tuyển sinh trung học phổ thông (tiếp nhận hồ sơ dự tuyển lớp 10 ngoài kỳ tuyển sinh)",
        ADMISSIONS,
        PROVINCE,
        5,
        online=FULL,
        steps=EXAMINE_SHORT,
        documents=[
            "Phiếu đăng ký dự tuyển",
            "Bản sao giấy khai sinh",
            "Bằng tốt nghiệp THCS hoặc giấy chứng nhận tốt nghiệp tạm thời",
        ],
        legal="Thông tư số 30/2024/TT-BGDĐT ban hành Quy chế tuyển sinh THCS và THPT",
        result="Thông báo kết quả xét tuyển",
        weight=1.5,
    ),
    # --- Phòng GD&ĐT (district, until 30/06/2025) --------------------------------------
    _p(
        "1.010020",  # seen
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc (cấp huyện)",
        DIPLOMAS,
        DISTRICT,
        0,
        fee="Phí cấp bản sao theo quy định",
        online=FULL,
        cutoff=CUTOFF_15,
        steps=COPY,
        documents=_COPY_DOCS,
        legal=_COPY_LEGAL,
        result=_COPY_RESULT,
        weight=10,
        retired_on=LAST_DISTRICT_DAY,
    ),
    _p(
        "1.010021",
        "Chỉnh sửa nội dung văn bằng, chứng chỉ (cấp huyện)",
        DIPLOMAS,
        DISTRICT,
        5,
        online=FULL,
        steps=EXAMINE_SHORT,
        documents=_CORRECT_DOCS,
        legal=f"{TT21_2019}, Điều 22–24",
        result="Quyết định chỉnh sửa nội dung văn bằng, chứng chỉ",
        weight=2,
        retired_on=LAST_DISTRICT_DAY,
    ),
    _p(
        "1.005097",
        "Chuyển trường đối với học sinh trung học cơ sở (cấp huyện)",
        ADMISSIONS,
        DISTRICT,
        3,
        online=FULL,
        steps=EXAMINE_SHORT,
        documents=_TRANSFER_DOCS,
        legal=f"{TT32_2020}, Điều 35",
        result="Giấy giới thiệu chuyển trường",
        weight=6,
        retired_on=LAST_DISTRICT_DAY,
    ),
    _p(
        "1.004492",
        "Thành lập trường mầm non công lập hoặc cho phép thành lập trường mầm non dân lập, "
        "tư thục (cấp huyện)",
        PRESCHOOL,
        DISTRICT,
        20,
        file=True,
        steps=ESTABLISH,
        documents=_ESTABLISH_DOCS,
        legal=ND125_2024,
        result="Quyết định thành lập hoặc cho phép thành lập trường mầm non",
        weight=0.3,
        retired_on=LAST_DISTRICT_DAY,
    ),
    _p(
        "1.004496",
        "Cho phép trường mầm non hoạt động giáo dục (cấp huyện)",
        PRESCHOOL,
        DISTRICT,
        20,
        file=True,
        steps=ESTABLISH,
        documents=_ACTIVITY_DOCS,
        legal=ND125_2024,
        result="Quyết định cho phép hoạt động giáo dục",
        weight=0.4,
        retired_on=LAST_DISTRICT_DAY,
    ),
    _p(
        "1.005098",
        "Cấp giấy phép tổ chức hoạt động dạy thêm, học thêm đối với cấp trung học cơ sở",
        SECONDARY,
        DISTRICT,
        15,
        online=PARTIAL,
        documents=["Đơn đề nghị cấp giấy phép", "Danh sách người dạy thêm kèm văn bằng", "Bản cam kết"],
        legal=f"{TT17_2012} (hết hiệu lực khi {TT29_2024} có hiệu lực ngày 14/02/2025)",
        result="Giấy phép tổ chức hoạt động dạy thêm, học thêm",
        weight=2,
        retired_on=dt.date(2025, 2, 13),
    ),
    _p(
        "1.008950",
        "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo (cấp huyện)",
        SUPPORT,
        DISTRICT,
        10,
        online=FULL,
        steps=SUPPORT_STEPS,
        documents=["Đơn đề nghị hỗ trợ ăn trưa", "Giấy tờ chứng minh thuộc đối tượng được hỗ trợ"],
        legal=f"{ND105_2020}, Điều 7",
        result="Quyết định phê duyệt danh sách trẻ được hỗ trợ",
        weight=3,
        retired_on=LAST_DISTRICT_DAY,
    ),
    _p(
        "1.008951",
        "Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú (cấp huyện)",
        SUPPORT,
        DISTRICT,
        10,
        online=PARTIAL,
        steps=SUPPORT_STEPS,
        documents=["Đơn đề nghị hưởng chính sách", "Biên bản xét duyệt của nhà trường"],
        legal=ND116_2016,
        result="Quyết định phê duyệt danh sách học sinh được hỗ trợ",
        weight=1.5,
        retired_on=LAST_DISTRICT_DAY,
    ),
    _p(
        "1.004555",
        "Sáp nhập, chia, tách trường tiểu học, trường trung học cơ sở (cấp huyện)",
        PRIMARY,
        DISTRICT,
        20,
        online=NONE,
        file=True,
        steps=ESTABLISH,
        documents=_RESTRUCTURE_DOCS,
        legal=ND125_2024,
        result="Quyết định sáp nhập, chia, tách trường",
        weight=0.1,
        retired_on=LAST_DISTRICT_DAY,
    ),
    # --- UBND cấp xã (commune, from 01/07/2025) ------------------------------------------
    _p(
        "3.000467",  # seen
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc (cấp xã)",
        DIPLOMAS,
        COMMUNE,
        0,
        fee="Phí cấp bản sao theo quy định",
        online=FULL,
        cutoff=CUTOFF_15,
        steps=COPY,
        documents=_COPY_DOCS,
        legal=f"{_COPY_LEGAL}; {ND142_2025}",
        result=_COPY_RESULT,
        weight=10,
    ),
    _p(
        "3.000468",
        "Chỉnh sửa nội dung văn bằng, chứng chỉ (cấp xã)",
        DIPLOMAS,
        COMMUNE,
        5,
        online=FULL,
        steps=EXAMINE_SHORT,
        documents=_CORRECT_DOCS,
        legal=f"{TT21_2019}; {ND142_2025}",
        result="Quyết định chỉnh sửa nội dung văn bằng, chứng chỉ",
        weight=2,
    ),
    _p(
        "3.000470",
        "Chuyển trường đối với học sinh trung học cơ sở (chuyển đến từ tỉnh, thành phố khác — cấp xã)",
        ADMISSIONS,
        COMMUNE,
        3,
        online=FULL,
        steps=EXAMINE_SHORT,
        documents=_TRANSFER_DOCS,
        legal=f"{TT32_2020}; {ND142_2025}",
        result="Giấy giới thiệu chuyển trường",
        weight=5,
    ),
    _p(
        "3.000471",
        "Thành lập hoặc cho phép thành lập trường mẫu giáo, trường mầm non, nhà trẻ (cấp xã)",
        PRESCHOOL,
        COMMUNE,
        20,
        file=True,
        steps=ESTABLISH,
        documents=_ESTABLISH_DOCS,
        legal=ND142_2025,
        result="Quyết định thành lập hoặc cho phép thành lập trường mầm non",
        weight=0.3,
    ),
    _p(
        "3.000472",
        "Cho phép trường mẫu giáo, trường mầm non, nhà trẻ hoạt động giáo dục (cấp xã)",
        PRESCHOOL,
        COMMUNE,
        20,
        file=True,
        steps=ESTABLISH,
        documents=_ACTIVITY_DOCS,
        legal=ND142_2025,
        result="Quyết định cho phép hoạt động giáo dục",
        weight=0.4,
    ),
    _p(
        "3.000473",
        "Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động (cấp xã)",
        PRESCHOOL,
        COMMUNE,
        15,
        steps=ESTABLISH,
        documents=[
            "Tờ trình đề nghị cho phép hoạt động",
            "Danh sách giáo viên, người chăm sóc trẻ kèm văn bằng",
            "Văn bản chứng minh quyền sử dụng cơ sở vật chất",
        ],
        legal=f"{ND105_2020}; {ND142_2025}",
        result="Quyết định cho phép hoạt động",
        weight=0.8,
    ),
    _p(
        "3.000474",
        "Thành lập trường tiểu học, trường trung học cơ sở công lập hoặc cho phép thành lập "
        "trường tư thục (cấp xã)",
        PRIMARY,
        COMMUNE,
        20,
        online=NONE,
        file=True,
        steps=ESTABLISH,
        documents=_ESTABLISH_DOCS,
        legal=f"{ND125_2024}; {ND142_2025}",
        result="Quyết định thành lập hoặc cho phép thành lập trường",
        weight=0.1,
    ),
    _p(
        "3.000475",
        "Sáp nhập, chia, tách trường mầm non, tiểu học, trung học cơ sở (cấp xã)",
        PRIMARY,
        COMMUNE,
        20,
        online=NONE,
        file=True,
        steps=ESTABLISH,
        documents=_RESTRUCTURE_DOCS,
        legal=ND142_2025,
        result="Quyết định sáp nhập, chia, tách trường",
        weight=0.1,
    ),
    _p(
        "3.000476",
        "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo (cấp xã)",
        SUPPORT,
        COMMUNE,
        10,
        online=FULL,
        steps=SUPPORT_STEPS,
        documents=["Đơn đề nghị hỗ trợ ăn trưa", "Giấy tờ chứng minh thuộc đối tượng được hỗ trợ"],
        legal=f"{ND105_2020}; {ND142_2025}",
        result="Quyết định phê duyệt danh sách trẻ được hỗ trợ",
        weight=3,
    ),
    _p(
        "3.000477",
        "Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú (cấp xã)",
        SUPPORT,
        COMMUNE,
        10,
        online=PARTIAL,
        steps=SUPPORT_STEPS,
        documents=["Đơn đề nghị hưởng chính sách", "Biên bản xét duyệt của nhà trường"],
        legal=f"{ND116_2016}; {ND142_2025}",
        result="Quyết định phê duyệt danh sách học sinh được hỗ trợ",
        weight=1.5,
    ),
    # --- Trường, trung tâm (school) ---------------------------------------------------
    _p(
        "1.005099",
        "Chuyển trường đối với học sinh tiểu học",
        ADMISSIONS,
        SCHOOL,
        3,
        online=FULL,
        steps=SCHOOL_STEPS,
        documents=["Đơn đề nghị chuyển trường", "Học bạ", "Giấy giới thiệu của trường nơi đi"],
        legal=f"{TT28_2020}, Điều 39",
        result="Văn bản đồng ý tiếp nhận học sinh",
        weight=6,
    ),
    _p(
        "1.005100",
        "Chuyển trường đối với học sinh trung học cơ sở, trung học phổ thông trong tỉnh",
        ADMISSIONS,
        SCHOOL,
        3,
        online=FULL,
        steps=SCHOOL_STEPS,
        documents=_TRANSFER_DOCS,
        legal=f"{TT32_2020}, Điều 35",
        result="Văn bản đồng ý tiếp nhận học sinh",
        weight=6,
    ),
    _p(
        "1.008952",
        "Xét miễn, giảm học phí, hỗ trợ chi phí học tập",
        SUPPORT,
        SCHOOL,
        10,
        online=FULL,
        steps=SUPPORT_STEPS,
        documents=[
            "Đơn đề nghị miễn, giảm học phí, hỗ trợ chi phí học tập",
            "Giấy tờ chứng minh thuộc đối tượng",
        ],
        legal=f"{ND81_2021}; {ND238_2025}",
        result="Danh sách học sinh được miễn, giảm học phí, hỗ trợ chi phí học tập",
        weight=8,
    ),
    _p(
        "1.005101",
        "Cấp bản sao chứng chỉ từ sổ gốc tại cơ sở giáo dục",
        DIPLOMAS,
        SCHOOL,
        0,
        fee="Phí cấp bản sao theo quy định",
        online=PARTIAL,
        cutoff=CUTOFF_15,
        steps=COPY,
        documents=_COPY_DOCS,
        legal=_COPY_LEGAL,
        result=_COPY_RESULT,
        weight=2,
    ),
    _p(
        "1.005102",
        "Tiếp nhận học sinh Việt Nam về nước, học sinh người nước ngoài vào học",
        ADMISSIONS,
        SCHOOL,
        5,
        online=NONE,
        steps=SCHOOL_STEPS,
        documents=[
            "Đơn xin học",
            "Hồ sơ học tập ở nước ngoài kèm bản dịch có chứng thực",
            "Giấy tờ về cư trú của cha mẹ hoặc người giám hộ",
        ],
        legal=TT32_2020,
        result="Quyết định tiếp nhận, xếp lớp",
        weight=0.3,
    ),
]

# How often each procedure is asked for, relative to the others of its level.
WEIGHTS: dict[str, float] = {row["code"]: row["_weight"] for row in CATALOGUE}
# The last day a procedure was received (None: still in force).
RETIRED_ON: dict[str, dt.date] = {row["code"]: row["_retired_on"] for row in CATALOGUE if row["_retired_on"]}


def catalogue_rows() -> list[dict]:
    """The catalogue as Procedure field values."""
    return [{k: v for k, v in row.items() if not k.startswith("_")} for row in CATALOGUE]


@transaction.atomic
def load_catalogue(*, today: dt.date | None = None) -> list[Procedure]:
    """Write the demo catalogue, updating the procedures whose code already exists.

    A retired procedure (see `RETIRED_ON`) is kept, marked not in force when `today`
    (default: the real date) is after its last day. Returns the catalogue's procedures
    in catalogue order."""
    from cchc.core.text import fold

    today = today or dt.date.today()
    rows = catalogue_rows()
    existing = {p.code: p for p in Procedure.objects.filter(code__in=[r["code"] for r in rows])}
    new, changed = [], []
    for row in rows:
        retired = RETIRED_ON.get(row["code"])
        values = {**row, "is_active": retired is None or today <= retired}
        values["name_folded"] = fold(f"{row['code']} {row['name']} {row['field']}")
        procedure = existing.get(row["code"])
        if procedure is None:
            new.append(Procedure(**values))
        else:
            for key, value in values.items():
                setattr(procedure, key, value)
            changed.append(procedure)
    Procedure.objects.bulk_create(new)
    if changed:
        fields = [f for f in rows[0] if f != "code"] + ["is_active", "name_folded"]
        Procedure.objects.bulk_update(changed, fields)
    by_code = {p.code: p for p in Procedure.objects.filter(code__in=[r["code"] for r in rows])}
    return [by_code[r["code"]] for r in rows]


# School-level procedures asked at some schools only: by school level, "centre" for the
# continuing-education centres (which issue certificates). Others: every school.
SCHOOL_UNITS: dict[str, frozenset[str]] = {
    "1.005099": frozenset({"primary", "multi_level"}),
    "1.005100": frozenset({"lower_secondary", "upper_secondary", "multi_level"}),
    "1.005101": frozenset({"centre"}),
    "1.005102": frozenset({"primary", "lower_secondary", "upper_secondary", "multi_level"}),
}


def fits_unit(unit, procedure: Procedure) -> bool:
    """Whether `unit` is asked for `procedure` beyond its level: no pupil transfers at a
    preschool, certificates only at the centres."""
    allowed = SCHOOL_UNITS.get(procedure.code)
    if allowed is None:
        return True
    return ("centre" if unit.kind == "centre" else unit.school_level) in allowed

"""The demo province's year of administrative-reform plans, as of mid-October 2026.

`build_plans_demo` runs after the demo province (`cchc generate`) and builds, through
the real services (so the audit trail and the dashboards' tallies are real):

1. the annual CCHC plan 2026 of Sở GD&ĐT Hưng Yên, modelled on seed 001 (Bến Tre 2022):
   its headline indicators (one measured by `plans.tasks_done_on_time`, the others
   entered by hand for Q1–Q3 2026) and its appendix of tasks by reform area, with a
   few tasks for the schools and the communes' Phòng Văn hóa – Xã hội;
2. its cascade to every open commune office and to a sample of schools (every upper
   secondary school, the demo users' schools and about sixty others); Văn Giang derives
   its own plan (`plan_derive`), tightening one target and adding a task; about 80% of
   the derived plans are issued, the others stay drafts;
3. a year of progress: updates dated January–October 2026 by the lead units, with
   comments and a few PDF evidence files, so that the dashboard on 15/10/2026 looks like
   a real one (most tasks due by then done, some late, some overdue).

Deterministic for a given seed; run inside the province's transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction

from cchc.core.uploads import check_upload
from cchc.orgs.demo.province import LEVEL_PREFIX
from cchc.orgs.models import Membership, OrgUnit, SchoolLevel, UnitKind
from cchc.orgs.scoping import Perm, scope_for

from . import services
from .forms_tasks import EvidenceUpload
from .models import (
    Plan,
    PlanKind,
    PlanStatus,
    ProgressUpdate,
    ReformArea,
    Task,
    TaskStatus,
    TimeframeKind,
)
from .services_cascade import plan_cascade, plan_derive

YEAR = 2026
TODAY = dt.date(2026, 10, 15)  # the demo's "today": the dashboard as it stood mid-October
ISSUED_ON = dt.date(2026, 1, 10)
TITLE = "Kế hoạch Cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo"
IMPLEMENTS = (
    "Kế hoạch số 312/KH-UBND ngày 26/12/2025 của UBND tỉnh Hưng Yên "
    "về công tác cải cách hành chính năm 2026"
)
PURPOSES = """\
- Tiếp tục triển khai có hiệu quả Kế hoạch cải cách hành chính giai đoạn 2026–2030 của Sở \
Giáo dục và Đào tạo; thực hiện đồng bộ các nội dung CCHC sau khi sắp xếp chính quyền địa \
phương hai cấp từ ngày 01/7/2025.
- Xây dựng nền hành chính dân chủ, minh bạch, hiện đại, tổ chức bộ máy tinh gọn, hoạt động \
hiệu lực, hiệu quả; đội ngũ cán bộ, công chức, viên chức chuyên nghiệp, trách nhiệm, năng \
động, nâng cao mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của ngành.
- Tiếp tục triển khai các giải pháp nâng cao Chỉ số CCHC, Chỉ số hài lòng (SIPAS) và các \
chỉ số liên quan đến công tác CCHC của ngành giáo dục và đào tạo."""
REQUIREMENTS = """\
- Nâng cao vai trò, trách nhiệm của người đứng đầu trong lãnh đạo, chỉ đạo công tác CCHC; \
kết quả thực hiện nhiệm vụ CCHC là một tiêu chí đánh giá, xếp loại công chức, viên chức \
hằng năm.
- Chú trọng 07 nội dung CCHC: công tác chỉ đạo, điều hành; cải cách thể chế; cải cách thủ \
tục hành chính; cải cách tổ chức bộ máy; cải cách chế độ công vụ; cải cách tài chính công; \
xây dựng chính quyền điện tử, chính quyền số — trọng tâm là cải cách thủ tục hành chính và \
chuyển đổi số.
- Các phòng, Thanh tra Sở, các đơn vị trực thuộc, các Phòng Văn hóa – Xã hội và các nhà \
trường xây dựng kế hoạch triển khai, báo cáo tiến độ định kỳ (quý I, 6 tháng, quý III, năm)."""

GROUPS = {
    "I": ("I. Công tác chỉ đạo, điều hành về CCHC", "direction"),
    "II": ("II. Cải cách thể chế", "institutions"),
    "III": ("III. Cải cách thủ tục hành chính", "procedures"),
    "IV": ("IV. Cải cách tổ chức bộ máy", "apparatus"),
    "V": ("V. Cải cách chế độ công vụ", "civil_service"),
    "VI": ("VI. Cải cách tài chính công", "public_finance"),
    "VII": ("VII. Xây dựng chính quyền điện tử, chính quyền số", "digital_government"),
}


@dataclass(frozen=True)
class TaskDef:
    group: str
    content: str
    deliverable: str
    timeframe: str
    lead: str
    coordinating: str
    done: str = ""  # the lead division's closing comment
    doing: str = ""  # … and its comment while in progress
    lower_done: str = ""  # a school's or commune's; see `_fill` for the {placeholders}
    lower_doing: str = ""
    evidence: str = ""  # the title of the PDF attached when the department's task is done
    done_on: dt.date | None = None  # the day the department's task was done, as its comment says


VP, TCCB, KHTC, QLCL = "Văn phòng Sở", "Phòng TCCB", "Phòng Kế hoạch tài chính", "Phòng Quản lý chất lượng"
DIVS = "Các phòng, Thanh tra Sở"
SCHOOLS = "Các nhà trường"
COMMUNES = "Các Phòng Văn hóa – Xã hội"

# The appendix of seed 001 (groups I–VII, the year moved to 2026, the mis-numbered "VI"
# before "V" put right) and six tasks for the schools and the communes.
TASKS = [
    TaskDef(
        "I", "Xây dựng và triển khai Kế hoạch CCHC năm 2026", "Kế hoạch", "Tháng 01/2026", VP, DIVS,
        done="Đã ban hành Kế hoạch số 15/KH-SGDĐT ngày 10/01/2026 và triển khai đến các phòng, "
        "Thanh tra Sở, các đơn vị trực thuộc.",
        evidence="Kế hoạch số 15/KH-SGDĐT ngày 10/01/2026 về công tác CCHC năm 2026",
        done_on=dt.date(2026, 1, 12),
    ),
    TaskDef(
        "I", "Xây dựng Kế hoạch tuyên truyền CCHC năm 2026", "Kế hoạch", "Tháng 01/2026", VP,
        f"{DIVS}, các Phòng Văn hóa – Xã hội, các nhà trường",
        done="Đã ban hành kế hoạch số 20/KH-SGDĐT ngày 18/01/2026 về tuyên truyền CCHC năm 2026.",
        lower_done="Đã xây dựng kế hoạch tuyên truyền CCHC năm 2026, đăng trên trang thông tin điện tử.",
        lower_doing="Đang dự thảo kế hoạch tuyên truyền, lấy ý kiến các bộ phận.",
        evidence="Kế hoạch số 20/KH-SGDĐT ngày 18/01/2026 về tuyên truyền CCHC năm 2026",
        done_on=dt.date(2026, 1, 19),
    ),
    TaskDef(
        "I", "Tự đánh giá, chấm điểm để xác định Chỉ số CCHC năm 2025 của Sở GD&ĐT", "Báo cáo chấm điểm",
        "Theo quy định của Bộ Nội vụ", VP, "Các phòng có liên quan",
        done="Đã hoàn thành tự chấm điểm Chỉ số CCHC năm 2025 (tự đánh giá 86,5/100 điểm), gửi Sở Nội "
        "vụ kèm tài liệu kiểm chứng.",
        doing="Đã đề nghị các phòng cung cấp tài liệu kiểm chứng; đang tổng hợp.",
        evidence="Báo cáo tự chấm điểm Chỉ số CCHC năm 2025",
    ),
    TaskDef(
        "I", "Khảo sát, đánh giá mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của Sở GD&ĐT",
        "Báo cáo kết quả khảo sát", "Thường xuyên", VP, "Trung tâm phục vụ hành chính công",
        doing="Đã khảo sát {k} phiếu tại Trung tâm phục vụ hành chính công; mức độ hài lòng {p}%.",
    ),
    TaskDef(
        "I", "Khảo sát sự hài lòng của cha mẹ học sinh đối với sự phục vụ của nhà trường",
        "Báo cáo kết quả khảo sát", "Tháng 5/2026", VP, SCHOOLS,
        done="Đã tổng hợp kết quả khảo sát của các nhà trường: bình quân {p}% cha mẹ học sinh hài lòng.",
        lower_done="Đã khảo sát {k} phiếu cha mẹ học sinh; tỷ lệ hài lòng {p}%.",
        lower_doing="Đã phát phiếu khảo sát qua giáo viên chủ nhiệm; đang thu phiếu.",
    ),
    TaskDef(
        "I", "Tổng hợp, báo cáo kết quả thực hiện CCHC của các nhà trường trên địa bàn xã, phường hằng quý",
        "Báo cáo quý", "Quý I, II, III, IV/2026", VP, COMMUNES,
        doing="Đã tổng hợp báo cáo quý của các xã, phường.",
        lower_doing="Đã gửi báo cáo CCHC quý về Sở (tổng hợp {few} trường trên địa bàn).",
    ),
    TaskDef(
        "II", "Tham mưu xây dựng văn bản QPPL theo đúng trình tự, thủ tục, thẩm quyền, phù hợp với quy "
        "định của pháp luật và tình hình thực tế của địa phương",
        "Danh mục VBQPPL được ban hành trong năm 2026; NQ của HĐND, QĐ của UBND", "Năm 2026", VP, DIVS,
        doing="Đã tham mưu UBND tỉnh ban hành {few} quyết định quy phạm pháp luật; đang dự thảo các "
        "văn bản còn lại.",
    ),
    TaskDef(
        "II", "Xây dựng kế hoạch theo dõi thi hành pháp luật trong lĩnh vực giáo dục và đào tạo",
        "Kế hoạch, Báo cáo", "Quý I/2026", VP, DIVS,
        done="Đã ban hành Kế hoạch số 41/KH-SGDĐT ngày 12/3/2026 về theo dõi thi hành pháp luật.",
        evidence="Kế hoạch số 41/KH-SGDĐT về theo dõi thi hành pháp luật năm 2026",
        done_on=dt.date(2026, 3, 13),
    ),
    TaskDef(
        "II", "100% các vấn đề phát hiện qua công tác kiểm tra, theo dõi thi hành pháp luật đều được xử "
        "lý hoặc kiến nghị xử lý theo quy định",
        "Quyết định, Báo cáo", "Quý IV/2026", VP, f"{DIVS}, các đơn vị được kiểm tra",
        doing="Đã kiểm tra {n} đơn vị; các kiến nghị đang được xử lý.",
        lower_doing="Đã khắc phục phần lớn nội dung theo kết luận kiểm tra; còn {few} nội dung "
        "đang thực hiện.",
        lower_done="Đã khắc phục toàn bộ nội dung theo kết luận kiểm tra, báo cáo Sở.",
    ),
    TaskDef(
        "III", "Xây dựng các kế hoạch liên quan đến hoạt động kiểm soát TTHC năm 2026", "Kế hoạch",
        "Tháng 01/2026", VP, "Các phòng có liên quan",
        done="Đã ban hành Kế hoạch số 22/KH-SGDĐT ngày 22/01/2026 về kiểm soát TTHC năm 2026.",
        evidence="Kế hoạch số 22/KH-SGDĐT về kiểm soát TTHC năm 2026",
        done_on=dt.date(2026, 1, 23),
    ),
    TaskDef(
        "III", "Rà soát, đánh giá các quy định, thủ tục hành chính", "Báo cáo kết quả rà soát",
        "Quý II, III/2026", VP, "Các phòng có liên quan",
        done="Đã rà soát {n} TTHC, đề xuất phương án đơn giản hóa 4 TTHC, gửi Sở Tư pháp.",
        doing="Đã rà soát {n} TTHC trong quý II; đang rà soát đợt quý III.",
    ),
    TaskDef(
        "III", "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính thuộc "
        "thẩm quyền của Sở GD&ĐT", "Báo cáo kết quả xử lý phản ánh, kiến nghị", "Thường xuyên trong năm",
        VP, "Các phòng có liên quan",
        doing="Đã tiếp nhận {n} phản ánh, kiến nghị; đã xử lý {m}, đúng hạn 100%.",
    ),
    TaskDef(
        "III", "Niêm yết công khai TTHC, quy trình giải quyết TTHC tại trường và trên trang thông tin "
        "điện tử của nhà trường", "Bảng niêm yết, trang thông tin điện tử", "Quý I/2026", VP, SCHOOLS,
        done="Đã niêm yết 45 TTHC tại bộ phận một cửa; đã kiểm tra việc niêm yết tại các trường.",
        lower_done="Đã niêm yết {n} TTHC tại bảng tin nhà trường và trên trang thông tin điện tử.",
        lower_doing="Đang cập nhật bảng niêm yết theo danh mục TTHC mới công bố.",
    ),
    TaskDef(
        "III", "Rà soát, niêm yết danh mục TTHC lĩnh vực giáo dục thuộc thẩm quyền giải quyết của cấp xã "
        "sau khi sắp xếp chính quyền địa phương hai cấp", "Danh mục TTHC", "Quý I/2026", VP, COMMUNES,
        done="Đã tổng hợp danh mục TTHC cấp xã lĩnh vực giáo dục, trình UBND tỉnh công bố.",
        lower_done="Đã niêm yết {n} TTHC lĩnh vực giáo dục tại bộ phận một cửa của xã.",
        lower_doing="Đang rà soát danh mục TTHC được giao sau sắp xếp.",
    ),
    TaskDef(
        "IV", "Xây dựng kế hoạch biên chế năm 2027 và trình Sở Nội vụ", "Kế hoạch", "Tháng 8/2026", TCCB,
        "Các đơn vị trực thuộc",
        done="Đã trình Sở Nội vụ kế hoạch biên chế năm 2027 (Tờ trình số 96/TTr-SGDĐT).",
        doing="Đã nhận đề xuất biên chế của {n} đơn vị; đang tổng hợp.",
        lower_done="Đã gửi đề xuất số lượng người làm việc năm 2027 về Sở.",
        lower_doing="Đang rà soát vị trí việc làm để đề xuất số lượng người làm việc.",
    ),
    TaskDef(
        "IV", "Ban hành quyết định phân bổ biên chế năm 2026", "Quyết định",
        "Sau khi có Quyết định UBND tỉnh", TCCB, "Các Phòng, Thanh tra Sở, các đơn vị trực thuộc",
        done="Đã ban hành Quyết định số 210/QĐ-SGDĐT phân bổ số lượng người làm việc năm 2026.",
        lower_done="Đã triển khai quyết định phân bổ số lượng người làm việc năm 2026.",
    ),
    TaskDef(
        "IV", "Sắp xếp lại tổ chức bộ máy của cơ quan, các đơn vị sự nghiệp trực thuộc Sở", "Kết quả sắp xếp",
        "Sau khi có Quyết định UBND tỉnh", TCCB, "Các Phòng, Thanh tra Sở, các đơn vị trực thuộc",
        doing="Đã xây dựng dự thảo Đề án sắp xếp; chờ Quyết định của UBND tỉnh.",
    ),
    TaskDef(
        "V", "Xây dựng Kế hoạch thực hiện định kỳ chuyển đổi vị trí công tác đối với công chức, viên "
        "chức theo Nghị định số 59/2019/NĐ-CP ngày 01/7/2019 của Chính phủ", "Kế hoạch", "Quý I/2026",
        TCCB, "Các Phòng, Thanh tra Sở, các đơn vị trực thuộc",
        done="Đã ban hành Kế hoạch số 35/KH-SGDĐT ngày 05/3/2026 về chuyển đổi vị trí công tác.",
        done_on=dt.date(2026, 3, 6),
        lower_done="Đã xây dựng kế hoạch chuyển đổi vị trí công tác của đơn vị.",
        lower_doing="Đang rà soát danh sách vị trí phải chuyển đổi.",
    ),
    TaskDef(
        "V", "Phê duyệt kế hoạch tuyển dụng viên chức của các đơn vị trực thuộc Sở", "Kết quả tuyển dụng",
        "Năm 2026", TCCB, "Các đơn vị trực thuộc",
        doing="Đã phê duyệt kế hoạch tuyển dụng của {n} đơn vị.",
        lower_doing="Đã gửi nhu cầu tuyển dụng {few} viên chức về Sở.",
    ),
    TaskDef(
        "V", "Triển khai thực hiện có hiệu quả các quy định của Trung ương về tinh giản biên chế và cơ cấu "
        "lại đội ngũ CBCCVC", "Các văn bản có liên quan", "Năm 2026", TCCB, "Các cơ quan, đơn vị",
        doing="Đã thẩm định hồ sơ tinh giản biên chế đợt 1 năm 2026 ({few} trường hợp).",
        lower_doing="Đã rà soát, đề xuất {few} trường hợp tinh giản biên chế.",
    ),
    TaskDef(
        "V", "Xây dựng và triển khai Kế hoạch đào tạo, bồi dưỡng công chức, viên chức năm 2027", "Kế hoạch",
        "Quý IV/2026", TCCB, "Các cơ quan, đơn vị có liên quan",
        doing="Đang tổng hợp nhu cầu đào tạo, bồi dưỡng năm 2027.",
        lower_doing="Đã gửi nhu cầu đào tạo, bồi dưỡng năm 2027 ({n} lượt).",
    ),
    TaskDef(
        "V", "Kiểm tra về chấp hành giờ giấc làm việc, văn hóa giao tiếp nơi công sở, việc tuyển dụng, "
        "sử dụng, quản lý viên chức", "Báo cáo kết quả kiểm tra", "Thường xuyên trong năm 2026", TCCB,
        "Các cơ quan, đơn vị có liên quan",
        doing="Đã kiểm tra đột xuất {n} đơn vị; không phát hiện vi phạm.",
        lower_doing="Đã tự kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính tháng {month}/2026.",
    ),
    TaskDef(
        "VI", "Báo cáo định kỳ hằng năm về tình hình thực hiện chế độ tự chủ, tự chịu trách nhiệm về sử "
        "dụng biên chế và kinh phí quản lý hành chính đối với cơ quan nhà nước và cơ chế tự chủ của "
        "đơn vị sự nghiệp công lập", "Báo cáo", "Trước ngày 31/7/2026", KHTC, "Các đơn vị trực thuộc",
        done="Đã gửi Báo cáo số 118/BC-SGDĐT về thực hiện cơ chế tự chủ năm 2025 đến Sở Tài chính.",
        lower_done="Đã gửi báo cáo thực hiện cơ chế tự chủ của đơn vị về Sở.",
        lower_doing="Đang tổng hợp số liệu thu, chi năm 2025.",
        evidence="Báo cáo số 118/BC-SGDĐT về thực hiện cơ chế tự chủ",
    ),
    TaskDef(
        "VI", "Thực hiện tốt quy định về quy chế chi tiêu nội bộ, công khai tài chính và phòng chống tham "
        "nhũng, lãng phí", "Quyết định", "Trong năm 2026", KHTC, "",
        doing="Đã ban hành Quy chế chi tiêu nội bộ năm 2026; đã công khai dự toán ngân sách.",
    ),
    TaskDef(
        "VI", "Triển khai thu học phí, các khoản thu dịch vụ giáo dục không dùng tiền mặt tại các nhà trường",
        "Báo cáo tỷ lệ thanh toán không dùng tiền mặt", "Tháng 9/2026", KHTC, SCHOOLS,
        doing="Đã hướng dẫn các nhà trường; {p}% trường đã triển khai.",
        lower_done="Đã triển khai thu không dùng tiền mặt; {p}% cha mẹ học sinh thanh toán qua ngân hàng.",
        lower_doing="Đã ký thỏa thuận với ngân hàng; đang hướng dẫn cha mẹ học sinh.",
    ),
    TaskDef(
        "VII", "Triển khai Kế hoạch tăng cường ứng dụng công nghệ thông tin, thực hiện chuyển đổi số trong "
        "quản lý và trong dạy học góp phần nâng cao chất lượng giáo dục và đào tạo giai đoạn 2026-2030",
        "Báo cáo", "Thường xuyên", QLCL, "Các phòng có liên quan",
        doing="Đã triển khai học bạ số tại {k} trường; đang mở rộng.",
    ),
    TaskDef(
        "VII", "Triển khai ứng dụng phần mềm quản lý văn bản và điều hành, nâng cao tỷ lệ liên thông văn "
        "bản điện tử", "Tỷ lệ văn bản điện tử", "Năm 2026", VP, DIVS,
        doing="100% văn bản đi được ký số, gửi nhận trên hệ thống quản lý văn bản và điều hành.",
    ),
    TaskDef(
        "VII", "Duy trì tỷ lệ 100% CBCC sử dụng thư điện tử công vụ trong trao đổi công việc", "",
        "Năm 2026", VP, DIVS,
        doing="Duy trì 100% công chức sử dụng thư điện tử công vụ.",
    ),
    TaskDef(
        "VII", "Duy trì, áp dụng hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 "
        "tại cơ quan Sở", "", "Năm 2026", VP, DIVS,
        doing="Đã đánh giá nội bộ hệ thống quản lý chất lượng; đang cập nhật quy trình nội bộ.",
    ),
    TaskDef(
        "VII", "Cập nhật hồ sơ học sinh, giáo viên năm học 2026-2027 lên Cơ sở dữ liệu ngành giáo dục",
        "Dữ liệu trên Cơ sở dữ liệu ngành", "Trước ngày 30/9/2026", QLCL, SCHOOLS,
        done="Đã kiểm tra dữ liệu của các nhà trường; {p}% hồ sơ đã được xác thực.",
        doing="Đã có {p}% trường hoàn thành cập nhật; đang đôn đốc các trường còn lại.",
        lower_done="Đã cập nhật {k} hồ sơ học sinh và {n} hồ sơ giáo viên lên Cơ sở dữ liệu ngành.",
        lower_doing="Đã cập nhật {p}% hồ sơ học sinh; đang bổ sung hồ sơ giáo viên.",
    ),
]
# Conditional tasks whose event happened: (content start, event day, due date).
EVENTS = [
    ("Tự đánh giá, chấm điểm", dt.date(2026, 1, 8), dt.date(2026, 2, 27)),
    ("Ban hành quyết định phân bổ biên chế", dt.date(2026, 3, 16), dt.date(2026, 4, 15)),
]

# (text, area, target, applies to kinds, metric, quarterly values Q1–Q3, year to date)
INDICATORS = [
    ("100% văn bản quy phạm pháp luật được tham mưu ban hành đúng quy định.", "institutions", 100,
     ["department"], "", (100, 100, 100), 100),
    ("Thủ tục hành chính (TTHC) được giải quyết đúng hạn đạt từ 98% trở lên.", "procedures", 98,
     ["department", "commune_office"], "", (99.4, 98.9, 99.1), 99.1),
    ("Tỷ lệ hồ sơ TTHC được tiếp nhận, giải quyết trực tuyến toàn trình đạt từ 80% trở lên.", "procedures",
     80, ["department", "commune_office"], "", (72.4, 75.0, 77.3), 75.2),
    ("Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ đạt từ 95% trở lên.", "direction", 95,
     [], "", (96.1, 94.7, 95.2), 94.9),
    ("100% cơ quan, đơn vị trực thuộc Sở thực hiện rà soát, sắp xếp tổ chức bộ máy, kiện toàn chức "
     "năng, nhiệm vụ đúng quy định.", "apparatus", 100, ["department"], "", None, None),
    ("Hoàn thành từ 98% trở lên kế hoạch đào tạo, bồi dưỡng năm 2026.", "civil_service", 98,
     ["department"], "", None, None),
    ("100% công chức, viên chức lãnh đạo, quản lý đáp ứng tiêu chuẩn chức danh theo quy định.",
     "civil_service", 100, ["department", "school"], "", (100, 100, 100), 100),
    ("100% đơn vị thực hiện đúng quy định về sử dụng kinh phí từ nguồn ngân sách nhà nước.",
     "public_finance", 100, [], "", None, None),
    ("100% văn bản đi, đến (trừ văn bản mật) được gửi, nhận dưới dạng điện tử.", "digital_government",
     100, [], "", (100, 100, 100), 100),
    ("Tỷ lệ cán bộ, công chức sử dụng thư điện tử công vụ trong trao đổi công việc đạt 100%.",
     "digital_government", 100, ["department", "commune_office"], "", (100, 100, 100), 100),
    ("100% nhiệm vụ trong Kế hoạch CCHC được hoàn thành đúng hạn.", "direction", 100, [],
     "plans.tasks_done_on_time", None, None),
]
QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3")

DEMO_SCHOOLS = (
    "Trường THPT Văn Giang",
    "Trường Tiểu học Xuân Quan",
    "Trường THCS Văn Giang",
    "Trường Mầm non Lạc Hồng",
)
# How diligently the demo users' units report (others are drawn at random).
DILIGENCE = {
    "XA-HY-VANGIANG": 0.95,
    "XA-HY-NHUQUYNH": 0.85,
    "XA-HY-PHUNGCONG": 0.7,
    "Trường THPT Văn Giang": 0.9,
    "Trường Tiểu học Xuân Quan": 0.85,
    "Trường THCS Văn Giang": 0.55,
    "Trường Mầm non Lạc Hồng": 0.75,
}
OTHER_SCHOOLS = 60
DRAFT_SHARE = 0.16


@dataclass
class PlansDemo:
    plan: Plan
    derived: int
    tasks: int
    updates: int

    def line(self) -> str:
        return (
            f"Kế hoạch mẫu: 1 kế hoạch của Sở, {self.derived} kế hoạch triển khai, "
            f"{self.tasks} nhiệm vụ, {self.updates} lượt cập nhật tiến độ."
        )


# --- helpers ---------------------------------------------------------------------------


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D").replace("–", "-")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def tiny_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF showing `lines` (Helvetica, diacritics folded)."""
    def escape(s: str) -> str:
        return _ascii(s).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = " ".join(f"({escape(line)}) '" for line in lines)
    stream = f"BT /F1 12 Tf 16 TL 60 780 Td {text} ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def evidence_pdf(title: str, unit: OrgUnit, day: dt.date) -> EvidenceUpload:
    """An evidence upload as the progress form hands it to `progress_record`."""
    lines = [unit.name, title, f"Hung Yen, ngay {day:%d/%m/%Y}", "(Tai lieu kiem chung - du lieu mau)"]
    data = tiny_pdf(lines)
    name = f"{title.replace('/', '-')[:100]}.pdf"  # as a user's file would be named
    content = ContentFile(data, name=name)
    info = check_upload(content)  # what the form's EvidenceFileField runs
    return EvidenceUpload(
        file=File(content, name=info.safe_name),
        original_name=name,
        content_type=info.content_type,
        size=info.size,
        sha256=info.sha256 or hashlib.sha256(data).hexdigest(),
    )


def _weekday(day: dt.date) -> dt.date:
    """Officers report on working days: a weekend date moves back to Friday."""
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _fill(template: str, rng: random.Random, day: dt.date) -> str:
    """A comment with plausible figures: {few} 2–9, {n} 8–60, {m} 20–95, {k} 120–650, {p} a
    percentage in 88–99.5 written the Vietnamese way, {month} the month reported."""
    return template.format(
        few=rng.randint(2, 9),
        n=rng.randint(8, 60),
        m=rng.randint(20, 95),
        k=rng.randint(120, 650),
        p=f"{rng.uniform(88, 99.5):.1f}".replace(".", ","),
        month=day.month,
    )


# --- the build -------------------------------------------------------------------------


@transaction.atomic
def build_plans_demo(*, seed: int = 2025) -> PlansDemo | None:
    """The year of plans on the demo province; None when there is no province or the
    department's plan exists already (a second run does nothing)."""
    department = OrgUnit.objects.filter(code="SGD-HY", closed_on__isnull=True).first()
    if department is None or Plan.objects.filter(issuer=department, title=TITLE).exists():
        return None
    builder = _Builder(department, random.Random(seed))
    plan = builder.build()
    return PlansDemo(
        plan=plan,
        derived=Plan.objects.filter(root=plan).count(),
        tasks=Task.objects.filter(root_plan=plan).count(),
        updates=ProgressUpdate.objects.filter(task__root_plan=plan).count(),
    )


class _Builder:
    def __init__(self, department: OrgUnit, rng: random.Random):
        self.department = department
        self.rng = rng
        self.areas = {a.key: a for a in ReformArea.objects.all()}
        self.users = {u.username: u for u in get_user_model().objects.filter(username__contains=".")}
        self.reporters = self._acting({"staff": 0, "reform_officer": 1, "unit_head": 2}, Perm.UPDATE_PROGRESS)
        self.managers = self._acting({"reform_officer": 0, "unit_head": 1}, Perm.MANAGE_PLANS)
        self.defs: dict[int, TaskDef] = {}  # department task id → its definition
        self.evidence_left = 16

    def _user(self, username: str, perm: Perm, unit: OrgUnit):
        """The demo user acting for `unit`, or None (the system) when there is none."""
        user = self.users.get(username)
        return user if user is not None and scope_for(user).can(perm, unit) else None

    def _acting(self, rank: dict[str, int], perm: Perm) -> dict[int, object]:
        """unit id → the demo user who acts for it with `perm` (by rank of role)."""
        best: dict[int, tuple[int, object]] = {}
        memberships = Membership.objects.filter(unit__closed_on__isnull=True, role__in=rank)
        for m in memberships.select_related("user", "unit").order_by("id"):
            if not scope_for(m.user).can(perm, m.unit):
                continue
            if m.unit_id not in best or rank[m.role] < best[m.unit_id][0]:
                best[m.unit_id] = (rank[m.role], m.user)
        return {unit_id: user for unit_id, (_rank, user) in best.items()}

    def build(self) -> Plan:
        officer = self._user("so.cchc", Perm.MANAGE_PLANS, self.department)
        plan = self._department_plan(officer)
        targets = self._targets()
        vangiang = OrgUnit.objects.get(code="XA-HY-VANGIANG")
        derived = [self._vangiang(plan, vangiang)]
        derived += plan_cascade(actor=officer, parent=plan, units=[u for u in targets if u.pk != vangiang.pk])
        issued = self._issue(derived, vangiang)
        self._indicator_values(plan, officer, issued)
        self._progress(plan, issued)
        return plan

    # 1. the department's plan

    def _department_plan(self, officer) -> Plan:
        plan = services.plan_create(
            actor=officer,
            issuer=self.department,
            kind=PlanKind.ANNUAL,
            title=TITLE,
            number="15",
            symbol="KH-SGDĐT",
            issued_on=ISSUED_ON,
            place="Hưng Yên",
            period_start=dt.date(YEAR, 1, 1),
            period_end=dt.date(YEAR, 12, 31),
            implements_text=IMPLEMENTS,
            purposes=PURPOSES,
            requirements=REQUIREMENTS,
        )
        self.indicators = []
        for text, area, target, kinds, metric, _quarters, _year in INDICATORS:
            self.indicators.append(
                services.indicator_add(
                    actor=officer,
                    plan=plan,
                    text=text,
                    target=target,
                    area=self.areas[area],
                    applies_to_kinds=kinds,
                    metric_key=metric,
                )
            )
        numbers: dict[str, int] = {}
        for definition in TASKS:
            group, area = GROUPS[definition.group]
            numbers[group] = numbers.get(group, 0) + 1
            task = services.task_add(
                actor=officer,
                plan=plan,
                group=group,
                area=self.areas[area],
                number=str(numbers[group]),
                content=definition.content,
                deliverable=definition.deliverable,
                timeframe_text=definition.timeframe,
                lead_text=definition.lead,
                coordinating_text=definition.coordinating,
            )
            self.defs[task.pk] = definition
            for start, happened_on, due in EVENTS:
                if definition.content.startswith(start):
                    services.task_record_event(
                        actor=officer, task=task, happened_on=happened_on, due_date=due
                    )
        return services.plan_set_status(
            actor=officer, plan=plan, status=PlanStatus.ISSUED, issued_on=ISSUED_ON
        )

    # 2. the cascade

    def _targets(self) -> list[OrgUnit]:
        """Every open commune office, every upper secondary school, the demo users' schools
        and a sample of the others, in a stable order."""
        open_units = OrgUnit.objects.filter(path__startswith=self.department.path, closed_on__isnull=True)
        communes = list(open_units.filter(kind=UnitKind.COMMUNE_OFFICE).order_by("code"))
        schools = list(open_units.filter(kind=UnitKind.SCHOOL).order_by("code"))
        upper = [s for s in schools if s.school_level == SchoolLevel.UPPER_SECONDARY]
        named = [s for s in schools if s.name in DEMO_SCHOOLS and s not in upper]
        others = [s for s in schools if s not in upper and s not in named]
        return communes + upper + named + self.rng.sample(others, min(OTHER_SCHOOLS, len(others)))

    def _vangiang(self, parent: Plan, unit: OrgUnit) -> Plan:
        """Văn Giang derives its own plan: a tighter satisfaction target and a task of its own."""
        officer = self._user("vangiang.cchc", Perm.MANAGE_PLANS, unit)
        satisfaction = next(i for i in self.indicators if i.text.startswith("Mức độ hài lòng"))
        plan = plan_derive(actor=officer, parent=parent, unit=unit, targets={satisfaction.pk: 97})
        services.task_add(
            actor=officer,
            plan=plan,
            group=GROUPS["III"][0],
            area=self.areas["procedures"],
            number=str(plan.tasks.count() + 1),
            content="Tập huấn nghiệp vụ tiếp nhận, giải quyết TTHC lĩnh vực giáo dục cho công chức một cửa "
            "và văn thư các trường trên địa bàn xã",
            deliverable="Hội nghị tập huấn",
            timeframe_text="Quý II/2026",
            coordinating_text=SCHOOLS,
        )
        return plan

    def _issue(self, derived: list[Plan], vangiang: OrgUnit) -> list[Plan]:
        """About 80% of the derived plans are issued in January–February; the demo users'
        units always issue, and one other commune keeps its draft."""
        keep_issued = {vangiang.pk} | {
            u.pk
            for u in OrgUnit.objects.filter(
                closed_on__isnull=True, code__in=["XA-HY-NHUQUYNH", "XA-HY-PHUNGCONG"]
            )
        } | {u.pk for u in OrgUnit.objects.filter(closed_on__isnull=True, name__in=DEMO_SCHOOLS)}
        communes = [
            p for p in derived if p.issuer.kind == UnitKind.COMMUNE_OFFICE and p.issuer_id not in keep_issued
        ]
        must_draft = self.rng.choice(communes).issuer_id if communes else None
        issued = []
        for plan in derived:
            unit = plan.issuer
            if unit.pk == must_draft or (unit.pk not in keep_issued and self.rng.random() < DRAFT_SHARE):
                continue
            officer = self.managers.get(unit.pk)
            latest = dt.date(YEAR, 1, 30) if self.rng.random() < 0.85 else dt.date(YEAR, 2, 27)
            issued_on = _weekday(_between(self.rng, dt.date(YEAR, 1, 14), latest))
            if unit.kind == UnitKind.COMMUNE_OFFICE:
                place = unit.name.rsplit("hội ", 1)[-1].removeprefix("xã ").removeprefix("phường ")
                symbol = "KH-VHXH"
            else:
                prefix, abbr = LEVEL_PREFIX[unit.school_level]
                initials = "".join(w[0] for w in _ascii(unit.name.removeprefix(prefix)).split()).upper()
                symbol, place = f"KH-{abbr}{initials}", "Hưng Yên"
            services.plan_update(
                actor=officer, plan=plan, number=str(self.rng.randint(3, 48)), symbol=symbol, place=place
            )
            issued.append(
                services.plan_set_status(
                    actor=officer, plan=plan, status=PlanStatus.ISSUED, issued_on=issued_on
                )
            )
        return issued

    # 3. indicator values and progress

    def _indicator_values(self, plan: Plan, officer, issued: list[Plan]) -> None:
        rows = zip(self.indicators, INDICATORS, strict=True)
        for indicator, (text, _area, _target, _kinds, _metric, quarters, year) in rows:
            if quarters is None:
                continue
            for key, value in (*zip(QUARTERS, quarters, strict=True), ("2026", year)):
                numerator = denominator = None
                if text.startswith("Thủ tục hành chính"):
                    denominator = self.rng.randint(380, 460)
                    numerator = round(denominator * value / 100)
                services.indicator_entry_set(
                    actor=officer,
                    indicator=indicator,
                    unit=self.department,
                    period_key=key,
                    value=value,
                    numerator=numerator,
                    denominator=denominator,
                    comment="Số liệu lũy kế từ đầu năm." if key == "2026" else "",
                )
        # The demo users' units enter their own values for the indicators they carry.
        mine = [p for p in issued if p.issuer_id in self.reporters]
        for derived in mine:
            unit = derived.issuer
            actor = self.reporters[unit.pk]
            if not scope_for(actor).can(Perm.UPDATE_PROGRESS, unit):
                actor = None
            for indicator in derived.indicators.filter(metric_key=""):
                base = float(indicator.target)
                for key in QUARTERS:
                    value = min(100.0, base + self.rng.uniform(-3.0, 2.5)) if base < 100 else 100
                    services.indicator_entry_set(
                        actor=actor, indicator=indicator, unit=unit, period_key=key, value=f"{value:.1f}"
                    )

    def _progress(self, plan: Plan, issued: list[Plan]) -> None:
        # The department's divisions report diligently; lower units vary.
        diligence = {p.pk: self._diligence(p.issuer) for p in issued}
        starts = {p.pk: p.issued_on for p in issued}
        tasks = list(
            Task.objects.filter(plan__in=[plan, *issued])
            .select_related("lead_unit")
            .order_by("plan_id", "order")
        )
        for task in tasks:
            if task.plan_id == plan.pk:
                definition, lower, start, rate = self.defs[task.pk], False, ISSUED_ON, 0.95
            else:
                definition = self.defs.get(task.parent_id) or TaskDef(
                    "", task.content, "", "", "", "", lower_done="Đã tổ chức {few} lớp tập huấn cho {m} lượt "
                    "công chức, viên chức.", lower_doing="Đã xây dựng kế hoạch tập huấn."
                )
                lower, start, rate = True, starts[task.plan_id], diligence[task.plan_id]
            self._story(task, definition, lower, start, rate)

    def _diligence(self, unit: OrgUnit) -> float:
        known = DILIGENCE.get(unit.code) or DILIGENCE.get(unit.name)
        return known if known is not None else self.rng.choice([0.98, 0.95, 0.92, 0.85, 0.7])

    def _story(self, task: Task, d: TaskDef, lower: bool, start: dt.date, rate: float) -> None:
        """The updates of one task up to the demo's today."""
        rng = self.rng
        done_text = (d.lower_done if lower else d.done) or (d.lower_doing if lower else d.doing)
        doing_text = (d.lower_doing if lower else d.doing) or "Đang triển khai thực hiện."
        done_text = done_text or "Đã hoàn thành."
        updates: list[tuple[dt.date, str, int, str]] = []
        due = task.due_date
        if due is None:  # ongoing, or waiting for its event
            if task.timeframe_kind == TimeframeKind.ONGOING or rng.random() < 0.5:
                count = rng.randint(1, 3) if lower else 3
                days = sorted(_between(rng, start + dt.timedelta(days=20), TODAY) for _ in range(count))
                for n, day in enumerate(days, start=1):
                    percent = min(90, 25 * n + rng.randint(0, 15))
                    updates.append((day, TaskStatus.IN_PROGRESS, percent, doing_text))
        elif due <= TODAY:
            roll = rng.random()
            if not lower and d.done_on:
                roll = 0.0
            if roll < rate:
                if not lower and d.done_on:
                    finished = d.done_on
                elif rng.random() < 0.08:  # late
                    finished = min(TODAY, due + dt.timedelta(days=rng.randint(3, 25)))
                elif due <= start:  # due before the unit issued its plan: done just after
                    finished = start + dt.timedelta(days=rng.randint(1, 10))
                else:
                    finished = _between(rng, max(start, due - dt.timedelta(days=20)), due)
                if (finished - start).days > 30 and rng.random() < (0.4 if lower else 0.8):
                    middle = _between(rng, start + dt.timedelta(days=7), finished - dt.timedelta(days=7))
                    percent = rng.choice([30, 40, 50, 60, 70])
                    updates.append((middle, TaskStatus.IN_PROGRESS, percent, doing_text))
                updates.append((finished, TaskStatus.DONE, 100, done_text))
            elif roll < rate + (1 - rate) * 0.6:  # started, then stalled past the deadline
                day = _between(rng, start + dt.timedelta(days=5), min(due, TODAY))
                updates.append((day, TaskStatus.IN_PROGRESS, rng.choice([20, 30, 50, 60, 80]), doing_text))
        else:  # not due yet
            share = (TODAY - start).days / max(1, (due - start).days)
            roll = rng.random()
            if roll < 0.1 * rate:
                early = _between(rng, start + dt.timedelta(days=30), TODAY)
                updates.append((early, TaskStatus.DONE, 100, done_text))
            elif roll < 0.85 * rate + 0.1:
                count = 1 if lower else rng.randint(1, 3)
                days = sorted(_between(rng, start + dt.timedelta(days=15), TODAY) for _ in range(count))
                for n, day in enumerate(days, start=1):
                    percent = round(share * 100 * n / count, -1) + rng.choice([-10, 0, 10])
                    percent = int(max(10, min(90, percent)))
                    updates.append((day, TaskStatus.IN_PROGRESS, percent, doing_text))
        actor = self.reporters.get(task.lead_unit_id)
        last_percent = 0
        for day, status, percent, text in updates:
            percent = max(percent, last_percent)
            last_percent = percent
            files = []
            day = _weekday(min(day, TODAY))
            if status == TaskStatus.DONE and self.evidence_left and (
                (not lower and d.evidence) or (lower and actor is not None)
            ):
                title = f"Báo cáo kết quả - {task.content[:70]}" if lower else d.evidence
                files = [evidence_pdf(title, task.lead_unit, day)]
                self.evidence_left -= 1
            services.progress_record(
                actor=actor,
                task=task,
                status=status,
                percent=percent,
                comment=_fill(text, rng, day),
                files=files,
                reported_on=day,
            )

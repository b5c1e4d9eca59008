"""The questionnaires cchc ships, as plain data (no models, no database).

Three questionnaires:

* ``SIPAS_2017`` — the five-area questionnaire of the Ministry of Home Affairs' scheme
  approved by Decision 2640/QĐ-BNV of 10/10/2017 (5 areas, 22 criteria, the form the
  seeds' years used);
* ``SIPAS_2023`` — the national form of the method issued by Decision 1001/QĐ-BNV of
  11/12/2023 (perception, satisfaction with policies and with administrative services,
  expectation);
* ``PARENTS_PRIMARY`` — parents' satisfaction with a public primary school (seed 003,
  PAPI dimension 6 "Cung ứng dịch vụ công", task 6.5), shaped on the Ministry of
  Education's toolkit for measuring satisfaction with public education (Decision
  2329/QĐ-BGDĐT of 11/07/2017; 2019 edition Decision 3476/QĐ-BGDĐT of 04/10/2019).

How much of each text was read is in docs/law/sipas.md; every question says where its
words come from (``Question.wording``):

* ``copied`` — copied from a digitised copy of the form that was read;
* ``reconstructed`` — the official criterion as remembered from the decision, to check
  against the decision's annex before it is printed as official;
* ``ours`` — written for cchc.

A question's ``code`` is stable: answers are stored against it, so never renumber a code;
add a new one and retire the old.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["scale5", "single", "multiple", "text"]
# perception: what people see and experienced (not scored); satisfaction: the areas the
# index is made of; overall: a single "satisfied in general" question, scored on its own
# but kept out of the survey index; expectation: what people want improved (not scored).
Part = Literal["perception", "satisfaction", "overall", "expectation"]
Wording = Literal["copied", "reconstructed", "ours"]


@dataclass(frozen=True)
class Option:
    code: str
    label: str


@dataclass(frozen=True)
class Area:
    code: str
    title: str
    part: Part
    parent: str | None = None


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    kind: Kind
    area: str
    options: tuple[Option, ...] = ()
    wording: Wording = "ours"


# The five levels, worst first, as printed on the MoHA forms.
SCALE5: tuple[Option, ...] = (
    Option("1", "Rất không hài lòng"),
    Option("2", "Không hài lòng"),
    Option("3", "Bình thường"),
    Option("4", "Hài lòng"),
    Option("5", "Rất hài lòng"),
)
# "Hài lòng" and "Rất hài lòng" count as satisfied (see cchc/feedback/sipas.py).
SATISFIED: frozenset[str] = frozenset({"4", "5"})


@dataclass(frozen=True)
class Questionnaire:
    code: str
    title: str
    source: str
    areas: tuple[Area, ...]
    questions: tuple[Question, ...]

    def area(self, code: str) -> Area:
        for area in self.areas:
            if area.code == code:
                return area
        raise KeyError(code)

    def question(self, code: str) -> Question:
        for question in self.questions:
            if question.code == code:
                return question
        raise KeyError(code)

    def children(self, area_code: str | None) -> tuple[Area, ...]:
        return tuple(a for a in self.areas if a.parent == area_code)

    def is_scored(self, question: Question) -> bool:
        """A question counts in an index when it is on the 5-level scale of a scored part."""
        return question.kind == "scale5" and self.area(question.area).part in ("satisfaction", "overall")

    def scored_questions(self, area_code: str) -> tuple[Question, ...]:
        """The scored questions of an area and of its sub-areas, in form order."""
        codes = self._subtree(area_code)
        return tuple(q for q in self.questions if q.area in codes and self.is_scored(q))

    def index_areas(self) -> tuple[Area, ...]:
        """The top-level areas the survey index is made of."""
        return tuple(a for a in self.areas if a.parent is None and a.part == "satisfaction")

    def _subtree(self, area_code: str) -> set[str]:
        codes = {area_code}
        for child in self.children(area_code):
            codes |= self._subtree(child.code)
        return codes


def _opts(*labels: str) -> tuple[Option, ...]:
    return tuple(Option(str(i), label) for i, label in enumerate(labels, start=1))


def _scale(code: str, text: str, area: str, wording: Wording) -> Question:
    return Question(code, text, "scale5", area, SCALE5, wording)


# ---------------------------------------------------------------------------------------
# SIPAS 2017 — Decision 2640/QĐ-BNV of 10/10/2017: 5 areas, 22 criteria.
# The five areas and the count of 22 criteria were read (docs/law/sipas.md); the wording
# of each criterion is reconstructed and must be checked against the decision's annex.
# ---------------------------------------------------------------------------------------

_BP = "Bộ phận tiếp nhận và trả kết quả"

SIPAS_2017 = Questionnaire(
    code="sipas-2017",
    title="Phiếu khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành "
    "chính nhà nước",
    source="Quyết định 2640/QĐ-BNV ngày 10/10/2017 của Bộ Nội vụ (Đề án giai đoạn 2017 – 2020)",
    areas=(
        Area("perception", "Nhận định của người dân, tổ chức", "perception"),
        Area("access", "Tiếp cận dịch vụ hành chính công của cơ quan hành chính nhà nước", "satisfaction"),
        Area("procedure", "Thủ tục hành chính", "satisfaction"),
        Area("staff", "Công chức trực tiếp giải quyết công việc", "satisfaction"),
        Area("result", "Kết quả cung ứng dịch vụ hành chính công", "satisfaction"),
        Area("feedback", "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị", "satisfaction"),
        Area("expectation", "Sự mong đợi của người dân, tổ chức", "expectation"),
    ),
    questions=(
        Question(
            "ND1",
            "Để hoàn thành thủ tục hành chính này, Ông/Bà phải đi lại cơ quan giải quyết bao nhiêu lần?",
            "single",
            "perception",
            _opts("1 lần", "2 lần", "3 lần", "Từ 4 lần trở lên"),
        ),
        Question(
            "ND2",
            "Trong quá trình giải quyết thủ tục hành chính, công chức có gây phiền hà, sách nhiễu "
            "Ông/Bà không?",
            "single",
            "perception",
            _opts("Không", "Có"),
        ),
        Question(
            "ND3",
            "Ông/Bà có phải đưa tiền ngoài quy định cho công chức để công việc được giải quyết không?",
            "single",
            "perception",
            _opts("Không", "Có"),
        ),
        _scale("TC1", f"Nơi ngồi chờ tại {_BP} có đủ chỗ ngồi.", "access", "reconstructed"),
        _scale(
            "TC2", f"Trang thiết bị phục vụ người dân, tổ chức tại {_BP} đầy đủ.", "access", "reconstructed"
        ),
        _scale(
            "TC3", f"Trang thiết bị phục vụ người dân, tổ chức tại {_BP} hiện đại.", "access", "reconstructed"
        ),
        _scale(
            "TC4",
            f"Trang thiết bị phục vụ người dân, tổ chức tại {_BP} dễ sử dụng.",
            "access",
            "reconstructed",
        ),
        _scale("TT1", "Thủ tục hành chính được niêm yết công khai đầy đủ.", "procedure", "reconstructed"),
        _scale("TT2", "Thủ tục hành chính được niêm yết công khai chính xác.", "procedure", "reconstructed"),
        _scale(
            "TT3",
            "Thành phần hồ sơ mà người dân, tổ chức phải nộp là đúng quy định.",
            "procedure",
            "reconstructed",
        ),
        _scale(
            "TT4", "Phí/lệ phí mà người dân, tổ chức phải nộp là đúng quy định.", "procedure", "reconstructed"
        ),
        _scale(
            "TT5",
            "Thời hạn giải quyết (tính từ ngày hồ sơ được tiếp nhận đến ngày nhận kết quả) là đúng quy định.",
            "procedure",
            "reconstructed",
        ),
        _scale("CC1", "Công chức có thái độ giao tiếp lịch sự.", "staff", "reconstructed"),
        _scale("CC2", "Công chức chú ý lắng nghe ý kiến của người dân, tổ chức.", "staff", "reconstructed"),
        _scale(
            "CC3",
            "Công chức trả lời, giải thích đầy đủ các ý kiến của người dân, tổ chức.",
            "staff",
            "reconstructed",
        ),
        _scale("CC4", "Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo.", "staff", "reconstructed"),
        _scale("CC5", "Công chức hướng dẫn kê khai hồ sơ dễ hiểu.", "staff", "reconstructed"),
        _scale(
            "CC6", "Công chức tuân thủ đúng quy định trong giải quyết công việc.", "staff", "reconstructed"
        ),
        _scale("KQ1", "Kết quả mà người dân, tổ chức nhận được là đúng quy định.", "result", "reconstructed"),
        _scale(
            "KQ2", "Kết quả mà người dân, tổ chức nhận được có thông tin đầy đủ.", "result", "reconstructed"
        ),
        _scale(
            "KQ3",
            "Kết quả mà người dân, tổ chức nhận được có thông tin chính xác.",
            "result",
            "reconstructed",
        ),
        _scale(
            "PA1",
            "Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị của người dân, tổ chức.",
            "feedback",
            "reconstructed",
        ),
        _scale(
            "PA2",
            "Người dân, tổ chức dễ dàng thực hiện góp ý, phản ánh, kiến nghị.",
            "feedback",
            "reconstructed",
        ),
        _scale(
            "PA3",
            "Cơ quan tiếp nhận, xử lý tích cực các góp ý, phản ánh, kiến nghị của người dân, tổ chức.",
            "feedback",
            "reconstructed",
        ),
        _scale(
            "PA4",
            "Cơ quan thông báo kịp thời kết quả xử lý các góp ý, phản ánh, kiến nghị cho người dân, tổ chức.",
            "feedback",
            "reconstructed",
        ),
        Question(
            "MD1",
            "Ông/Bà mong muốn cơ quan hành chính nhà nước tập trung cải thiện những nội dung nào?",
            "multiple",
            "expectation",
            _opts(
                "Tiếp cận dịch vụ (nơi chờ, trang thiết bị)",
                "Thủ tục hành chính",
                "Thái độ, năng lực của công chức",
                "Kết quả giải quyết, thời hạn trả kết quả",
                "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
            ),
        ),
        Question("MD2", "Ý kiến khác của Ông/Bà (nếu có).", "text", "expectation"),
    ),
)


# ---------------------------------------------------------------------------------------
# SIPAS 2023 — Decision 1001/QĐ-BNV of 11/12/2023. Words copied from a digitised copy of
# the MoHA national form (docs/law/sipas.md says which and what does not match the 2024
# results announcement); the decision's own annex was not read.
# ---------------------------------------------------------------------------------------

_INTEREST = _opts("Không quan tâm", "Quan tâm một chút", "Rất quan tâm")
_EXPERIENCE = _opts("Đã từng/Có", "Chưa từng/Không có")
_PRIORITY = _opts("Rất nhiều", "Nhiều", "Ít")
_POLICIES = (
    "Chính sách về phát triển kinh tế - xã hội",
    "Chính sách về khám, chữa bệnh",
    "Chính sách về giáo dục phổ thông",
    "Chính sách về trật tự, an toàn xã hội",
    "Chính sách về giao thông đường bộ",
    "Chính sách về điện sinh hoạt",
    "Chính sách về nước sinh hoạt",
    "Chính sách về an sinh, xã hội",
)
_EXPERIENCES = (
    "Có người thân đang đi học phổ thông",
    "Bản thân hoặc có người thân gần đây đi khám, chữa bệnh tại bệnh viện, phòng khám đa khoa công lập, "
    "ở tuyến tỉnh, huyện, trạm y tế ở xã, phường",
    "Giải quyết công việc với cơ quan nhà nước (các cấp)",
    "Giải quyết thủ tục hành chính",
    "Phản ánh, kiến nghị với cơ quan nhà nước (các cấp)",
    "Góp ý kiến đối với cơ quan nhà nước (các cấp) về chính sách",
    "Phản hồi ý kiến đối với cơ quan nhà nước về kết quả thực hiện chính sách, kết quả thực hiện giải quyết "
    "thủ tục hành chính của các chính quyền",
)
_SATISFACTION_2023 = (
    (
        "policy.accountability",
        "Cơ quan nhà nước cung cấp, giải thích thông tin về các chính sách theo nhiều "
        "hình thức, giúp mọi người dân dễ tìm, dễ thấy.",
    ),
    (
        "policy.accountability",
        "Cơ quan nhà nước cung cấp thông tin về các chính sách đầy đủ, dễ hiểu đối với người dân.",
    ),
    (
        "policy.participation",
        "Cơ quan nhà nước tổ chức xin ý kiến góp ý của người dân đối với các chính sách "
        "theo nhiều hình thức, giúp mọi người dân tham gia góp ý kiến dễ dàng.",
    ),
    (
        "policy.participation",
        "Cơ quan nhà nước tổ chức nhiều hình thức để người dân phản hồi ý kiến về kết quả, "
        "tác động của các chính sách, giúp người dân tham gia phản hồi ý kiến dễ dàng.",
    ),
    (
        "policy.quality",
        "Chính sách về phát triển kinh tế - xã hội ở địa phương phù hợp (gồm các quy định về "
        "thu hút đầu tư, kinh doanh, việc làm, tín dụng…).",
    ),
    (
        "policy.quality",
        "Chính sách về khám chữa bệnh phù hợp (gồm các quy định về bệnh viện, phòng khám, trạm "
        "y tế; việc khám, chữa bệnh; bảo hiểm y tế; về viện phí… ở các bệnh viện công, phòng khám "
        "công, trạm y tế).",
    ),
    (
        "policy.quality",
        "Chính sách về giáo dục phổ thông phù hợp (gồm các quy định về chương trình giảng dạy, "
        "sách giáo khoa, trường học, lớp học, đánh giá học sinh, thủ tục nhập học… ở các trường phổ "
        "thông công lập).",
    ),
    (
        "policy.quality",
        "Chính sách trật tự, an toàn xã hội phù hợp (gồm các quy định về quản lý dân cư, giữ gìn "
        "trật tự nơi công cộng, quản lý an ninh mạng; phòng chống tội phạm…).",
    ),
    (
        "policy.quality",
        "Chính sách về giao thông đường bộ phù hợp (gồm các quy định về xây dựng, phát triển "
        "đường bộ; giao thông đường bộ; bảo đảm trật tự, an toàn giao thông đường bộ…).",
    ),
    (
        "policy.quality",
        "Chính sách về điện sinh hoạt phù hợp (gồm các quy định về cung cấp, quản lý, phát triển "
        "điện sinh hoạt; giá tiền, chất lượng điện sinh hoạt…).",
    ),
    (
        "policy.quality",
        "Chính sách về nước sinh hoạt phù hợp (gồm các quy định về cung cấp, quản lý, phát triển "
        "nước sinh hoạt; giá tiền, chất lượng nước sinh hoạt…).",
    ),
    (
        "policy.quality",
        "Chính sách về an sinh xã hội phù hợp (gồm các quy định về bảo hiểm xã hội, bảo hiểm thất "
        "nghiệp; hỗ trợ thường xuyên đối với người có công, người nghèo, người tàn tật… và hỗ trợ "
        "đột xuất cho "
        "người dân khi gặp mất mùa, thiên tai…).",
    ),
    (
        "policy.impact",
        "Chính sách của địa phương đã góp phần giúp cho kinh tế gia đình của người dân địa phương "
        "ngày càng tốt hơn trong thời gian qua.",
    ),
    (
        "policy.impact",
        "Chính sách của địa phương đã góp phần giúp cho chất lượng cuộc sống của người dân địa "
        "phương ngày càng tốt hơn trong thời gian qua.",
    ),
    (
        "service.access",
        "Cơ quan cung cấp thông tin về việc giải quyết thủ tục hành chính theo nhiều hình thức, "
        "dễ tiếp cận, dễ hiểu đối với mọi người dân.",
    ),
    (
        "service.access",
        "Trụ sở cơ quan tiếp nhận hồ sơ, trả kết quả giải quyết thủ tục hành chính có biển hiệu, "
        "hướng dẫn rõ ràng, dễ thấy.",
    ),
    (
        "service.access",
        "Trụ sở cơ quan tiếp nhận hồ sơ, trả kết quả giải quyết thủ tục hành chính sạch sẽ, văn minh.",
    ),
    (
        "service.access",
        "Trang thiết bị phục vụ người dân đầy đủ, chất lượng tốt, giúp người dân giải quyết công "
        "việc dễ dàng hơn.",
    ),
    (
        "service.procedure",
        "Quy định thủ tục hành chính được niêm yết công khai tại trụ sở cơ quan tiếp nhận hồ "
        "sơ, trả kết quả giải quyết thủ tục hành chính dễ thấy, dễ hiểu.",
    ),
    ("service.procedure", "Thành phần hồ sơ người dân phải nộp là đúng quy định."),
    ("service.procedure", "Mức phí/lệ phí người dân phải nộp là đúng quy định."),
    ("service.procedure", "Thời hạn giải quyết thủ tục hành chính cho người dân là đúng quy định."),
    ("service.staff", "Công chức có thái độ giao tiếp lịch sự, tôn trọng đối với người dân."),
    (
        "service.staff",
        "Công chức cung cấp thông tin, trả lời kịp thời, đầy đủ các câu hỏi, ý kiến của người dân.",
    ),
    (
        "service.staff",
        "Công chức hướng dẫn hồ sơ dễ hiểu, đảm bảo người dân có thể hoàn thiện hồ sơ sau một lần hướng dẫn.",
    ),
    ("service.staff", "Công chức tuân thủ đúng quy định trong giải quyết công việc cho người dân."),
    ("service.staff", "Công chức tận tình đối với người dân trong quá trình giải quyết công việc."),
    ("service.result", "Kết quả giải quyết thủ tục hành chính cho người dân được trả đúng hẹn."),
    ("service.result", "Kết quả giải quyết thủ tục hành chính cho người dân có thông tin đầy đủ, chính xác."),
    ("service.result", "Kết quả giải quyết thủ tục hành chính cho người dân đảm bảo tính công bằng."),
    (
        "service.feedback",
        "Cơ quan có bố trí hình thức tiếp nhận phản ánh, kiến nghị, giúp người dân phản ánh, "
        "kiến nghị dễ dàng.",
    ),
    ("service.feedback", "Cơ quan tiếp nhận, xử lý phản ánh, kiến nghị của người dân đúng quy định."),
    ("service.feedback", "Cơ quan thông báo kết quả xử lý phản ánh kiến nghị cho người dân kịp thời."),
)
# Câu 10 of the copy: its row 8 is missing there (the MoHA announcement of SIPAS 2024
# speaks of 10 expectation sub-indexes), so the codes keep the form's numbering.
_PRIORITIES = (
    ("C10.1", "Nâng cao hơn nữa chất lượng cung cấp thông tin cho người dân."),
    (
        "C10.2",
        "Nâng cao hơn nữa chất lượng trụ sở, trang thiết bị phục vụ giải quyết công việc cho người dân.",
    ),
    (
        "C10.3",
        "Nâng cao hơn nữa năng lực của cán bộ, công chức, viên chức trong giải quyết công việc cho "
        "người dân.",
    ),
    ("C10.4", "Nâng cao hơn nữa thái độ phục vụ của cán bộ, công chức, viên chức đối với người dân."),
    (
        "C10.5",
        "Tăng cường ứng dụng công nghệ thông tin, chuyển đổi số trong giải quyết công việc cho người dân.",
    ),
    ("C10.6", "Nâng cao hơn nữa sự quan tâm của cơ quan nhà nước đối với nhu cầu, mong đợi của người dân."),
    (
        "C10.7",
        "Nâng cao hơn nữa chất lượng tiếp nhận, giải quyết ý kiến góp ý, phản ánh, kiến nghị của người dân.",
    ),
    ("C10.9", "Nâng cao hơn nữa chất lượng các chính sách quan trọng đối với đời sống của người dân."),
    ("C10.10", "Nâng cao hơn nữa chất lượng dịch vụ hành chính công (việc giải quyết thủ tục hành chính)."),
)

SIPAS_2023 = Questionnaire(
    code="sipas-2023",
    title="Phiếu khảo sát sự hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước",
    source="Quyết định 1001/QĐ-BNV ngày 11/12/2023 của Bộ Nội vụ (Phương pháp giai đoạn 2023 – 2026)",
    areas=(
        Area("perception", "Nhận định, đánh giá của người dân", "perception"),
        Area("policy", "Việc ban hành, tổ chức thực hiện các chính sách", "satisfaction"),
        Area("policy.accountability", "Trách nhiệm giải trình của cơ quan", "satisfaction", "policy"),
        Area("policy.participation", "Sự tham gia của người dân", "satisfaction", "policy"),
        Area("policy.quality", "Chất lượng chính sách", "satisfaction", "policy"),
        Area("policy.impact", "Kết quả, tác động của chính sách", "satisfaction", "policy"),
        Area("service", "Việc cung ứng dịch vụ hành chính công", "satisfaction"),
        Area("service.access", "Tiếp cận", "satisfaction", "service"),
        Area("service.procedure", "Thủ tục hành chính", "satisfaction", "service"),
        Area("service.staff", "Công chức trực tiếp giải quyết công việc", "satisfaction", "service"),
        Area(
            "service.result",
            "Kết quả (có thể là được cấp giấy tờ hoặc bị từ chối cấp giấy tờ)",
            "satisfaction",
            "service",
        ),
        Area(
            "service.feedback",
            "Cơ quan nhà nước tiếp nhận, xử lý phản ánh, kiến nghị của người dân",
            "satisfaction",
            "service",
        ),
        Area("expectation", "Nhu cầu, mong đợi của người dân", "expectation"),
    ),
    questions=(
        *(
            Question(
                f"C1.{i}",
                f"Mức độ quan tâm của Ông/Bà đối với: {policy}",
                "single",
                "perception",
                _INTEREST,
                "copied",
            )
            for i, policy in enumerate(_POLICIES, start=1)
        ),
        Question(
            "C2",
            "Ông/Bà sử dụng kênh thông tin nào để theo dõi các chính sách nêu ở câu 1?",
            "single",
            "perception",
            _opts(
                "Qua loa phát thanh xã.",
                "Qua họp, sinh hoạt, thông báo tại khu dân cư.",
                "Qua cơ quan nhà nước, công chức.",
                "Qua người thân, bạn bè.",
                "Qua đài, ti vi, báo chí.",
                "Qua mạng internet.",
                "Qua hình thức khác.",
            ),
            "copied",
        ),
        Question("C2.other", "Hình thức khác (xin ghi cụ thể).", "text", "perception", (), "copied"),
        Question(
            "C3",
            "Khi cơ quan nhà nước tổ chức xin ý kiến người dân về chính sách nêu ở câu 1, Ông/Bà có "
            "thể tham gia "
            "góp ý kiến không?",
            "single",
            "perception",
            _opts(
                "Không thể tham gia, vì không biết thông tin.",
                "Không thể tham gia, vì bản thân không muốn.",
                "Có thể tham gia, nếu được biết thông tin.",
                "Có thể tham gia, nếu được tạo điều kiện thuận tiện.",
                "Chắc chắn tham gia, vì bản thân mong muốn.",
            ),
            "copied",
        ),
        Question(
            "C4",
            "Ông/Bà có suy nghĩ như thế nào về tình trạng công chức gây phiền hà, sách nhiễu cho "
            "người dân hiện "
            "nay ở địa phương?",
            "single",
            "perception",
            _opts(
                "Không có công chức nào gây phiền hà, sách nhiễu cho người dân.",
                "Một số công chức gây phiền hà, sách nhiễu cho người dân.",
                "Nhiều công chức gây phiền hà, sách nhiễu cho người dân.",
            ),
            "copied",
        ),
        Question(
            "C5",
            "Ông/Bà suy nghĩ gì về tình trạng người dân phải đưa tiền ngoài quy định cho công chức "
            "để công việc "
            "được giải quyết hiện nay ở địa phương?",
            "single",
            "perception",
            _opts(
                "Không có người dân nào phải đưa tiền ngoài quy định cho công chức.",
                "Một số người dân phải đưa tiền ngoài quy định cho công chức.",
                "Nhiều người dân phải đưa tiền ngoài quy định cho công chức.",
            ),
            "copied",
        ),
        Question(
            "C6",
            "Xin Ông/Bà cho biết hình thức nộp hồ sơ và nhận kết quả giải quyết thủ tục hành chính "
            "phù hợp với "
            "Ông/Bà?",
            "single",
            "perception",
            _opts(
                "Theo hình thức trực tiếp (tại cơ quan).",
                "Theo hình thức trực tuyến (qua mạng internet).",
                "Theo cả hình thức trực tiếp và trực tuyến.",
            ),
            "copied",
        ),
        Question(
            "C7",
            "Xin Ông/Bà cho biết hình thức cung cấp thông tin về chính sách phù hợp với Ông/Bà?",
            "single",
            "perception",
            _opts(
                "Theo hình thức trực tiếp (tại cơ quan).",
                "Theo hình thức trực tuyến (qua mạng internet).",
                "Theo hình thức trực tiếp và trực tuyến.",
            ),
            "copied",
        ),
        *(
            Question(f"C8.{i}", text, "single", "perception", _EXPERIENCE, "copied")
            for i, text in enumerate(_EXPERIENCES, start=1)
        ),
        *(
            _scale(f"C9.{i}", text, area, "copied")
            for i, (area, text) in enumerate(_SATISFACTION_2023, start=1)
        ),
        *(Question(code, text, "single", "expectation", _PRIORITY, "copied") for code, text in _PRIORITIES),
        Question("C11", "Ý kiến khác (xin ghi cụ thể).", "text", "expectation", (), "copied"),
    ),
)


# ---------------------------------------------------------------------------------------
# Parents' satisfaction with a public primary school. Areas follow the contents the
# Ministry of Education's 2017 toolkit is reported to have (access to the service,
# facilities, environment, educational activities, results, satisfaction in general,
# other opinions); the questions are ours, drawn from seed 003 (tasks 4.4, 6.1–6.5).
# ---------------------------------------------------------------------------------------

PARENTS_PRIMARY = Questionnaire(
    code="parents-primary",
    title="Phiếu khảo sát sự hài lòng của cha mẹ học sinh đối với dịch vụ giáo dục của trường tiểu "
    "học công lập",
    source=(
        "Bộ công cụ khảo sát đo lường sự hài lòng của người dân đối với dịch vụ giáo dục công "
        "(Quyết định 2329/QĐ-BGDĐT ngày 11/07/2017; Quyết định 3476/QĐ-BGDĐT ngày 04/10/2019); "
        "câu hỏi do cchc soạn theo Kế hoạch 54/KH-PGDĐT (seed 003)"
    ),
    areas=(
        Area("perception", "Thông tin chung", "perception"),
        Area("access", "Tiếp cận dịch vụ giáo dục", "satisfaction"),
        Area("facilities", "Cơ sở vật chất, trang thiết bị của nhà trường", "satisfaction"),
        Area("environment", "Môi trường giáo dục", "satisfaction"),
        Area("activities", "Hoạt động giáo dục", "satisfaction"),
        Area("results", "Kết quả giáo dục", "satisfaction"),
        Area("overall", "Mức độ hài lòng nói chung về nhà trường", "overall"),
        Area("expectation", "Ý kiến, đề xuất", "expectation"),
    ),
    questions=(
        Question(
            "TT1",
            "Con của Ông/Bà đang học lớp mấy?",
            "single",
            "perception",
            _opts("Lớp 1", "Lớp 2", "Lớp 3", "Lớp 4", "Lớp 5"),
        ),
        Question(
            "TT2",
            "Ông/Bà nhận thông tin từ nhà trường qua những kênh nào?",
            "multiple",
            "perception",
            _opts(
                "Họp cha mẹ học sinh",
                "Sổ liên lạc (giấy hoặc điện tử)",
                "Nhóm tin nhắn của lớp",
                "Trang thông tin điện tử của nhà trường",
                "Bảng tin tại trường",
                "Trao đổi trực tiếp với giáo viên",
            ),
        ),
        Question(
            "TT3",
            "Trong năm học này, Ông/Bà có phải nộp khoản tiền nào ngoài các khoản đã được nhà trường "
            "công khai "
            "không?",
            "single",
            "perception",
            _opts("Không", "Có", "Không rõ"),
        ),
        _scale("TC1", "Thông tin tuyển sinh, thủ tục nhập học rõ ràng, thuận tiện.", "access", "ours"),
        _scale(
            "TC2",
            "Nhà trường công khai đầy đủ cam kết chất lượng, điều kiện bảo đảm chất lượng và thu, "
            "chi tài chính.",
            "access",
            "ours",
        ),
        _scale("TC3", "Các khoản thu được thông báo rõ ràng và đúng quy định.", "access", "ours"),
        _scale(
            "TC4",
            "Nhà trường dễ liên hệ; ý kiến của cha mẹ học sinh được tiếp nhận và trả lời kịp thời.",
            "access",
            "ours",
        ),
        _scale("CS1", "Phòng học đủ, an toàn, thoáng mát, đủ ánh sáng.", "facilities", "ours"),
        _scale("CS2", "Nhà vệ sinh sạch sẽ, đủ cho học sinh.", "facilities", "ours"),
        _scale(
            "CS3",
            "Thiết bị, đồ dùng dạy học, thư viện đáp ứng việc học của học sinh.",
            "facilities",
            "ours",
        ),
        _scale("CS4", "Sân chơi, bãi tập an toàn, đủ chỗ cho học sinh vận động.", "facilities", "ours"),
        _scale("MT1", "Nhà trường an toàn, thân thiện; không có bạo lực học đường.", "environment", "ours"),
        _scale(
            "MT2",
            "Giáo viên, nhân viên quan tâm, tôn trọng và đối xử công bằng với học sinh.",
            "environment",
            "ours",
        ),
        _scale(
            "MT3",
            "Bữa ăn bán trú bảo đảm vệ sinh, an toàn thực phẩm; học sinh bán trú được quản lý, chăm "
            "sóc chu đáo.",
            "environment",
            "ours",
        ),
        _scale(
            "HD1",
            "Giáo viên dạy theo hướng phát huy tính chủ động, tích cực của học sinh.",
            "activities",
            "ours",
        ),
        _scale(
            "HD2",
            "Hoạt động trải nghiệm, ngoại khóa, câu lạc bộ đa dạng, phù hợp lứa tuổi.",
            "activities",
            "ours",
        ),
        _scale(
            "HD3",
            "Cha mẹ được thông tin thường xuyên về việc học tập, rèn luyện của con.",
            "activities",
            "ours",
        ),
        _scale(
            "KQ1",
            "Con của Ông/Bà tiến bộ trong học tập so với đầu năm học.",
            "results",
            "ours",
        ),
        _scale(
            "KQ2",
            "Con của Ông/Bà được hình thành phẩm chất, kỹ năng sống và thói quen tốt.",
            "results",
            "ours",
        ),
        _scale("KQ3", "Con của Ông/Bà khỏe mạnh, vui vẻ khi đến trường.", "results", "ours"),
        _scale("HL1", "Nhìn chung, Ông/Bà hài lòng như thế nào về nhà trường?", "overall", "ours"),
        Question(
            "DX1",
            "Theo Ông/Bà, nhà trường cần ưu tiên cải thiện những nội dung nào?",
            "multiple",
            "expectation",
            _opts(
                "Cơ sở vật chất, trang thiết bị",
                "Chất lượng đội ngũ giáo viên",
                "Phương pháp dạy học",
                "Bữa ăn, bán trú, an toàn thực phẩm",
                "Thông tin, liên lạc với cha mẹ học sinh",
                "Các khoản thu",
            ),
        ),
        Question("DX2", "Ý kiến, đề xuất khác của Ông/Bà.", "text", "expectation"),
    ),
)


QUESTIONNAIRES: dict[str, Questionnaire] = {q.code: q for q in (SIPAS_2017, SIPAS_2023, PARENTS_PRIMARY)}

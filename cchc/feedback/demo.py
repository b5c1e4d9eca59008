"""Feedback and satisfaction surveys of the demo province: a year of each.

`load_demo` runs in `cchc generate` after the one-stop desk's demo, inside the
province's transaction:

1. about 1,500 feedback received over the twelve months to the demo's today (the
   desk's `TODAY`) by the department, the commune offices and the schools, on school
   fees, admissions, semi-boarding meals, extra classes, diplomas and certificates,
   officers' conduct and rules. Each one lives the life the services give it — received,
   sometimes routed by the department to the commune or school concerned, assigned,
   answered (mostly on time), published when the sender agreed, a few rejected with a
   reason — and its deadline is `services.due_at_for` on the working-day calendar. As the
   daily `cchc escalate_feedback` job would have, a commune's or school's feedback still
   unanswered after its due day went to the parent unit, which answered it late; only the
   department (no parent) answers late itself. A handful are open on the demo's today,
   in the queues of so.cchc (some overdue, two escalated from communes) and
   vangiang.cchc.
2. four survey campaigns of the department, created by `surveys.campaign_create` (one
   link per unit in bulk): SIPAS 2023 for 2025 (ended) and for 2026 (open to the end of
   the year, one response per dossier: the receipts print its QR), the parents' survey
   of the primary schools for the school year 2025–2026 (ended 31/05/2026) and for
   2026–2027 (open). Responses are mostly "Hài lòng"/"Rất hài lòng" (88–95 % by unit),
   a few units below the campaign's minimum number of answers.

Rows are written in bulk with explicit ids — the feedback and their events exactly as
the services write them (`build_feedback` applies the same transitions to the row in
memory; tests/test_demo.py runs one story through both and compares them field by
field), the responses and their answers as `surveys.response_submit` writes them. No
audit rows for the generated history (nobody acted), as for the desk's dossiers.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils.translation import gettext as _

from cchc.core.text import fold
from cchc.dossiers.demo import TODAY
from cchc.dossiers.generate import TableWriter
from cchc.dossiers.models import Dossier, DossierStatus
from cchc.dossiers.services import CODE_ALPHABET
from cchc.orgs.demo.names import person_name
from cchc.orgs.models import Membership, OrgUnit, SchoolLevel, UnitKind
from cchc.orgs.scoping import ROLE_PERMS, Perm
from cchc.workdays.calendar import VN_TZ, add_working_days, previous_working_day

from . import surveys
from .models import (
    EventKind,
    Feedback,
    FeedbackEvent,
    FeedbackKind,
    FeedbackNote,
    FeedbackStatus,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyTemplate,
)
from .services import CODE_RANDOM_LENGTH, Sender, due_at_for, feedback_code

START = TODAY - dt.timedelta(days=365)
FEEDBACK_PER_YEAR = 1500
QUEUES = {"so.cchc": "SGD-HY", "vangiang.cchc": "XA-HY-VANGIANG"}


# --- one feedback's story --------------------------------------------------------------


@dataclass
class Step:
    """One transition, as a service call would make it: `kind` is the service
    (route, assign, answer, publish, reject, escalate)."""

    kind: str
    at: dt.datetime
    actor: object | None = None
    unit: OrgUnit | None = None  # route: the unit it goes to; escalate: the parent
    officer: object | None = None
    text: str = ""


@dataclass
class Story:
    kind: FeedbackKind
    unit: OrgUnit
    topic: str
    content: str
    sender: Sender
    received_at: dt.datetime
    code_suffix: str
    wants_publication: bool = False
    procedure: object | None = None
    steps: list[Step] = field(default_factory=list)
    notes: list[tuple[dt.datetime, object, str]] = field(default_factory=list)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def build_feedback(story: Story, *, pk: int | None = None) -> tuple[Feedback, list[FeedbackEvent]]:
    """The feedback row and its events as `feedback_submit` and the transition services
    would leave them after `story` (not saved)."""
    at = story.received_at.astimezone(VN_TZ)
    due = due_at_for(received_at=at, kind=story.kind)
    unit = story.unit
    feedback = Feedback(
        pk=pk,
        code=feedback_code(day=at.date(), suffix=story.code_suffix),
        kind=story.kind,
        topic=story.topic.strip(),
        unit=unit,
        unit_path=unit.path,
        procedure=story.procedure,
        sender_name=story.sender.name.strip(),
        sender_phone=story.sender.phone.strip(),
        sender_email=story.sender.email.strip(),
        sender_address=story.sender.address.strip(),
        content=story.content.strip(),
        wants_publication=story.wants_publication,
        received_at=at,
        deadline_days=story.kind.deadline_days,
        due_at=due,
    )
    events = [
        _event(feedback, EventKind.RECEIVED, at, None, due_at=due.isoformat(), feedback_kind=story.kind.code)
    ]
    for step in story.steps:
        when = step.at.astimezone(VN_TZ)
        if step.kind == "route":
            source = feedback.unit
            feedback.unit, feedback.unit_path = step.unit, step.unit.path
            feedback.status, feedback.officer = FeedbackStatus.RECEIVED, None
            events.append(
                _event(
                    feedback,
                    EventKind.ROUTED,
                    when,
                    step.actor,
                    unit=step.unit,
                    note=step.text.strip(),
                    from_unit=source.pk,
                    from_unit_name=source.name,
                )
            )
        elif step.kind == "assign":
            feedback.officer, feedback.status = step.officer, FeedbackStatus.ASSIGNED
            events.append(
                _event(
                    feedback,
                    EventKind.ASSIGNED,
                    when,
                    step.actor,
                    officer=step.officer.pk,
                    officer_name=_name(step.officer),
                )
            )
        elif step.kind == "answer":
            on_time = when.date() <= due.date()
            feedback.status, feedback.answer = FeedbackStatus.ANSWERED, step.text.strip()
            feedback.answered_at = feedback.closed_at = when
            feedback.answered_by, feedback.answered_on_time = _user(step.actor), on_time
            events.append(_event(feedback, EventKind.ANSWERED, when, step.actor, on_time=on_time))
        elif step.kind == "publish":
            feedback.status, feedback.published_at = FeedbackStatus.PUBLISHED, when
            events.append(_event(feedback, EventKind.PUBLISHED, when, step.actor))
        elif step.kind == "reject":
            feedback.status, feedback.rejection_reason = FeedbackStatus.REJECTED, step.text.strip()
            feedback.closed_at = when
            events.append(_event(feedback, EventKind.REJECTED, when, step.actor, note=step.text.strip()))
        elif step.kind == "escalate":
            source, parent = feedback.unit, step.unit
            feedback.unit, feedback.unit_path = parent, parent.path
            feedback.escalated, feedback.escalated_to, feedback.escalated_from = True, parent, source
            feedback.escalated_at = when
            feedback.status, feedback.officer = FeedbackStatus.RECEIVED, None
            events.append(
                _event(
                    feedback,
                    EventKind.ESCALATED,
                    max(when, at),
                    None,
                    unit=parent,
                    note=_("Quá hạn trả lời, chuyển %(unit)s xử lý") % {"unit": parent.name},
                    from_unit=source.pk,
                    from_unit_name=source.name,
                    # As the job reads it back from the database: in UTC.
                    due_at=due.astimezone(dt.UTC).isoformat(),
                )
            )
        else:
            raise ValueError(step.kind)
    return feedback, events


def _event(feedback, kind, at, actor, *, unit=None, note="", **data) -> FeedbackEvent:
    return FeedbackEvent(
        feedback=feedback,
        kind=kind,
        at=at,
        actor=_user(actor),
        unit=unit or feedback.unit,
        note=note[:500],
        data=data,
    )


# --- what people write about -----------------------------------------------------------

# (kind, where: "department" / "commune" / "school", topic, content, answer). The content
# may name {unit} (the unit it is sent to).
SUBJECTS: list[tuple[str, str, str, str, str]] = [
    (
        "complaint_about_rules",
        "department",
        "Cấp bản sao bằng tốt nghiệp THCS từ sổ gốc",
        "Tôi tốt nghiệp THCS năm 2008, nay bị mất bằng. Khi làm thủ tục cấp bản sao từ sổ gốc, tôi được "
        "yêu cầu nộp thêm giấy xác nhận của địa phương, giấy tờ này không có trong thành phần hồ sơ được "
        "công bố. Đề nghị Sở hướng dẫn cụ thể.",
        "Thành phần hồ sơ cấp bản sao văn bằng từ sổ gốc chỉ gồm đơn đề nghị và giấy tờ tùy thân theo thủ "
        "tục đã công bố; không yêu cầu giấy xác nhận của địa phương. Sở đã chấn chỉnh bộ phận tiếp nhận và "
        "đề nghị ông/bà nộp lại hồ sơ tại Bộ phận một cửa.",
    ),
    (
        "complaint_about_rules",
        "department",
        "Thời hạn chỉnh sửa nội dung văn bằng",
        "Hồ sơ đề nghị chỉnh sửa họ tên trên bằng tốt nghiệp THPT của con tôi nộp đã hơn một tuần nhưng "
        "chưa có kết quả. Đề nghị cho biết thời hạn giải quyết theo quy định.",
        "Thời hạn giải quyết thủ tục chỉnh sửa nội dung văn bằng là 05 ngày làm việc kể từ ngày nhận đủ "
        "hồ sơ hợp lệ. Hồ sơ của ông/bà phải bổ sung bản sao giấy khai sinh; kết quả đã được trả ngày "
        "hẹn mới. Sở xin lỗi vì đã chậm thông báo việc bổ sung hồ sơ.",
    ),
    (
        "complaint_about_rules",
        "department",
        "Cấp phép tổ chức dạy thêm ngoài nhà trường",
        "Theo Thông tư 29/2024/TT-BGDĐT, cơ sở dạy thêm ngoài nhà trường phải đăng ký kinh doanh và công "
        "khai thông tin. Đề nghị hướng dẫn nơi tiếp nhận và mẫu hồ sơ công khai.",
        "Tổ chức, cá nhân dạy thêm ngoài nhà trường đăng ký kinh doanh theo quy định và công khai trên "
        "cổng thông tin của UBND cấp xã các nội dung tại Điều 6 Thông tư 29/2024/TT-BGDĐT; Sở đã đăng "
        "hướng dẫn và mẫu biểu trên trang thông tin điện tử của Sở.",
    ),
    (
        "complaint_about_rules",
        "department",
        "Tuyển sinh lớp 10 THPT công lập",
        "Đề nghị Sở công bố sớm phương án tuyển sinh lớp 10 và chỉ tiêu từng trường để phụ huynh, học "
        "sinh chủ động đăng ký nguyện vọng.",
        "Kế hoạch tuyển sinh lớp 10 THPT đã được UBND tỉnh phê duyệt và công bố trên trang thông tin "
        "điện tử của Sở, gồm phương thức, môn thi và chỉ tiêu của từng trường.",
    ),
    (
        "about_conduct",
        "department",
        "Thái độ của cán bộ tiếp nhận hồ sơ",
        "Ngày tôi đến nộp hồ sơ công nhận văn bằng do nước ngoài cấp, cán bộ tiếp nhận trả lời thiếu "
        "nhiệt tình và không hướng dẫn đầy đủ giấy tờ cần bổ sung.",
        "Sở đã xác minh, tổ chức kiểm điểm và nhắc nhở cán bộ tiếp nhận; đồng thời hướng dẫn lại đầy đủ "
        "thành phần hồ sơ. Sở cảm ơn ông/bà đã phản ánh và xin lỗi vì sự phiền hà.",
    ),
    (
        "suggestion",
        "department",
        "Nộp hồ sơ và nhận kết quả qua bưu chính",
        "Đề nghị mở rộng việc trả bản sao văn bằng qua dịch vụ bưu chính công ích để người ở xa không phải "
        "đến Sở nhiều lần.",
        "Sở tiếp thu ý kiến; từ tháng này người nộp hồ sơ cấp bản sao văn bằng có thể đăng ký nhận kết "
        "quả qua dịch vụ bưu chính công ích ngay khi nộp hồ sơ.",
    ),
    (
        "complaint_about_rules",
        "commune",
        "Tuyển sinh lớp 1 theo địa bàn cư trú",
        "Gia đình tôi mới chuyển đến cư trú tại {unit} nhưng chưa được xếp tuyến tuyển sinh lớp 1 cho con. "
        "Đề nghị hướng dẫn hồ sơ và trường được tuyển.",
        "Học sinh cư trú hợp pháp trên địa bàn được tuyển vào trường tiểu học theo tuyến do UBND xã quy "
        "định. Gia đình nộp bản sao giấy khai sinh và xác nhận thông tin cư trú tại trường tiểu học của "
        "thôn nơi cư trú; Phòng đã thông báo cho nhà trường tiếp nhận.",
    ),
    (
        "complaint_about_rules",
        "commune",
        "Miễn, giảm học phí cho học sinh hộ cận nghèo",
        "Con tôi thuộc hộ cận nghèo nhưng nhà trường chưa thực hiện giảm học phí. Đề nghị hướng dẫn hồ sơ "
        "đề nghị miễn, giảm học phí.",
        "Học sinh thuộc hộ cận nghèo được giảm 50% học phí theo Nghị định 81/2021/NĐ-CP (sửa đổi bởi Nghị "
        "định 97/2023/NĐ-CP). Gia đình nộp đơn và giấy chứng nhận hộ cận nghèo cho nhà trường; khoản đã "
        "nộp sẽ được hoàn lại trong học kỳ.",
    ),
    (
        "complaint_about_rules",
        "commune",
        "Hồ sơ chuyển trường cho học sinh THCS",
        "Con tôi chuyển từ tỉnh khác về học tại {unit}. Nhà trường yêu cầu nhiều giấy tờ, đề nghị cho "
        "biết hồ sơ chuyển trường theo quy định.",
        "Hồ sơ chuyển trường gồm đơn xin chuyển trường, học bạ và giấy giới thiệu chuyển trường của trường "
        "nơi đi. Phòng đã hướng dẫn nhà trường tiếp nhận học sinh theo đúng quy định.",
    ),
    (
        "about_conduct",
        "commune",
        "Chậm giải quyết hồ sơ xác nhận",
        "Tôi nộp hồ sơ tại bộ phận một cửa của {unit} đã quá ngày hẹn nhưng chưa nhận được kết quả và "
        "không được thông báo lý do.",
        "Hồ sơ của ông/bà bị chậm do phải xác minh thông tin với trường cũ. Phòng đã gửi thư xin lỗi, hẹn "
        "lại ngày trả kết quả và nhắc nhở công chức tiếp nhận thông báo kịp thời cho người nộp.",
    ),
    (
        "suggestion",
        "commune",
        "Bố trí giờ tiếp nhận hồ sơ tuyển sinh",
        "Đề nghị bố trí tiếp nhận hồ sơ tuyển sinh cả buổi chiều và sáng thứ Bảy để phụ huynh đi làm có "
        "thể nộp hồ sơ.",
        "Phòng tiếp thu; trong thời gian tuyển sinh, các trường trên địa bàn tiếp nhận hồ sơ cả sáng thứ "
        "Bảy và nhận hồ sơ trực tuyến trên hệ thống tuyển sinh đầu cấp.",
    ),
    (
        "complaint_about_rules",
        "school",
        "Các khoản thu đầu năm học",
        "Đầu năm học, {unit} thông báo nhiều khoản thu ngoài học phí. Đề nghị nhà trường công khai căn cứ "
        "và mức thu từng khoản.",
        "Các khoản thu của nhà trường được thực hiện theo Nghị quyết của HĐND tỉnh và đã công khai tại bảng "
        "tin, trên trang thông tin của trường; khoản thu theo thỏa thuận chỉ thu khi cha mẹ học sinh tự "
        "nguyện đăng ký.",
    ),
    (
        "complaint_about_rules",
        "school",
        "Tiền ăn bán trú và thực đơn",
        "Tôi đề nghị {unit} công khai thực đơn bán trú hằng tuần và giải thích mức tiền ăn mỗi ngày của "
        "học sinh.",
        "Nhà trường công khai thực đơn hằng tuần tại cổng trường và trong nhóm tin nhắn của lớp; mức tiền ăn "
        "được thống nhất tại hội nghị cha mẹ học sinh đầu năm và quyết toán công khai hằng tháng.",
    ),
    (
        "about_conduct",
        "school",
        "Giáo viên tổ chức dạy thêm cho học sinh lớp mình",
        "Giáo viên chủ nhiệm lớp của con tôi tại {unit} vận động học sinh đi học thêm tại nhà có thu tiền.",
        "Nhà trường đã xác minh, yêu cầu giáo viên chấm dứt việc dạy thêm có thu tiền đối với học sinh lớp "
        "mình chủ nhiệm theo Thông tư 29/2024/TT-BGDĐT và tổ chức kiểm điểm trước hội đồng sư phạm.",
    ),
    (
        "about_conduct",
        "school",
        "Thái độ của nhân viên với phụ huynh",
        "Khi tôi đến đón con, nhân viên bảo vệ của {unit} có lời lẽ thiếu tôn trọng với phụ huynh.",
        "Nhà trường đã làm việc với nhân viên bảo vệ, yêu cầu thực hiện đúng quy tắc ứng xử trong trường học "
        "và xin lỗi phụ huynh.",
    ),
    (
        "suggestion",
        "school",
        "Chỗ để xe khi đưa đón học sinh",
        "Giờ tan học, xe của phụ huynh đón học sinh tại {unit} dừng tràn ra đường, đề nghị nhà trường bố "
        "trí chỗ chờ đón.",
        "Nhà trường đã phối hợp với công an xã phân luồng giờ tan học và bố trí khu chờ đón học sinh trong "
        "sân trường từ tuần tới.",
    ),
    (
        "suggestion",
        "school",
        "Thanh toán các khoản thu không dùng tiền mặt",
        "Đề nghị {unit} cho phép nộp học phí, tiền ăn bán trú bằng chuyển khoản để thuận tiện cho phụ huynh.",
        "Nhà trường tiếp thu; từ tháng tới các khoản thu được nộp qua tài khoản của nhà trường hoặc ứng dụng "
        "thanh toán, có biên lai điện tử gửi cha mẹ học sinh.",
    ),
]

REJECTIONS = [
    "Nội dung là khiếu nại đối với quyết định kỷ luật viên chức, được giải quyết theo Luật Khiếu nại; đề "
    "nghị ông/bà gửi đơn đến người có thẩm quyền giải quyết khiếu nại.",
    "Nội dung là tố cáo hành vi của cá nhân, được xử lý theo Luật Tố cáo, không thuộc phạm vi tiếp nhận "
    "phản ánh, kiến nghị.",
    "Phản ánh không ghi rõ nội dung và địa chỉ liên hệ, không đủ cơ sở để xem xét.",
    "Nội dung trùng với phản ánh ông/bà đã gửi và đã được trả lời.",
]
NOTES = [
    "Đã liên hệ nhà trường để xác minh.",
    "Chờ Văn phòng Sở cung cấp văn bản hướng dẫn.",
    "Đã gọi điện cho người gửi, hẹn trả lời bằng văn bản.",
]
STREETS = ["thôn Đông", "thôn Đoài", "thôn Trung", "thôn Thượng", "thôn Hạ", "khu phố 2", "khu phố 5"]


def _office_time(rng: random.Random, day: dt.date) -> dt.datetime:
    minute = rng.randint(7 * 60 + 30, 16 * 60 + 30)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=VN_TZ)


def _later(rng: random.Random, after: dt.datetime, working_days: int) -> dt.datetime:
    """An office hour `working_days` working days after `after` (the same day when 0),
    never before it."""
    day = add_working_days(after.astimezone(VN_TZ).date(), working_days)
    at = _office_time(rng, day)
    return at if at > after else after + dt.timedelta(minutes=rng.randint(20, 90))


def _sender(rng: random.Random, kind: FeedbackKind, communes: list[OrgUnit]) -> Sender:
    if not (kind.sender_name_required or kind.sender_contact_required) and rng.random() < 0.3:
        return Sender()
    last_name, first_name = person_name(rng)
    phone = f"09{rng.randint(0, 99_999_999):08d}"
    email = ""
    if rng.random() < 0.25:
        email = f"{fold(first_name).replace(' ', '')}{rng.randint(70, 99)}@gmail.com"
    place = rng.choice(communes).name.split("Xã hội ", 1)[-1] if communes else ""
    address = f"{rng.choice(STREETS)}, {place}, tỉnh Hưng Yên" if place else ""
    return Sender(name=f"{last_name} {first_name}", phone=phone, email=email, address=address)


def _suffix(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_RANDOM_LENGTH))


# --- who handles feedback where ---------------------------------------------------------


class _Officers:
    """For each unit, the demo user handling its feedback: the one of the deepest unit
    above it (or of it) with `Perm.HANDLE_FEEDBACK`, reform officers before heads before
    the desk."""

    ORDER = {"reform_officer": 0, "unit_head": 1, "one_stop_desk": 2}

    def __init__(self, usernames):
        self.by_name = {u.username: u for u in get_user_model().objects.filter(username__in=list(usernames))}
        rows = (
            Membership.objects.filter(unit__closed_on__isnull=True)
            .exclude(user__username="admin")
            .select_related("user", "unit")
        )
        self.holders = sorted(
            (
                (m.unit.path, self.ORDER.get(m.role, 9), m.user.username, m.user)
                for m in rows
                if Perm.HANDLE_FEEDBACK in ROLE_PERMS.get(m.role, frozenset())
            ),
            key=lambda r: (-len(r[0]), r[1], r[2]),
        )
        self.cache: dict[int, object] = {}

    def of(self, unit: OrgUnit):
        if unit.pk not in self.cache:
            self.cache[unit.pk] = next(
                (user for path, *_r, user in self.holders if unit.path.startswith(path)), None
            )
        return self.cache[unit.pk]


# --- the year of feedback ---------------------------------------------------------------


def _stories(rng, kinds, department, communes, schools, officers, procedures) -> list[Story]:
    by_where: dict[str, list] = {"department": [], "commune": [], "school": []}
    for subject in SUBJECTS:
        by_where[subject[1]].append(subject)
    weights_commune = [6 if u.code == QUEUES["vangiang.cchc"] else 1 for u in communes]
    days = [START + dt.timedelta(days=i) for i in range((TODAY - START).days)]
    # Admissions and the start of the school year bring more feedback.
    day_weights = [1.8 if d.month in (6, 7, 8, 9) else 1.0 for d in days]
    cutoff = _cutoff()
    stories: list[Story] = []
    for _i in range(FEEDBACK_PER_YEAR):
        draw = rng.random()
        where = "department" if draw < 0.35 else "commune" if draw < 0.7 else "school"
        if where == "department":
            unit = department
        elif where == "commune":
            unit = rng.choices(communes, weights_commune)[0]
        else:
            unit = rng.choice(schools)
        subject = rng.choice(by_where[where])
        day = rng.choices(days, day_weights)[0]
        story = _story(rng, subject, where, unit, day, kinds, department, communes, officers, procedures)
        # Only the queues' feedback is still open: a story not over by the demo's morning
        # happened a month earlier.
        while story.steps[-1].at > cutoff:
            day -= dt.timedelta(days=30)
            story = _story(rng, subject, where, unit, day, kinds, department, communes, officers, procedures)
        stories.append(story)
    return stories + _queue_stories(rng, kinds, department, by_where, officers)


def _job_after(due: dt.datetime) -> dt.datetime:
    """The morning run of `cchc escalate_feedback` that finds `due` passed."""
    return dt.datetime.combine(_day(due) + dt.timedelta(days=1), dt.time(6, 0), tzinfo=VN_TZ)


def _day(at: dt.datetime) -> dt.date:
    return at.astimezone(VN_TZ).date()


def _cutoff() -> dt.datetime:
    """The demo's morning: nothing happened after it."""
    return dt.datetime.combine(TODAY, dt.time(8, 0), tzinfo=VN_TZ)


def _story(rng, subject, where, unit, day, kinds, department, communes, officers, procedures) -> Story:
    kind_code, _where, topic, content, answer = subject
    kind = kinds[kind_code]
    if rng.random() < 0.45:  # sent online: any hour, any day
        received = dt.datetime.combine(day, dt.time(rng.randint(6, 22), rng.randint(0, 59)), tzinfo=VN_TZ)
    else:
        received = _office_time(rng, add_working_days(day, 0))
    story = Story(
        kind=kind,
        unit=unit,
        topic=topic,
        content=content.format(unit=unit.name),
        sender=_sender(rng, kind, communes),
        received_at=received,
        code_suffix=_suffix(rng),
        wants_publication=rng.random() < 0.35,
        procedure=procedures.get(topic),
    )
    so = officers.by_name.get("so.cchc")
    if where != "department" and so is not None and rng.random() < 0.1:
        # Sent to the department first, which routes it to the unit concerned.
        story.unit = department
        routed = _later(rng, received, rng.randint(0, 2))
        story.steps.append(
            Step("route", routed, actor=so, unit=unit, text="Chuyển đơn vị có thẩm quyền trả lời.")
        )
    officer = officers.of(unit)
    assigned = _later(rng, story.steps[-1].at if story.steps else received, rng.randint(0, 1))
    draw = rng.random()
    if draw < 0.04:  # rejected, with the reason given to the sender
        if rng.random() < 0.5:
            story.steps.append(Step("assign", assigned, actor=officer, officer=officer))
        rejected = _later(rng, assigned, rng.randint(1, 3))
        story.steps.append(Step("reject", rejected, actor=officer, text=rng.choice(REJECTIONS)))
        return story
    story.steps.append(Step("assign", assigned, actor=officer, officer=officer))
    due = due_at_for(received_at=received, kind=kind)
    late = draw < (0.16 if where == "department" else 0.07)
    if late and where != "department":
        # Not answered by the due day: the next morning's job hands it to the parent.
        parent = unit.parent
        job = _job_after(due)
        story.steps.append(Step("escalate", job, unit=parent))
        officer = officers.of(parent)
        assigned = _later(rng, job, 0)
        story.steps.append(Step("assign", assigned, actor=officer, officer=officer))
        answered = _later(rng, assigned, rng.randint(1, 4))
    elif late:
        answered = _later(rng, due, rng.randint(1, 6))
    else:
        room = max(0, kind.deadline_days - 1)
        answered = _later(rng, assigned, rng.randint(min(2, room), room))
        if answered.date() > due.date():
            answered = max(assigned + dt.timedelta(minutes=30), _office_time(rng, due.date()))
    story.steps.append(Step("answer", answered, actor=officer, text=answer))
    if story.wants_publication and rng.random() < 0.7:
        published = _later(rng, answered, rng.randint(1, 3))
        if published <= _cutoff():
            story.steps.append(Step("publish", published, actor=officer))
    return story


def _queue_stories(rng, kinds, department, by_where, officers) -> list[Story]:
    """The open feedback of the demo's today: so.cchc's (two overdue, two escalated from
    the commune, the rest within the deadline) and vangiang.cchc's (within the deadline,
    one due today)."""
    vangiang = OrgUnit.objects.filter(code=QUEUES["vangiang.cchc"]).first()
    so, vg = officers.by_name.get("so.cchc"), officers.by_name.get("vangiang.cchc")
    stories = []

    def back(n: int) -> dt.date:
        day = TODAY
        for _step in range(n):
            day = previous_working_day(day)
        return day

    def story(unit, where, received_day) -> Story:
        kind_code, _w, topic, content, _answer = rng.choice(by_where[where])
        kind = kinds[kind_code]
        return Story(
            kind=kind,
            unit=unit,
            topic=topic,
            content=content.format(unit=unit.name),
            sender=_sender(rng, kind, [vangiang] if vangiang else []),
            received_at=_office_time(rng, received_day),
            code_suffix=_suffix(rng),
            wants_publication=rng.random() < 0.4,
        )

    # (unit, kind of unit, officer, (working days back, assigned?), the one with a note):
    # so.cchc's 12 and 11 back are overdue by now; vangiang.cchc's 10 back is due today.
    queues = []
    if so is not None:
        plan = ((12, True), (11, True), (9, True), (6, True), (2, False), (1, False))
        queues.append((department, "department", so, plan, 12, NOTES[1]))
    if vangiang is not None and vg is not None:
        plan = ((10, True), (5, True), (3, True), (1, False), (1, False))
        queues.append((vangiang, "commune", vg, plan, 5, NOTES[2]))
    for unit, where, officer, plan, noted, note in queues:
        for n, assigned in plan:
            item = story(unit, where, back(n))
            if assigned:
                item.steps.append(
                    Step("assign", _later(rng, item.received_at, 1), actor=officer, officer=officer)
                )
                if n == noted:
                    item.notes.append((_later(rng, item.received_at, 2), officer, note))
            stories.append(item)
    if vangiang is not None and vg is not None:
        # Two of the commune's were not answered in time: now the department's.
        for n in (14, 13):
            item = story(vangiang, "commune", back(n))
            item.steps.append(Step("assign", _later(rng, item.received_at, 1), actor=vg, officer=vg))
            due = due_at_for(received_at=item.received_at, kind=item.kind)
            job = _job_after(due)
            item.steps.append(Step("escalate", job, unit=department))
            if n == 14 and so is not None:
                item.steps.append(Step("assign", _later(rng, job, 0), actor=so, officer=so))
            stories.append(item)
    return stories


# --- surveys ------------------------------------------------------------------------------


@dataclass
class _Questions:
    """A template's questions with their option ids by code."""

    rows: list[SurveyQuestion]
    options: dict[str, dict[str, int]]
    by_code: dict[str, SurveyQuestion]

    @classmethod
    def of(cls, template: SurveyTemplate) -> _Questions:
        rows = list(template.questions.prefetch_related("options").order_by("position", "id"))
        return cls(
            rows=rows,
            options={q.code: {o.code: o.pk for o in q.options.all()} for q in rows},
            by_code={q.code: q for q in rows},
        )


SIPAS_TEXTS = [
    "Đề nghị niêm yết thủ tục bằng chữ to hơn, dễ đọc.",
    "Cán bộ một cửa hướng dẫn nhiệt tình, chu đáo.",
    "Mong được nhận kết quả qua bưu điện cho tiện.",
    "Nên có thêm ghế chờ và nước uống tại bộ phận một cửa.",
    "Hệ thống nộp hồ sơ trực tuyến đôi lúc bị chậm, đề nghị khắc phục.",
]
PARENT_TEXTS = [
    "Đề nghị nhà trường tăng cường giờ học tiếng Anh với giáo viên bản ngữ.",
    "Mong nhà trường lắp thêm quạt, điều hòa cho các phòng học tầng 2.",
    "Bữa ăn bán trú cần thêm rau xanh và hoa quả.",
    "Cảm ơn các thầy cô đã tận tình với các cháu.",
    "Đề nghị sân trường có thêm mái che để học sinh chơi ngày nắng.",
]


def _scale(rng: random.Random, p: float) -> str:
    if rng.random() < p:
        return "5" if rng.random() < 0.42 else "4"
    draw = rng.random()
    return "3" if draw < 0.75 else "2" if draw < 0.95 else "1"


def _pick(rng: random.Random, weights: list[float]) -> str:
    return str(rng.choices(range(1, len(weights) + 1), weights)[0])


def _sipas_answers(rng: random.Random, p: float) -> list[tuple[str, str, str]]:
    """(question code, option code, text) of one SIPAS 2023 respondent."""
    rows = [(f"C1.{i}", _pick(rng, [0.1, 0.45, 0.45]), "") for i in range(1, 9)]
    rows.append(("C2", _pick(rng, [0.12, 0.2, 0.12, 0.1, 0.2, 0.24, 0.02]), ""))
    rows.append(("C3", _pick(rng, [0.08, 0.05, 0.35, 0.32, 0.2]), ""))
    rows.append(("C4", _pick(rng, [0.82, 0.16, 0.02]), ""))
    rows.append(("C5", _pick(rng, [0.86, 0.13, 0.01]), ""))
    rows.append(("C6", _pick(rng, [0.3, 0.25, 0.45]), ""))
    rows.append(("C7", _pick(rng, [0.25, 0.35, 0.4]), ""))
    filed = rng.random() < 0.25
    for i, share in enumerate([0.55, 0.5, 0.7, 0.95, 0.25, 0.2, 0.15], start=1):
        rows.append((f"C8.{i}", "1" if (filed if i == 5 else rng.random() < share) else "2", ""))
    mood = rng.gauss(0, 0.04)
    for i in range(1, 34):
        if i >= 31 and not filed:
            continue  # the feedback criteria: only those who sent feedback answer them
        rows.append((f"C9.{i}", _scale(rng, min(0.995, p + mood)), ""))
    for code in ("C10.1", "C10.2", "C10.3", "C10.4", "C10.5", "C10.6", "C10.7", "C10.9", "C10.10"):
        rows.append((code, _pick(rng, [0.3, 0.45, 0.25]), ""))
    if rng.random() < 0.06:
        rows.append(("C11", "", rng.choice(SIPAS_TEXTS)))
    return rows


def _parent_answers(rng: random.Random, p: float) -> list[tuple[str, str, str]]:
    rows = [("TT1", _pick(rng, [1, 1, 1, 1, 1]), "")]
    rows += [("TT2", code, "") for code in sorted(set(rng.choices("123456", [5, 3, 6, 2, 2, 4], k=3)))]
    rows.append(("TT3", _pick(rng, [0.9, 0.04, 0.06]), ""))
    mood = rng.gauss(0, 0.04)
    for code in (
        "TC1", "TC2", "TC3", "TC4", "CS1", "CS2", "CS3", "CS4", "MT1", "MT2", "MT3",
        "HD1", "HD2", "HD3", "KQ1", "KQ2", "KQ3", "HL1",
    ):  # fmt: skip
        lower = 0.05 if code in ("MT3", "CS2") else 0.0  # meals and toilets: the usual complaints
        rows.append((code, _scale(rng, min(0.995, p + mood - lower)), ""))
    rows += [("DX1", code, "") for code in sorted(set(rng.choices("123456", [4, 2, 2, 3, 2, 2], k=2)))]
    if rng.random() < 0.08:
        rows.append(("DX2", "", rng.choice(PARENT_TEXTS)))
    return rows


class _Writer:
    """Responses (explicit ids) and their answers as tuples, written in bulk by the desk
    generator's table writer (executemany on SQLite, COPY on PostgreSQL): the same rows
    `surveys.response_submit` writes, two hundred thousand of them in a few seconds."""

    def __init__(self):
        self.responses = TableWriter(
            SurveyResponse, ["id", "campaign", "unit", "unit_path", "submitted_at", "channel", "dossier"]
        )
        self.answers = TableWriter(
            SurveyAnswer, ["response", "campaign", "unit_path", "question", "option", "text"]
        )

    def add(self, campaign, unit, at, rows, questions: _Questions, *, channel="link", dossier_id=None):
        response_id = self.responses.new_id()
        self.responses.add((response_id, campaign.pk, unit.pk, unit.path, at, channel, dossier_id))
        for code, option, text in rows:
            option_id = questions.options[code][option] if option else None
            self.answers.add(
                (response_id, campaign.pk, unit.path, questions.by_code[code].pk, option_id, text)
            )

    def flush(self) -> tuple[int, int]:
        self.responses.flush()  # before the answers: their foreign keys are checked at once
        self.answers.flush()
        return self.responses.written, self.answers.written


def _moment(rng: random.Random, first: dt.date, last: dt.date) -> dt.datetime:
    day = first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))
    return dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.randint(0, 59)), tzinfo=VN_TZ)


def _surveys(rng: random.Random, department: OrgUnit, creator) -> dict[str, int]:
    sipas = SurveyTemplate.objects.get(code="sipas-2023")
    parents = SurveyTemplate.objects.get(code="parents-primary")
    cutoff = _cutoff()

    def create(template, title, starts_on, ends_on, **options):
        created_on = starts_on - dt.timedelta(days=7)
        with mock.patch(
            "django.utils.timezone.now", return_value=_office_time(rng, previous_working_day(created_on))
        ):
            return surveys.campaign_create(
                actor=creator,
                template=template,
                unit=department,
                title=title,
                starts_on=starts_on,
                ends_on=ends_on,
                **options,
            )

    campaigns = [
        create(sipas, "Khảo sát sự hài lòng của người dân đối với ngành Giáo dục năm 2025",
               dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        create(sipas, "Khảo sát sự hài lòng của người dân đối với ngành Giáo dục năm 2026",
               dt.date(2026, 1, 1), dt.date(2026, 12, 31), per_dossier=True),
        create(parents, "Khảo sát sự hài lòng của cha mẹ học sinh tiểu học năm học 2025 – 2026",
               dt.date(2025, 9, 15), dt.date(2026, 5, 31), min_answers=20),
        create(parents, "Khảo sát sự hài lòng của cha mẹ học sinh tiểu học năm học 2026 – 2027",
               dt.date(2026, 9, 14), dt.date(2027, 5, 31), min_answers=20),
    ]  # fmt: skip
    sipas_q, parents_q = _Questions.of(sipas), _Questions.of(parents)
    writer = _Writer()
    satisfaction: dict[int, float] = {}

    def p_of(unit) -> float:
        return satisfaction.setdefault(unit.pk, rng.uniform(0.87, 0.96))

    # SIPAS 2025: the department all year, the district offices until 30/06, the
    # communes from 01/07, by link and on paper.
    year = campaigns[0]
    units = OrgUnit.objects.filter(
        path__startswith=department.path,
        kind__in=[UnitKind.DEPARTMENT, UnitKind.DISTRICT_OFFICE, UnitKind.COMMUNE_OFFICE],
    ).order_by("pk")
    for unit in units:
        first = max(year.starts_on, unit.opened_on or year.starts_on)
        last = min(year.ends_on, unit.closed_on or year.ends_on)
        if first > last:
            continue
        count = 260 if unit.kind == UnitKind.DEPARTMENT else rng.randint(8, 26)
        surveys.link_for(campaign=year, unit=unit)
        for _response in range(count):
            channel = "paper" if rng.random() < 0.3 else "link"
            writer.add(
                year,
                unit,
                _moment(rng, first, last),
                _sipas_answers(rng, p_of(unit)),
                sipas_q,
                channel=channel,
            )

    # SIPAS 2026, one response per dossier: the dossiers returned in 2026 until today.
    year = campaigns[1]
    low = dt.datetime.combine(year.starts_on, dt.time.min, tzinfo=VN_TZ)
    year_end = dt.datetime.combine(year.ends_on, dt.time(23, 0), tzinfo=VN_TZ)
    returned = list(
        Dossier.objects.filter(
            unit_path__startswith=department.path,
            status=DossierStatus.RETURNED,
            returned_at__gte=low,
            returned_at__lt=cutoff - dt.timedelta(days=1),
        )
        .order_by("pk")
        .values_list("pk", "unit_id", "returned_at")
    )
    chosen = rng.sample(returned, min(len(returned), 1100))
    unit_of = OrgUnit.objects.in_bulk({u for _pk, u, _at in chosen})
    for dossier_id, unit_id, returned_at in sorted(chosen):
        unit = unit_of[unit_id]
        at = min(returned_at + dt.timedelta(hours=rng.randint(0, 96)), cutoff, year_end)
        channel = "receipt" if rng.random() < 0.75 else "link"
        writer.add(
            year, unit, at, _sipas_answers(rng, p_of(unit)), sipas_q, channel=channel, dossier_id=dossier_id
        )
    for unit_id in unit_of:
        surveys.link_for(campaign=year, unit=unit_of[unit_id])

    # The parents' surveys: a sample of the primary schools, a few below the minimum.
    primaries = list(
        OrgUnit.objects.filter(
            path__startswith=department.path, school_level=SchoolLevel.PRIMARY, closed_on__isnull=True
        ).order_by("pk")
    )
    for campaign, share, sizes in ((campaigns[2], 0.25, (8, 55)), (campaigns[3], 0.12, (5, 30))):
        last = min(campaign.ends_on, (cutoff - dt.timedelta(days=1)).date())
        first = max(campaign.starts_on, last - dt.timedelta(days=60))  # answered in the last weeks
        for school in primaries:
            if rng.random() >= share:
                continue
            for _response in range(rng.randint(*sizes)):
                writer.add(
                    campaign, school, _moment(rng, first, last), _parent_answers(rng, p_of(school)), parents_q
                )
    responses, answers = writer.flush()
    return {"campaigns": len(campaigns), "responses": responses, "answers": answers}


# --- the demo -------------------------------------------------------------------------


@dataclass
class FeedbackDemo:
    feedback: int
    open: int
    campaigns: int
    responses: int
    answers: int
    seconds: float

    def line(self) -> str:
        return (
            f"Phản ánh, kiến nghị: {self.feedback:,} từ {START:%d/%m/%Y} đến {TODAY:%d/%m/%Y}, {self.open} "
            f"đang chờ xử lý của so.cchc và vangiang.cchc; khảo sát: {self.campaigns} đợt, "
            f"{self.responses:,} phiếu, {self.answers:,} câu trả lời — {self.seconds:.1f} giây."
        )


def load_demo(*, seed: int = 2025) -> FeedbackDemo | None:
    """The year of feedback and the survey campaigns (None when the demo province is
    missing or already has feedback)."""
    started = time.perf_counter()
    department = OrgUnit.objects.filter(code="SGD-HY").first()
    if department is None or Feedback.objects.exists():
        return None
    rng = random.Random(seed)
    kinds = {k.code: k for k in FeedbackKind.objects.filter(is_active=True)}
    open_units = OrgUnit.objects.filter(path__startswith=department.path, closed_on__isnull=True)
    communes = list(open_units.filter(kind=UnitKind.COMMUNE_OFFICE).order_by("pk"))
    schools = list(open_units.filter(kind=UnitKind.SCHOOL).order_by("pk"))
    officers = _Officers(QUEUES)
    procedures = _procedures()
    stories = _stories(rng, kinds, department, communes, schools, officers, procedures)
    stories.sort(key=lambda s: s.received_at)

    next_id = (Feedback.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    rows, events, notes = [], [], []
    codes: set[str] = set()
    for offset, story in enumerate(stories):
        while feedback_code(day=story.received_at.date(), suffix=story.code_suffix) in codes:
            story.code_suffix = _suffix(rng)
        feedback, story_events = build_feedback(story, pk=next_id + offset)
        codes.add(feedback.code)
        rows.append(feedback)
        events.extend(story_events)
        notes.extend(FeedbackNote(feedback=feedback, author=a, at=at, text=t) for at, a, t in story.notes)
    Feedback.objects.bulk_create(rows, batch_size=1000)
    FeedbackEvent.objects.bulk_create(events, batch_size=2000)
    FeedbackNote.objects.bulk_create(notes)
    creator = officers.by_name.get("so.cchc")
    figures = _surveys(rng, department, creator)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Feedback, SurveyResponse]):
                cursor.execute(sql)
    return FeedbackDemo(
        feedback=len(rows),
        open=sum(1 for f in rows if f.closed_at is None),
        seconds=time.perf_counter() - started,
        **figures,
    )


def _procedures() -> dict[str, object]:
    """The catalogue's procedure a topic is about, where there is one."""
    from cchc.dossiers.models import Procedure

    hints = {
        "Cấp bản sao bằng tốt nghiệp THCS từ sổ gốc": "bản sao văn bằng",
        "Thời hạn chỉnh sửa nội dung văn bằng": "chỉnh sửa nội dung văn bằng",
        "Hồ sơ chuyển trường cho học sinh THCS": "chuyển trường",
    }
    found = {}
    for topic, hint in hints.items():
        procedure = Procedure.objects.filter(name__icontains=hint, is_active=True).order_by("pk").first()
        if procedure is not None:
            found[topic] = procedure
    return found

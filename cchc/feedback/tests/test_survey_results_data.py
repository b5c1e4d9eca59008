"""The hand-computed survey fixture shared by the survey results tests (no tests here).

A tiny questionnaire, so that every figure can be computed by hand:

    area A "Tiếp cận" (satisfaction): Q1, Q2 (5-level scale)
    area B "Cơ sở vật chất" (satisfaction): Q3
    area O (overall): H — scored on its own, not in the survey index
    perception: M (multiple choice, options 1..3); expectation: T (free text)

The campaign is organised by office A (Phòng GD&ĐT Văn Giang) over its two schools,
1 Oct – 30 Nov 2026, at least 5 answers to be ranked. 12 responses:

School A1 (8 responses)                 School A2 (4 responses)
  Q1: 5 5 4 4 4 3 2 –  -> 5/7             Q1: 3 3 3 5 -> 1/4
  Q2: 4 4 4 4 4 4 3 3  -> 6/8 = 3/4       Q2: 1 2 4 5 -> 2/4 = 1/2
  Q3: 5 5 5 5 4 4 1 1  -> 6/8 = 3/4       Q3: 3 3 3 3 -> 0/4 = 0
  A = (5/7 + 3/4)/2 = 41/56               A = (1/4 + 1/2)/2 = 3/8
  B = 3/4                                 B = 0
  index = (41/56 + 3/4)/2 = 83/112        index = (3/8 + 0)/2 = 3/16 = 18,75 %
        = 74,11 %                         4 < 5 answers: "chưa đủ số phiếu"

Office A (roll-up of the raw counts, 12 respondents)
  Q1: (5+1)/(7+4) = 6/11; Q2: (6+2)/12 = 2/3; Q3: (6+0)/12 = 1/2
  A = (6/11 + 2/3)/2 = 20/33; B = 1/2
  index = (20/33 + 1/2)/2 = 73/132 = 55,30 %
  — not the mean of the schools' indexes: (83/112 + 3/16)/2 = 13/28 = 46,43 %.

H (overall): A1: 5 4 4 4 3 3 3 3 (4/8), A2: 4 4 4 4 (4/4) -> office 8/12 = 66,67 %.
M (A1 only): 1+2, 1, 1+3, 2, –, 1+2+3, 1, –  -> answered 6; option 1: 5 (83,33 %),
  option 2: 3 (50 %), option 3: 2 (33,33 %): shares add up to 166,67 %.
A1's first 4 responses are in October, the other 8 responses in November.
A previous campaign of the same template (2025) got 2 responses at A1, all satisfied.
"""

from __future__ import annotations

import datetime as dt

from cchc.feedback import surveys
from cchc.feedback.questionnaires import SCALE5, Area, Option, Question, Questionnaire
from cchc.feedback.surveys_sync import template_sync
from cchc.workdays.calendar import VN_TZ

TINY = Questionnaire(
    code="tiny-test",
    title="Phiếu thử",
    source="test",
    areas=(
        Area("info", "Thông tin chung", "perception"),
        Area("A", "Tiếp cận", "satisfaction"),
        Area("B", "Cơ sở vật chất", "satisfaction"),
        Area("O", "Hài lòng nói chung", "overall"),
        Area("X", "Ý kiến", "expectation"),
    ),
    questions=(
        Question(
            "M",
            "Kênh thông tin",
            "multiple",
            "info",
            (Option("1", "Họp"), Option("2", "Tin nhắn"), Option("3", "Bảng tin")),
        ),
        Question("Q1", "Thủ tục nhập học thuận tiện", "scale5", "A", SCALE5),
        Question("Q2", "Công khai các khoản thu", "scale5", "A", SCALE5),
        Question("Q3", "Phòng học an toàn", "scale5", "B", SCALE5),
        Question("H", "Nhìn chung hài lòng", "scale5", "O", SCALE5),
        Question("T", "Ý kiến khác", "text", "X"),
    ),
)


def _rows(q1, q2, q3, h):
    return [{"Q1": a, "Q2": b, "Q3": c, "H": d} for a, b, c, d in zip(q1, q2, q3, h, strict=True)]


def a1_answers() -> list[dict]:
    rows = _rows("5544432-", "44444433", "55554411", "54443333")
    for row, ticks in zip(rows, ["12", "1", "13", "2", "", "123", "1", ""], strict=True):
        row["M"] = list(ticks)
    rows[0]["T"] = "Cần trồng thêm cây xanh"
    return rows


def a2_answers() -> list[dict]:
    rows = _rows("3335", "1245", "3333", "4444")
    rows[0]["T"] = "Nhà vệ sinh cần sửa chữa"
    return rows


def vn(y, mo, d, h=9, mi=0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=VN_TZ)


def make_campaign(template, unit, *, starts_on, ends_on, min_answers=5, title="Khảo sát sự hài lòng"):
    return surveys.campaign_create(
        actor=None,
        template=template,
        unit=unit,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        min_answers=min_answers,
    )


def submit(campaign, unit, answers: dict, at: dt.datetime, channel="link"):
    """A response through the public form's service, at a past time."""
    link = surveys.link_for(campaign=campaign, unit=unit)
    kept = {code: value for code, value in answers.items() if value not in ("-", "", [], None)}
    return surveys.response_submit(token=link.token, answers=kept, channel=channel, submitted_at=at)


def build(province):
    """The campaign of the module docstring; returns (template, campaign, previous campaign)."""
    template = template_sync(TINY)
    campaign = make_campaign(
        template, province.office_a, starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 11, 30)
    )
    for i, answers in enumerate(a1_answers()):
        at = vn(2026, 10, 5 + i) if i < 4 else vn(2026, 11, 2 + i)
        submit(campaign, province.school_a1, answers, at, channel="paper" if i == 7 else "link")
    for i, answers in enumerate(a2_answers()):
        submit(campaign, province.school_a2, answers, vn(2026, 11, 20 + i))
    previous = make_campaign(
        template,
        province.office_a,
        starts_on=dt.date(2025, 10, 1),
        ends_on=dt.date(2025, 11, 30),
        title="Khảo sát sự hài lòng 2025",
    )
    for i in range(2):
        submit(
            previous, province.school_a1, {"Q1": "5", "Q2": "4", "Q3": "4", "H": "5"}, vn(2025, 10, 10 + i)
        )
    return template, campaign, previous

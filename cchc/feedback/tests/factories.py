"""Feedback for tests: the seeded kinds, a submit helper and Vietnamese times."""

from __future__ import annotations

import datetime as dt

from cchc.workdays.calendar import VN_TZ

from .. import services
from ..models import FeedbackKind


def vn(y, m, d, hh=9, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


def kind(code: str = "suggestion") -> FeedbackKind:
    return FeedbackKind.objects.get(code=code)


def submit(unit, *, at=None, kind_code="suggestion", wants_publication=False, **fields):
    values = {
        "topic": "Thời gian tiếp nhận hồ sơ tuyển sinh",
        "content": "Đề nghị kéo dài giờ tiếp nhận hồ sơ tuyển sinh lớp 1 đến 17 giờ.",
        "sender": services.Sender(name="Trần Thị Bình", phone="0912 345 678"),
    }
    values.update(fields)
    return services.feedback_submit(
        kind=kind(kind_code), unit=unit, received_at=at, wants_publication=wants_publication, **values
    )


def answer(feedback, officer, *, at, text="Cơ quan đã tiếp thu và điều chỉnh giờ tiếp nhận."):
    """Assign to `officer` an hour after receipt (or at `at` if earlier), then answer."""
    assign_at = min(feedback.received_at + dt.timedelta(hours=1), at)
    services.feedback_assign(actor=officer, feedback=feedback, officer=officer, at=assign_at)
    return services.feedback_answer(actor=officer, feedback=feedback, answer=text, at=at)

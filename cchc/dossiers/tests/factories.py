"""Procedures and dossiers for tests."""

from __future__ import annotations

import datetime as dt
import itertools

from cchc.workdays.calendar import VN_TZ

from .. import services
from ..models import OnlineMode, Procedure, ProcedureLevel

_counter = itertools.count(1)

FOUR_STEPS = [
    {"name": "Tiếp nhận hồ sơ", "share": 10},
    {"name": "Thẩm định hồ sơ", "share": 60},
    {"name": "Lãnh đạo phê duyệt", "share": 20},
    {"name": "Trả kết quả", "share": 10},
]


def make_procedure(**fields) -> Procedure:
    n = next(_counter)
    values = {
        "code": f"1.00{n:04d}",
        "name": f"Cấp bản sao văn bằng, chứng chỉ từ sổ gốc ({n})",
        "field": "Văn bằng, chứng chỉ",
        "level": ProcedureLevel.DISTRICT,
        "processing_days": 5,
        "fee": "Không",
        "online_mode": OnlineMode.FULL,
        "steps": FOUR_STEPS,
        "documents": ["Đơn đề nghị cấp bản sao", "Bản chụp căn cước công dân"],
    }
    values.update(fields)
    return Procedure.objects.create(**values)


def vn(y, m, d, hh=9, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


def receive(unit, procedure, *, actor=None, at=None, channel="desk", name="Nguyễn Văn An", **kw):
    return services.dossier_receive(
        actor=actor,
        unit=unit,
        procedure=procedure,
        applicant=services.Applicant(name=name, phone="0912345678"),
        channel=channel,
        received_at=at,
        **kw,
    )

"""Reads of the public pages: the procedure catalogue, and one dossier's public status.

The status page is read through `dossier_public_status`, which copies out only what the
applicant may be shown to anyone holding the code: the procedure, the receiving unit,
the dates, the state in plain words, the public timeline (event labels and dates, what
to supplement, new appointments) and the masked name. The template never sees the
dossier itself, so no officer's name, internal note, phone number or address can slip
into the page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core.privacy import mask_name
from cchc.core.text import fold
from cchc.dossiers.models import (
    ApologyLetter,
    Channel,
    Dossier,
    DossierStatus,
    EventKind,
    Procedure,
    ReturnMethod,
)
from cchc.orgs.models import OrgUnit
from cchc.workdays.calendar import VN_TZ

PAGE_SIZE = 20
# What a dossier code can look like: letters, digits, dots and hyphens (unit code,
# date, number, random block). Anything else is refused before the database is asked.
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{5,39}$")


# ---- procedures ------------------------------------------------------------------------


def procedure_search(*, query: str = "", level: str = "", field: str = "") -> QuerySet[Procedure]:
    """Procedures in force, matching every word of `query` without regard to diacritics
    or case ("cap ban sao" finds "Cấp bản sao …"; the code matches too)."""
    procedures = Procedure.objects.filter(is_active=True)
    for word in fold(query).split()[:10]:
        procedures = procedures.filter(name_folded__contains=word)
    if level:
        procedures = procedures.filter(level=level)
    if field:
        procedures = procedures.filter(field=field)
    return procedures.order_by("level", "field", "name").only(
        "code", "name", "field", "level", "processing_days", "online_mode", "fee", "postal_return"
    )


def procedure_page(procedures: QuerySet[Procedure], number) -> Page:
    return Paginator(procedures, PAGE_SIZE).get_page(number)


def procedure_fields() -> list[str]:
    return list(
        Procedure.objects.filter(is_active=True).order_by("field").values_list("field", flat=True).distinct()
    )


def portal_owner_name() -> str:
    """The name the public pages carry: the top unit of the tree (the department, or the
    ministry of a national deployment)."""
    name = (
        OrgUnit.objects.filter(parent__isnull=True, closed_on__isnull=True)
        .order_by("depth", "path")
        .values_list("name", flat=True)
        .first()
    )
    return name or ""


# ---- dossier status ----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicEvent:
    at: dt.datetime
    label: str
    detail: str = ""


@dataclass(frozen=True)
class PublicStatus:
    code: str
    procedure_code: str
    procedure_name: str
    unit_name: str
    applicant: str  # masked
    received_at: dt.datetime
    due_at: dt.datetime
    new_due_at: dt.datetime | None  # promised by an apology letter
    status: str
    state: str  # the state in a plain sentence
    supplement: str  # what to supplement, while the dossier waits for it
    result_return: str  # how the result is (or will be) handed over
    returned_at: dt.datetime | None
    events: list[PublicEvent]

    @property
    def is_open(self) -> bool:
        return self.status in (DossierStatus.IN_PROGRESS, DossierStatus.SUPPLEMENT)


def normalize_code(raw: str) -> str:
    return "".join((raw or "").split())


def dossier_public_status(code: str) -> PublicStatus | None:
    """The public view of the dossier with this code, or None.

    A malformed code and an unknown one take the same path — one indexed lookup — so
    neither the answer nor its timing says which it was.
    """
    code = normalize_code(code)
    wanted = [code, code.upper()] if CODE_RE.match(code) else [""]
    dossier = (
        Dossier.objects.filter(code__in=wanted)
        .select_related("procedure", "unit")
        .only(
            "code",
            "status",
            "channel",
            "applicant_name",
            "received_at",
            "due_at",
            "return_method",
            "returned_at",
            "procedure__code",
            "procedure__name",
            "procedure__postal_return",
            "unit__name",
        )
        .first()
    )
    if dossier is None:
        return None
    events = list(dossier.events.only("at", "kind", "note", "data").order_by("at", "id"))
    letters = ApologyLetter.objects.filter(dossier=dossier).only("new_due_at")
    letter = letters.order_by("-created_at", "-id").first()
    supplement = ""
    if dossier.status == DossierStatus.SUPPLEMENT:
        pause = dossier.pauses.filter(completed_at__isnull=True).only("reason").first()
        supplement = pause.reason if pause else ""
    return PublicStatus(
        code=dossier.code,
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure.name,
        unit_name=dossier.unit.name,
        applicant=mask_name(dossier.applicant_name),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        new_due_at=letter.new_due_at if letter else None,
        status=dossier.status,
        state=_state(dossier),
        supplement=supplement,
        result_return=_result_return(dossier),
        returned_at=dossier.returned_at,
        events=[_public_event(event) for event in events],
    )


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return f"{dt.datetime.fromisoformat(value).astimezone(VN_TZ):%d/%m/%Y}"
    except (TypeError, ValueError):
        return ""


_CHANNEL_TEXT = {
    Channel.DESK: gettext_lazy("Nộp trực tiếp tại Bộ phận Một cửa"),
    Channel.ONLINE: gettext_lazy("Nộp trực tuyến"),
    Channel.POST: gettext_lazy("Nộp qua dịch vụ bưu chính"),
}


def _public_event(event) -> PublicEvent:
    """The event's public label and, for some kinds, one public detail; never the
    officer, the unit handling it internally or a free-text note (except what the
    applicant is asked to supplement, which is written for them)."""
    data = event.data or {}
    detail = ""
    if event.kind == EventKind.RECEIVED:
        detail = str(_CHANNEL_TEXT.get(data.get("channel"), ""))
    elif event.kind == EventKind.HANDED_OVER:
        detail = str(data.get("step") or "")
    elif event.kind == EventKind.SUPPLEMENT_REQUESTED:
        detail = _("Cần bổ sung: %(what)s") % {"what": event.note} if event.note else ""
    elif event.kind == EventKind.SUPPLEMENT_COMPLETED and _date(data.get("due_at")):
        detail = _("Ngày hẹn trả kết quả mới: %(date)s") % {"date": _date(data.get("due_at"))}
    elif event.kind == EventKind.APOLOGY_SENT and _date(data.get("new_due_at")):
        detail = _("Hẹn lại ngày trả kết quả: %(date)s") % {"date": _date(data.get("new_due_at"))}
    elif event.kind == EventKind.RETURNED and data.get("method") in ReturnMethod.values:
        detail = str(ReturnMethod(data["method"]).label)
    return PublicEvent(at=event.at, label=str(EventKind(event.kind).label), detail=detail)


def _state(dossier: Dossier) -> str:
    status = dossier.status
    if status == DossierStatus.IN_PROGRESS:
        return _("Hồ sơ đang được giải quyết.")
    if status == DossierStatus.SUPPLEMENT:
        return _(
            "Hồ sơ cần bổ sung, hoàn thiện. Thời hạn giải quyết được tính lại khi cơ quan nhận đủ "
            "hồ sơ bổ sung."
        )
    if status == DossierStatus.RESOLVED:
        return _("Đã có kết quả giải quyết. Mời Ông/Bà nhận kết quả theo hình thức dưới đây.")
    if status == DossierStatus.RETURNED:
        return _("Đã trả kết quả cho Ông/Bà.")
    if status == DossierStatus.REFUSED:
        return _(
            "Hồ sơ không được giải quyết. Lý do được ghi trong văn bản cơ quan đã gửi Ông/Bà; "
            "Ông/Bà có thể liên hệ Bộ phận Một cửa để được hướng dẫn."
        )
    return _("Ông/Bà đã rút hồ sơ.")


def _result_return(dossier: Dossier) -> str:
    if dossier.return_method:
        return str(ReturnMethod(dossier.return_method).label)
    if dossier.channel == Channel.POST:
        return _("Qua dịch vụ bưu chính công ích, về địa chỉ Ông/Bà đã đăng ký.")
    if dossier.channel == Channel.ONLINE:
        text = _("Trực tuyến, trên tài khoản Ông/Bà đã dùng để nộp hồ sơ.")
    else:
        text = _("Tại Bộ phận Một cửa — %(unit)s.") % {"unit": dossier.unit.name}
    if dossier.procedure.postal_return:
        text += " " + _("Ông/Bà có thể đăng ký nhận kết quả qua dịch vụ bưu chính công ích.")
    return text

"""The one-stop desk's printed forms, in the Decree 30/2020 layout of `documents.official`.

* `receipt_docx` — "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (Mẫu số 01 of Circular
  03/2025/TT-VPCP for dossiers received from 01/07/2025; Mẫu số 01 of Circular
  01/2018/TT-VPCP before), with a QR code of the dossier's public status page (Circular
  01/2018 art. 19(2): a barcode or QR code may go with the dossier code).
* `apology_letter_docx` — "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
  (Mẫu số 04, Circular 03/2025); "Phiếu xin lỗi và hẹn lại ngày trả kết quả" (Mẫu số 04,
  Circular 01/2018).
* `control_sheet_docx` — "Phiếu kiểm soát quá trình giải quyết hồ sơ" (Mẫu số 06,
  Circular 03/2025; Mẫu số 05, Circular 01/2018): one row per hand-over.

Which circular applies is the dossier's ruleset (the decree in force on the day of
receipt, `rules.ruleset_for`). The fields follow the 2018 forms as published (the
receipt: who lodged it, the request, the documents, how many sets, the legal time, when
received, when the result is due, where it is collected, the register's number; the
control sheet: the agency, the time of each hand-over, early / on time / late, notes).
The 2025 forms' annex text was not read: their titles are used and the 2018 fields kept
(see docs/law/one-stop.md, "unverified").
"""

from __future__ import annotations

import datetime as dt
import io
import re

import segno
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from cchc.documents import ooxml
from cchc.documents.official import Bullet, OfficialDocument, Paragraph, Run, Signature, Table
from cchc.documents.spreadsheets import xml_safe
from cchc.orgs.models import OrgUnit
from cchc.plans.docx_export import issuer_lines, plan_signature
from cchc.workdays.calendar import VN_TZ

from . import rules
from .models import ApologyLetter, Channel, Dossier, DossierStatus

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The paragraph the QR code replaces once the document is rendered.
_QR_MARK = "\u2063QR\u2063"
QR_WIDTH_CM = 2.6
CAPTION_PT = 11  # the captions under two QR codes

_PLACE_RE = re.compile(
    r"^(?:UBND|Ủy ban nhân dân)\s+(?:tỉnh|thành phố|TP\.?|huyện|quận|thị xã|xã|phường|đặc khu)\s+(.+)$",
    re.I,
)

_OUTCOME_TEXT = {rules.EARLY: "Trước hạn", rules.ON_TIME: "Đúng hạn", rules.LATE: "Quá hạn"}


# ---- the parts every form shares ------------------------------------------------------


def _is_2025(dossier: Dossier) -> bool:
    return dossier.ruleset == rules.DECREE_118.code


def _desk_name(dossier: Dossier) -> str:
    # Decree 118/2025 names it "Bộ phận Một cửa"; Decree 61/2018's forms "Bộ phận tiếp
    # nhận và trả kết quả".
    return "Bộ phận Một cửa" if _is_2025(dossier) else "Bộ phận Tiếp nhận và Trả kết quả"


def _place(unit: OrgUnit) -> str:
    """Where the document is issued: the place of the people's committee above the unit
    or its nearest ancestor ("UBND huyện Văn Giang" → "Văn Giang", also for a school of
    that district), else the unit's own name."""
    for owner in (unit, *_ancestors(unit)):
        match = _PLACE_RE.match(issuer_lines(owner)[0] or "")
        if match:
            return match.group(1).strip()
    return unit.name


def _ancestors(unit: OrgUnit) -> list[OrgUnit]:
    out, current = [], unit.parent
    while current is not None and len(out) < 10:
        out.append(current)
        current = current.parent
    return out


def _local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(VN_TZ)


def _date(value: dt.datetime) -> str:
    return f"{_local(value):%d/%m/%Y}"


def _moment(value: dt.datetime) -> str:
    """ "09 giờ 30 phút, ngày 24/01/2025", as the forms write a time."""
    local = _local(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def _short_moment(value: dt.datetime | None) -> str:
    return f"{_local(value):%H:%M %d/%m/%Y}" if value else ""


def _person(user) -> str:
    if user is None:
        return ""
    from cchc.orgs.templatetags.orgs_tags import person_name

    return person_name(user)


def _sequence(dossier: Dossier) -> str:
    """The dossier's number in the day's register: the XXXX of <unit>-YYMMDD-XXXX[-random]."""
    parts = dossier.code.rsplit("-", 3)
    for part in reversed(parts[1:]):
        if part.isdigit() and len(part) == 4:
            return part
    return ""


def _return_place(dossier: Dossier) -> str:
    if dossier.channel == Channel.POST:
        return "Qua dịch vụ bưu chính công ích, theo địa chỉ người nộp hồ sơ đã đăng ký"
    if dossier.channel == Channel.ONLINE:
        desk = _desk_name(dossier)
        return f"Trực tuyến, trên tài khoản nộp hồ sơ (bản giấy nhận tại {desk} nếu có yêu cầu)"
    return f"{_desk_name(dossier)} — {dossier.unit.name}"


def _qr_png(url: str) -> bytes:
    """The QR code of `url` as a PNG: error correction M (15 %) survives a crumpled receipt."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def _finish(
    docx_bytes: bytes,
    *,
    qr_png: bytes | list[bytes] | None = None,
    applicant_signature: str | None = None,
    receiver_hint: bool = False,
) -> bytes:
    """What the shared layout cannot say: the QR code(s) in place of its mark (several
    side by side), the applicant's signature block left of the receiver's, "(Ký và ghi
    rõ họ tên)"."""
    document = Document(io.BytesIO(docx_bytes))
    if qr_png is not None:
        pngs = [qr_png] if isinstance(qr_png, bytes) else list(qr_png)
        for paragraph in document.paragraphs:
            if paragraph.text == _QR_MARK:
                for run in paragraph.runs:
                    run.text = ""
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.paragraph_format.first_line_indent = Cm(0)
                for index, png in enumerate(pngs):
                    run = paragraph.runs[0] if index == 0 else paragraph.add_run()
                    if index:
                        run.add_text("\u2003" * 6)  # a gap between the codes
                    run.add_picture(io.BytesIO(png), width=Cm(QR_WIDTH_CM))
                if len(pngs) > 1:  # the captions of several codes (`_receipt_qr_lines`)
                    paragraphs = document.paragraphs
                    start = next(i for i, p in enumerate(paragraphs) if p._p is paragraph._p) + 1
                    for caption in paragraphs[start : start + len(pngs) + 1]:
                        for caption_run in caption.runs:
                            caption_run.font.size = Pt(CAPTION_PT)
                break
    if applicant_signature is not None or receiver_hint:
        left, right = document.tables[-1].rows[0].cells
        if applicant_signature is not None:
            first = left.paragraphs[0]
            first.alignment = WD_ALIGN_PARAGRAPH.CENTER
            ooxml.set_run_font(first.add_run("NGƯỜI NỘP HỒ SƠ"), size=14, bold=True)
            hint = left.add_paragraph()
            hint.alignment = WD_ALIGN_PARAGRAPH.CENTER
            ooxml.set_run_font(hint.add_run("(Ký và ghi rõ họ tên)"), size=13, italic=True)
            for _ in range(3):
                left.add_paragraph()
            name = left.add_paragraph()
            name.alignment = WD_ALIGN_PARAGRAPH.CENTER
            ooxml.set_run_font(name.add_run(xml_safe(applicant_signature)), size=14, bold=True)
        if receiver_hint:
            hint = right.paragraphs[1]
            hint.alignment = WD_ALIGN_PARAGRAPH.CENTER
            ooxml.set_run_font(hint.add_run("(Ký và ghi rõ họ tên)"), size=13, italic=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---- Mẫu 01: the receipt ------------------------------------------------------------------


SURVEY_LINE = "Quét mã để đánh giá mức độ hài lòng"


def _receipt_qr_lines(status_url: str, survey_url: str | None) -> list[Paragraph]:
    """The caption under the QR code(s): the status page's, and the satisfaction
    survey's when one is printed beside it (a per-dossier campaign open that day)."""
    if not survey_url:
        return [
            Paragraph(
                f"Tra cứu tình trạng hồ sơ: quét mã QR hoặc vào {status_url}",
                italic=True,
                align="center",
                indent=False,
            )
        ]
    # Three short lines, set in 11 pt by `_finish`: the receipt stays on one page. The
    # survey's printed address leaves out "?dossier=<code>" (the code carries it; typed by
    # hand, the form asks for the dossier's code, printed above): with it the line was a
    # page-width long and a wider random code or a longer domain pushed the signatures
    # onto a second page.
    return [
        Paragraph(
            f"Mã bên trái — tra cứu tình trạng hồ sơ: {status_url}", italic=True, align="center", indent=False
        ),
        Paragraph(
            [Run(f"Mã bên phải — {SURVEY_LINE}:", bold=True)], italic=True, align="center", indent=False
        ),
        Paragraph(printed_survey_url(survey_url), italic=True, align="center", indent=False),
    ]


def printed_survey_url(survey_url: str) -> str:
    """The survey's address as printed under its code: without the dossier parameter."""
    return survey_url.split("?", 1)[0]


def receipt_document(dossier: Dossier, *, status_url: str, survey_url: str | None = None) -> OfficialDocument:
    unit = dossier.unit
    desk = _desk_name(dossier)
    sequence = _sequence(dossier)
    contact = [
        f"Địa chỉ: {dossier.applicant_address or '…'}",
        f"Điện thoại: {dossier.applicant_phone or '…'}",
    ]
    if dossier.applicant_email:
        contact.append(f"Thư điện tử: {dossier.applicant_email}")
    documents = list(dossier.documents) or list(dossier.procedure.documents)
    body = [
        Paragraph(
            [f"{desk} — {unit.name} tiếp nhận hồ sơ của: ", Run(dossier.applicant_name, bold=True)],
            indent=False,
        ),
        Paragraph("; ".join(contact), indent=False),
        Paragraph(f"Thủ tục hành chính: {dossier.procedure.code} — {dossier.procedure.name}", indent=False),
        *(
            [Paragraph(f"Nội dung yêu cầu giải quyết: {dossier.subject}", indent=False)]
            if dossier.subject
            else []
        ),
        Paragraph("1. Thành phần hồ sơ nộp gồm:", indent=False),
        *[Paragraph(f"{index}. {name}") for index, name in enumerate(documents, start=1)],
        Paragraph("2. Số lượng hồ sơ: 01 (bộ).", indent=False),
        Paragraph(
            f"3. Thời gian giải quyết hồ sơ theo quy định: {dossier.processing_days:02d} ngày làm việc.",
            indent=False,
        ),
        Paragraph(f"4. Thời gian nhận hồ sơ: {_moment(dossier.received_at)}.", indent=False),
        Paragraph(
            ["5. Thời gian trả kết quả giải quyết hồ sơ: ", Run(f"{_moment(dossier.due_at)}.", bold=True)],
            indent=False,
        ),
        Paragraph(f"6. Đăng ký nhận kết quả tại: {_return_place(dossier)}.", indent=False),
        Paragraph(
            f"Vào Sổ theo dõi hồ sơ ngày {_date(dossier.received_at)}, số thứ tự: {sequence or '…'}.",
            italic=True,
            indent=False,
        ),
        Paragraph(_QR_MARK, align="center", indent=False),
        *_receipt_qr_lines(status_url, survey_url),
    ]
    return OfficialDocument(
        issuer_parent=unit.name,
        issuer=desk,
        symbol="TNHS",
        number=sequence,
        place=_place(unit),
        date=_local(dossier.received_at).date(),
        doc_type="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        title=f"Mã hồ sơ: {dossier.code}",
        body=body,
        body_size=13,  # Decree 30/2020 allows 13–14: the receipt keeps to one page
        signature=Signature(position="Người tiếp nhận hồ sơ", name=_person(dossier.received_by)),
        author=unit.name,
    )


def receipt_docx(dossier: Dossier, *, status_url: str, survey_url: str | None = None) -> bytes:
    """The receipt handed to the applicant: the dossier code, what was received, the
    appointment, and a QR code of `status_url` (the public status page of this dossier);
    with `survey_url` (a per-dossier satisfaction survey open that day, see
    `feedback.survey_qr.receipt_survey_url`), a second QR code of the survey's form for
    this dossier beside it, with "Quét mã để đánh giá mức độ hài lòng".

    Decree 61/2018 art. 17(1)(c), (3): a complete dossier gets a "Giấy tiếp nhận hồ sơ và
    hẹn ngày trả kết quả" carrying its code; the form is Mẫu số 01 of the circular in
    force on the day of receipt (03/2025/TT-VPCP from 01/07/2025, 01/2018/TT-VPCP before).
    """
    document = receipt_document(dossier, status_url=status_url, survey_url=survey_url)
    return _finish(
        document.to_docx(),
        qr_png=[_qr_png(status_url), _qr_png(survey_url)] if survey_url else _qr_png(status_url),
        applicant_signature=dossier.applicant_name,
        receiver_hint=True,
    )


# ---- Mẫu 04: the apology letter -----------------------------------------------------------


def apology_letter_document(letter: ApologyLetter) -> OfficialDocument:
    dossier = letter.dossier
    unit = dossier.unit
    governing, issuer = issuer_lines(unit)
    new_2025 = _is_2025(dossier)
    number, symbol = (letter.number.split("/", 1) + [""])[:2] if "/" in letter.number else (letter.number, "")
    symbol = symbol or f"XL-{unit.short_name or unit.code}"
    promised = "đề nghị được gia hạn thời gian giải quyết, hẹn trả kết quả" if new_2025 else "hẹn trả kết quả"
    body = [
        Paragraph(
            f"Ngày {_date(dossier.received_at)}, {unit.name} tiếp nhận hồ sơ của Ông/Bà "
            f"{dossier.applicant_name}, mã hồ sơ {dossier.code}, đề nghị giải quyết thủ tục "
            f"“{dossier.procedure.name}”. Theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả, thời hạn "
            f"trả kết quả giải quyết hồ sơ là ngày {_date(dossier.due_at)}."
        ),
        Paragraph(
            f"Tuy nhiên, đến nay {unit.name} chưa giải quyết xong hồ sơ của Ông/Bà. "
            f"Lý do: {letter.reason.strip().rstrip('.')}."
        ),
        Paragraph(
            [
                f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {unit.name} trân trọng xin lỗi Ông/Bà và "
                f"{promised} vào ",
                Run(_moment(letter.new_due_at), bold=True),
                ".",
            ]
        ),
        Paragraph("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./."),
    ]
    if letter.signer_title or letter.signer_name:
        signature = Signature(position=letter.signer_title or "Thủ trưởng cơ quan", name=letter.signer_name)
    else:
        signature = plan_signature(unit)
    kind = (
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
        if new_2025
        else "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    )
    return OfficialDocument(
        issuer_parent=governing,
        issuer=issuer,
        symbol=symbol,
        number=number,
        place=_place(unit),
        date=_local(letter.created_at).date(),
        doc_type=kind,
        title=f"Hồ sơ mã số {dossier.code}",
        addressees=[f"Ông/Bà {dossier.applicant_name}"],
        body=body,
        signature=signature,
        recipients=["Như trên;", f"{_desk_name(dossier)};", "Lưu: VT, hồ sơ."],
        author=unit.name,
    )


def apology_letter_docx(letter: ApologyLetter) -> bytes:
    """The letter of apology for a dossier that will be late, with the reason and the new
    appointment (Decree 61/2018 art. 19(9): "lý do quá hạn, thời gian đề nghị gia hạn trả
    kết quả"; Mẫu số 04 of Circular 03/2025/TT-VPCP, or of Circular 01/2018/TT-VPCP for a
    dossier received before 01/07/2025)."""
    return apology_letter_document(letter).to_docx()


# ---- Mẫu 06: the control sheet ------------------------------------------------------------


CONTROL_HEADER = [
    "Bước",
    "Tên cơ quan, người xử lý",
    "Nhận hồ sơ lúc",
    "Hạn xử lý",
    "Giao hồ sơ lúc",
    "Kết quả (trước hạn / đúng hạn / quá hạn)",
    "Ghi chú",
]
CONTROL_WIDTHS = [2.6, 3.4, 2.1, 2.1, 2.1, 2.0, 1.7]


def _step_result(step, now: dt.datetime) -> str:
    if step.completed_at is not None:
        return _OUTCOME_TEXT[step.outcome]
    return "Đang xử lý, đã quá hạn" if now > step.due_at else "Đang xử lý"


def control_sheet_document(dossier: Dossier, *, now: dt.datetime | None = None) -> OfficialDocument:
    now = now or dt.datetime.now(tz=VN_TZ)
    unit = dossier.unit
    steps = list(dossier.steps.select_related("unit", "handler").order_by("started_at", "id"))
    pauses = list(dossier.pauses.order_by("requested_at"))
    letters = list(dossier.apology_letters.order_by("created_at"))
    rows = []
    for index, step in enumerate(steps, start=1):
        who = step.unit.name
        handler = _person(step.handler)
        if handler:
            who = f"{who}\nNgười xử lý: {handler}"
        notes = [step.note] if step.note else []
        for pause in pauses:
            if step.started_at <= pause.requested_at and (
                step.completed_at is None or pause.requested_at <= step.completed_at
            ):
                notes.append(f"Yêu cầu bổ sung {_date(pause.requested_at)}")
        rows.append(
            [
                f"{index}. {step.name}",
                who,
                _short_moment(step.started_at),
                _short_moment(step.due_at),
                _short_moment(step.completed_at),
                _step_result(step, now),
                "\n".join(notes),
            ]
        )
    partners = sorted({s.unit.name for s in steps if s.unit_id != dossier.unit_id})
    body = [
        Paragraph(["Kèm theo hồ sơ của: ", Run(dossier.applicant_name, bold=True)], indent=False),
        Paragraph(f"Thủ tục: {dossier.procedure.code} — {dossier.procedure.name}", indent=False),
        Paragraph(f"Cơ quan (bộ phận) giải quyết hồ sơ: {unit.name}", indent=False),
        Paragraph(f"Cơ quan phối hợp giải quyết hồ sơ: {', '.join(partners) or 'không'}", indent=False),
        Paragraph(
            f"Tiếp nhận: {_moment(dossier.received_at)}; hẹn trả kết quả: {_moment(dossier.due_at)}.",
            indent=False,
        ),
        Table(
            header=CONTROL_HEADER,
            rows=rows,
            column_widths=CONTROL_WIDTHS,
            align=["left", "left", "center", "center", "center", "center", "left"],
            font_size=11,
        ),
    ]
    for pause in pauses:
        text = f"Yêu cầu bổ sung, hoàn thiện hồ sơ ngày {_date(pause.requested_at)}: {pause.reason}"
        if pause.completed_at is not None:
            text += f". Nhận đủ hồ sơ ngày {_date(pause.completed_at)}"
            if pause.due_at_after is not None:
                text += f"; hẹn trả mới ngày {_date(pause.due_at_after)}"
        body.append(Bullet(text + "."))
    for letter in letters:
        body.append(
            Bullet(
                f"Văn bản xin lỗi ngày {_date(letter.created_at)}, hẹn lại ngày trả kết quả "
                f"{_date(letter.new_due_at)}."
            )
        )
    if dossier.status in (DossierStatus.RESOLVED, DossierStatus.RETURNED) and dossier.outcome:
        body.append(
            Paragraph(
                f"Kết quả giải quyết hồ sơ: {_OUTCOME_TEXT[dossier.outcome].lower()} "
                f"(có kết quả {_short_moment(dossier.resolved_at)}).",
                indent=False,
            )
        )
    return OfficialDocument(
        issuer_parent=unit.name,
        issuer=_desk_name(dossier),
        symbol="PKS",
        number=_sequence(dossier),
        place=_place(unit),
        date=_local(dossier.received_at).date(),
        doc_type="Phiếu kiểm soát quá trình giải quyết hồ sơ",
        title=f"Mã hồ sơ: {dossier.code}",
        body=body,
        signature=Signature(position="Người tiếp nhận hồ sơ", name=_person(dossier.received_by)),
        author=unit.name,
    )


def control_sheet_docx(dossier: Dossier) -> bytes:
    """The control sheet that travels with the dossier: each hand-over, who had it, from
    when, by when, when it was handed on, and whether early, on time or late (Mẫu số 06
    of Circular 03/2025/TT-VPCP; Mẫu số 05 of Circular 01/2018/TT-VPCP)."""
    return control_sheet_document(dossier).to_docx()

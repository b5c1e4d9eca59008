"""A plan printed as the official "Kế hoạch" (Decree 30/2020/NĐ-CP, Appendix I, form 1.1).

The layout is `cchc.documents.official`'s; this module only says what a plan puts in it:
the issuer under its governing body, "Thực hiện …", the purposes and requirements, the
headline indicators by reform area, "(Phụ lục chi tiết đính kèm)" for the tasks, how the
plan is carried out and reported on, "Nơi nhận", the signature of the unit's head, and
the task appendix grouped I, II, … on landscape pages (Appendix I, Part I, item I.2).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from cchc.core.text import fold
from cchc.documents.official import (
    Appendix,
    Bullet,
    GroupRow,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    SubHeading,
    Table,
    roman,
)
from cchc.orgs.models import Membership, OrgUnit, Role, UnitKind

from .excel import TASK_HEADER, appendix_title, grouped_tasks, plan_file_stem, plan_tasks, task_cells
from .models import Plan

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# cm on the landscape page (24.7 cm of text): the content takes the room it needs.
APPENDIX_WIDTHS = [1.2, 7.4, 3.6, 2.8, 3.6, 4.1, 2.0]
APPENDIX_ALIGN = ["center", "justify", "left", "center", "left", "left", "left"]

# "Sở Giáo dục và Đào tạo tỉnh Hưng Yên" → ("Sở Giáo dục và Đào tạo", "tỉnh", "Hưng Yên").
_NAMED_BY_PLACE = {
    UnitKind.DEPARTMENT: (re.compile(r"^(Sở Giáo dục và Đào tạo|Sở GD\s*&\s*ĐT|Sở GDĐT)\s+"
                                     r"(?:(tỉnh|thành phố|TP\.?)\s+)?(\S.*)$", re.I), "tỉnh"),
    UnitKind.DISTRICT_OFFICE: (re.compile(r"^(Phòng Giáo dục và Đào tạo|Phòng GD\s*&\s*ĐT|Phòng GDĐT)\s+"
                                          r"(?:(huyện|quận|thị xã|thành phố|TP\.?)\s+)?(\S.*)$", re.I),
                               "huyện"),
}
_GOVERNING_KINDS = (UnitKind.PEOPLE_COMMITTEE, UnitKind.MINISTRY, UnitKind.COMMUNE)
# The head's title by kind of unit (Decree 30/2020, Appendix I, II.7: the position signing).
_HEAD_TITLE = {
    UnitKind.MINISTRY: "Bộ trưởng",
    UnitKind.PEOPLE_COMMITTEE: "Chủ tịch",
    UnitKind.COMMUNE: "Chủ tịch",
    UnitKind.DEPARTMENT: "Giám đốc",
    UnitKind.CENTRE: "Giám đốc",
    UnitKind.DISTRICT_OFFICE: "Trưởng phòng",
    UnitKind.COMMUNE_OFFICE: "Trưởng phòng",
    UnitKind.DIVISION: "Trưởng phòng",
    UnitKind.SCHOOL: "Hiệu trưởng",
}


def _short(name: str) -> str:
    return re.sub(r"^Ủy ban nhân dân\b|^Uỷ ban nhân dân\b", "UBND", name.strip(), flags=re.I)


def issuer_lines(issuer: OrgUnit) -> tuple[str, str]:
    """(governing body, issuer) as the header prints them, before upper-casing.

    The body above is the issuer's parent when that is a people's committee or ministry;
    a department or district office named after its place and with no such parent in the
    tree is under the people's committee of that place ("UBND tỉnh Hưng Yên"), and then
    the place leaves the issuer's own line ("Sở Giáo dục và Đào tạo"). Any other unit
    prints its parent above it (a school under its office or department).
    """
    parent = issuer.parent if issuer.parent_id else None
    if parent is not None and parent.kind in _GOVERNING_KINDS:
        return _short(parent.name), issuer.name
    named = _NAMED_BY_PLACE.get(issuer.kind)
    match = named[0].match(issuer.name.strip()) if named else None
    if match:
        level = (match.group(2) or named[1]).replace("TP.", "thành phố").replace("TP", "thành phố")
        return f"UBND {level.lower()} {match.group(3)}", match.group(1)
    if parent is not None:
        return parent.name, issuer.name
    return "", issuer.name


def _head_membership(issuer: OrgUnit) -> Membership | None:
    heads = list(Membership.objects.filter(unit=issuer, role=Role.UNIT_HEAD).select_related("user")
                 .order_by("id"))
    # The head himself before a deputy holding the role ("Phó Giám đốc").
    heads.sort(key=lambda m: fold(m.title).startswith("pho"))
    return heads[0] if heads else None


def plan_signature(issuer: OrgUnit) -> Signature:
    """The unit head's position and name; a deputy signs "KT." for the head (Decree 30/2020,
    Appendix I, II.7). Without a unit head in the system the name is left blank."""
    head_title = _HEAD_TITLE.get(issuer.kind, "Thủ trưởng đơn vị")
    if issuer.kind == UnitKind.DIVISION:
        key = fold(issuer.name)
        head_title = ("Chánh Văn phòng" if key.startswith("van phong")
                      else "Chánh Thanh tra" if key.startswith("thanh tra") else head_title)
    membership = _head_membership(issuer)
    authority = "TM. ỦY BAN NHÂN DÂN" if issuer.kind in (UnitKind.PEOPLE_COMMITTEE, UnitKind.COMMUNE) else ""
    if membership is None:
        return Signature(authority=authority, position=head_title.upper(), name="")
    position = membership.title.strip() or head_title
    if fold(position).startswith("pho"):
        authority = "\n".join(filter(None, [authority, f"KT. {head_title.upper()}"]))
    return Signature(authority=authority, position=position.upper(),
                     name=membership.user.get_full_name().strip())


def _lines(text: str) -> list[str]:
    """Purposes typed one per line, with or without their dashes."""
    return [line.strip().lstrip("-–+•").strip() for line in (text or "").splitlines() if line.strip()]


def _implements_sentence(plan: Plan) -> str:
    parts = [plan.implements_text.strip()] if plan.implements_text.strip() else []
    for other in plan.implements.select_related("issuer").order_by("issued_on", "id"):
        when = f" ngày {other.issued_on:%d/%m/%Y}" if other.issued_on else ""
        reference = f" số {other.reference}" if other.reference.strip("/") else ""
        parts.append(f"Kế hoạch{reference}{when} của {other.issuer.name} về {other.title[:1].lower()}"
                     f"{other.title[1:]}")
    return "; ".join(parts)


def _body(plan: Plan, groups) -> list:
    issuer = plan.issuer.name
    title = plan.title[:1].lower() + plan.title[1:]
    implements = _implements_sentence(plan)
    if implements:
        opening = _("Thực hiện %(what)s, %(issuer)s ban hành Kế hoạch %(title)s với các nội dung cụ thể "
                    "như sau:") % {"what": implements, "issuer": issuer, "title": title}
    else:
        opening = _("Căn cứ chức năng, nhiệm vụ được giao, %(issuer)s ban hành Kế hoạch %(title)s với các "
                    "nội dung cụ thể như sau:") % {"issuer": issuer, "title": title}
    sections: list[tuple[str, list]] = []

    purposes, requirements = _lines(plan.purposes), _lines(plan.requirements)
    if purposes or requirements:
        blocks: list = []
        for number, (label, items) in enumerate(
            [(label, items) for label, items in ((_("Mục đích"), purposes), (_("Yêu cầu"), requirements))
             if items], start=1):
            blocks.append(SubHeading(f"{number}. {label}"))
            blocks.extend(Bullet(item) for item in items)
        sections.append((_("MỤC ĐÍCH, YÊU CẦU"), blocks))

    indicators = list(plan.indicators.select_related("area").order_by("area__order", "order", "id"))
    if indicators:
        by_area: dict[str, list] = {}
        for indicator in indicators:
            by_area.setdefault(indicator.area.name if indicator.area else "", []).append(indicator)
        blocks = []
        numbered = len(by_area) > 1 or "" not in by_area
        for number, (area, items) in enumerate(sorted(by_area.items(), key=lambda kv: kv[0] == ""), start=1):
            if numbered:
                blocks.append(SubHeading(f"{number}. {area or _('Các chỉ tiêu khác')}"))
            blocks.extend(Bullet(item.text) for item in items)
        sections.append((_("CÁC CHỈ TIÊU CHỦ YẾU"), blocks))

    if groups:
        sections.append((_("NHIỆM VỤ CỤ THỂ"), [
            Paragraph(_("(Phụ lục chi tiết đính kèm)"), italic=True, align="center", indent=False)]))

    sections.append((_("TỔ CHỨC THỰC HIỆN"), [
        Paragraph(_("Các đơn vị được giao chủ trì nhiệm vụ tại Phụ lục kèm theo chủ động xây dựng kế "
                    "hoạch, phối hợp với các đơn vị liên quan triển khai thực hiện bảo đảm chất lượng, "
                    "đúng tiến độ; cập nhật tiến độ và tài liệu kiểm chứng trên hệ thống.")),
        Paragraph(_("Định kỳ hằng quý, 6 tháng, 9 tháng, năm hoặc đột xuất khi có yêu cầu, các đơn vị báo "
                    "cáo kết quả thực hiện về %(issuer)s (qua bộ phận thường trực cải cách hành chính) để "
                    "tổng hợp, báo cáo cấp trên theo quy định. Trong quá trình thực hiện, nếu có khó "
                    "khăn, vướng mắc, các đơn vị kịp thời báo cáo để được hướng dẫn, giải quyết./.")
                  % {"issuer": issuer}),
    ]))

    body: list = [Paragraph(opening)]
    for index, (heading, blocks) in enumerate(sections, start=1):
        body.append(Heading(f"{roman(index)}. {heading}"))
        body.extend(blocks)
    return body


def plan_document(plan: Plan) -> OfficialDocument:
    """The plan as an `OfficialDocument`: a blank number or date stays blank for the clerk."""
    parent, issuer = issuer_lines(plan.issuer)
    tasks = plan_tasks(plan)
    groups = grouped_tasks(tasks)
    rows: list = []
    number = 0
    for title, members in groups:
        if title:
            number += 1
            rows.append(GroupRow(roman(number), title))
        rows.extend(task_cells(task, index) for index, task in enumerate(members, start=1))

    recipients = [_("Như trên;")]
    if parent:
        recipients.append(_("%(parent)s (để b/c);") % {"parent": parent})
    recipients.append(_("Lưu: VT."))
    document = OfficialDocument(
        issuer_parent=parent,
        issuer=issuer,
        number=plan.number,
        symbol=plan.symbol or "KH",
        place=plan.place or _place_of(plan.issuer),
        date=plan.issued_on,
        year=plan.period_start.year,
        doc_type="Kế hoạch",
        title=plan.title,
        body=_body(plan, groups),
        recipients=recipients,
        signature=plan_signature(plan.issuer),
        author=plan.issuer.name,
    )
    if rows:
        caption = document.appendix_subtitle()
        document.appendices = [Appendix(
            title=appendix_title(plan),
            subtitle=f"{caption[:-1]} của {plan.issuer.name})",
            table=Table(header=TASK_HEADER, rows=rows, column_widths=APPENDIX_WIDTHS, align=APPENDIX_ALIGN,
                        font_size=12),
            landscape=True,
        )]
    return document


def _place_of(unit: OrgUnit) -> str:
    named = _NAMED_BY_PLACE.get(unit.kind)
    match = named[0].match(unit.name.strip()) if named else None
    return match.group(3) if match else ""


def plan_docx(plan: Plan) -> bytes:
    return plan_document(plan).to_docx()


def plan_docx_filename(plan: Plan) -> str:
    """"Kế hoạch số 251-KH-SGDĐT (2026).docx" (sent as RFC 6266 filename*)."""
    return f"{plan_file_stem(plan)}.docx"

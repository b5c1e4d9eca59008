"""A consolidated report as the official "Báo cáo" (DOCX) and as Excel; a schedule's calendar.

The DOCX follows Decree 30/2020/NĐ-CP, Appendix I (layout by `cchc.documents.official`)
and the order of the periodic administrative-reform reports (MoHA's outline, Công văn
581/BNV-CCHC): I. results by reform area, II. limitations and their causes, III. tasks
for the next period, IV. proposals; the children's figures in an appendix.

The children's table is read again from their submitted versions when exported
(`consolidation.children_figures`): it shows what each child sent, while the parent's
own figures and narratives are those of its (edited) report.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from cchc.documents.official import Appendix, Bullet, Heading, OfficialDocument, Paragraph, SubHeading, Table
from cchc.documents.spreadsheets import write_table
from cchc.metrics.periods import Period
from cchc.plans.docx_export import _place_of, issuer_lines, plan_signature

from . import schedules as rules
from .consolidation import children_figures
from .models import Report, ReportingSchedule


def _period(report: Report) -> Period:
    return Period.from_key(report.period_key)


def report_title(report: Report) -> str:
    return _("Kết quả thực hiện công tác cải cách hành chính %(period)s") % {"period": _period(report).label}


def _show(entry: dict | None) -> str:
    if not entry:
        return "—"
    value = entry.get("value")
    if value in (None, ""):
        return "—"
    text = str(value).replace(".", ",")
    return f"{text} %" if entry.get("unit", "%") == "%" else text


def children_table(report: Report) -> tuple[list[str], list[list[object]]]:
    """(header, rows): one row per expected child — its figures, or "Chưa gửi báo cáo"."""
    period = _period(report)
    figures = children_figures(report.schedule, report.unit, period)
    keys = list(report.indicator_values)
    for child in figures:
        keys.extend(k for k in child.values if k not in keys)
    labels = {}
    for key in keys:
        entry = report.indicator_values.get(key) or next(
            (c.values[key] for c in figures if key in c.values), {}
        )
        labels[key] = entry.get("label") or key
    header = [_("TT"), _("Đơn vị"), *[labels[k] for k in keys], _("Tình trạng")]
    rows = []
    for number, child in enumerate(figures, start=1):
        if child.reported:
            state = _("Gửi trễ hạn") if child.report.is_late else _("Đã gửi")
            rows.append([number, child.unit.name, *[_show(child.values.get(k)) for k in keys], state])
        else:
            rows.append([number, child.unit.name, *["—" for _k in keys], _("Chưa gửi báo cáo")])
    return header, rows


def _paragraphs(text: str) -> list:
    blocks = [Paragraph(part.strip()) for part in (text or "").split("\n\n") if part.strip()]
    return blocks or [Paragraph("…")]


def report_document(report: Report) -> OfficialDocument:
    """The consolidated report as an `OfficialDocument` (number and date left for the clerk)."""
    unit = report.unit
    period = _period(report)
    parent, issuer = issuer_lines(unit)
    header, rows = children_table(report)
    missing = [row[1] for row in rows if row[-1] == _("Chưa gửi báo cáo")]

    indicators = [
        Bullet(f"{entry.get('label') or key}: {_show(entry)}"
               + (f" ({entry['comment']})" if entry.get("comment") else ""))
        for key, entry in report.indicator_values.items()
    ]
    results: list = [SubHeading(_("1. Kết quả thực hiện các chỉ tiêu"))]
    results.extend(indicators or [Paragraph(_("Không có chỉ tiêu."))])
    results.append(SubHeading(_("2. Kết quả thực hiện theo từng lĩnh vực cải cách hành chính")))
    results.extend(_paragraphs(report.results))
    opening = _(
        "%(unit)s báo cáo kết quả thực hiện công tác cải cách hành chính %(period)s (thời gian chốt "
        "số liệu từ ngày %(start)s đến ngày %(end)s), tổng hợp từ báo cáo của %(sent)d/%(total)d "
        "đơn vị trực thuộc, như sau:"
    ) % {
        "unit": unit.name,
        "period": period.label,
        "start": f"{report.cut_off_start:%d/%m/%Y}",
        "end": f"{report.cut_off_end:%d/%m/%Y}",
        "sent": len(rows) - len(missing),
        "total": len(rows),
    }
    body: list = [Paragraph(opening)]
    if missing:
        body.append(Paragraph(_("Đơn vị chưa gửi báo cáo: %(units)s.") % {"units": "; ".join(missing)},
                              italic=True))
    body += [Heading(_("I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH")), *results]
    body += [Heading(_("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")), *_paragraphs(report.limitations)]
    body += [Heading(_("III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI")), *_paragraphs(report.next_tasks)]
    body += [Heading(_("IV. ĐỀ XUẤT, KIẾN NGHỊ")), *_paragraphs(report.proposals)]

    recipients = [_("%(owner)s (để b/c);") % {"owner": report.schedule.owner.name}, _("Lưu: VT.")]
    document = OfficialDocument(
        issuer_parent=parent,
        issuer=issuer,
        symbol="BC",
        place=_place_of(unit),
        year=report.cut_off_end.year,
        doc_type="BÁO CÁO",
        title=report_title(report),
        body=body,
        recipients=recipients,
        signature=plan_signature(unit),
        author=unit.name,
    )
    if rows:
        document.appendices = [
            Appendix(
                title=_("KẾT QUẢ BÁO CÁO CỦA CÁC ĐƠN VỊ TRỰC THUỘC %(period)s")
                % {"period": period.label.upper()},
                table=Table(header=header, rows=rows),
            )
        ]
    return document


def consolidated_docx(report: Report) -> bytes:
    return report_document(report).to_docx()


def consolidated_xlsx(report: Report) -> Workbook:
    """The children × indicators table (one row per expected child, non-reporters marked)."""
    header, rows = children_table(report)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Tổng hợp")
    write_table(
        sheet,
        header,
        rows,
        title=_("Tổng hợp báo cáo %(period)s — %(unit)s")
        % {"period": _period(report).label, "unit": report.unit.name},
    )
    return workbook


def schedule_calendar_xlsx(schedule: ReportingSchedule, year: int) -> Workbook:
    """Every report `schedule` asks for in `year`: period, data window and due date (dd/mm/yyyy)."""
    entries = rules.calendar(schedule.rule, schedule.period_kinds or None, year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    write_table(
        sheet,
        [_("Kỳ báo cáo"), _("Chốt số liệu từ ngày"), _("Đến ngày"), _("Hạn gửi"), _("Ghi chú")],
        [
            [
                e.period.label,
                f"{e.cut_off_start:%d/%m/%Y}",
                f"{e.cut_off_end:%d/%m/%Y}",
                f"{e.due:%d/%m/%Y}",
                (_("Lùi từ ngày %(day)s (ngày nghỉ)") % {"day": f"{e.moved_from:%d/%m/%Y}"})
                if e.moved_from
                else "",
            ]
            for e in entries
        ],
        title=_("Lịch gửi báo cáo năm %(year)d — %(name)s") % {"year": year, "name": schedule.name},
        column_widths=[18, 20, 14, 14, 30],
    )
    return workbook

"""A plan's task appendix as an Excel sheet, in the layout of the provinces' plans.

The columns are those of seed 001's appendix (STT, Nội dung, Kết quả, Thời gian thực
hiện, Cơ quan chủ trì, Cơ quan phối hợp, Ghi chú), the tasks grouped under roman-numbered
rows. `task_columns` is the same table as `read_table` expects it, with the other names
provinces give the columns (seed 003: TT, Nhiệm vụ cụ thể, Sản phẩm …), so a sheet
exported here can be edited and imported again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cchc.documents.official import roman
from cchc.documents.spreadsheets import Column, write_table

from .models import Plan, Task

TASK_HEADER = ["STT", "Nội dung", "Kết quả", "Thời gian thực hiện", "Cơ quan chủ trì",
               "Cơ quan phối hợp", "Ghi chú"]
TASK_WIDTHS = [7, 60, 28, 20, 24, 30, 14]  # Excel characters

# "I. ", "VI ", "1. ", "IV- " in front of a group's title.
_GROUP_NUMBER = re.compile(r"^\s*(?:[IVXLC]+|\d{1,2})\s*(?:[.):\-–]\s*|\s+)(?=\S)")


def task_columns() -> list[Column]:
    """The appendix columns, with the names seeds 001 and 003 and other provinces use.

    A value merged down several rows is shared by them (one deadline or lead unit for a
    block of tasks), except for STT and the content, which each task has its own of.
    """
    return [
        Column("number", "STT", aliases=["TT", "Số TT", "Số thứ tự"], required=False),
        Column("content", "Nội dung", aliases=["Nhiệm vụ", "Nhiệm vụ cụ thể", "Nội dung nhiệm vụ",
                                                "Nội dung công việc", "Tên nhiệm vụ"]),
        Column("deliverable", "Kết quả", aliases=["Sản phẩm", "Kết quả, sản phẩm", "Kết quả/sản phẩm",
                                                   "Sản phẩm đầu ra", "Kết quả dự kiến"],
               required=False, fill_merged=True),
        Column("timeframe", "Thời gian thực hiện", aliases=["Thời gian", "Thời gian hoàn thành",
                                                            "Thời hạn", "Thời hạn hoàn thành"],
               fill_merged=True),
        Column("lead", "Cơ quan chủ trì", aliases=["Đơn vị chủ trì", "Chủ trì", "Bộ phận chủ trì"],
               fill_merged=True),
        Column("coordinating", "Cơ quan phối hợp", aliases=["Đơn vị phối hợp", "Phối hợp",
                                                            "Bộ phận phối hợp"],
               required=False, fill_merged=True),
        Column("note", "Ghi chú", required=False, fill_merged=True),
    ]


def group_title(group: str) -> str:
    """"VI. Cải cách tài chính công" → "Cải cách tài chính công": the export renumbers."""
    return _GROUP_NUMBER.sub("", group or "", count=1).strip()


def plan_tasks(plan: Plan) -> list[Task]:
    return list(
        plan.tasks.select_related("lead_unit")
        .prefetch_related("coordinating_units")
        .order_by("order", "id")
    )


def grouped_tasks(tasks: Iterable[Task]) -> list[tuple[str, list[Task]]]:
    """The tasks by group in the order groups first appear; ungrouped tasks first, titled ""."""
    groups: dict[str, list[Task]] = {}
    for task in tasks:
        groups.setdefault(group_title(task.group), []).append(task)
    ungrouped = groups.pop("", None)
    return ([("", ungrouped)] if ungrouped else []) + list(groups.items())


def task_cells(task: Task, index: int) -> list[str]:
    """One task as the appendix prints it; the units as the plan wrote them."""
    coordinating = task.coordinating_text or ", ".join(u.name for u in task.coordinating_units.all())
    lead = task.lead_text or (task.lead_unit.name if task.lead_unit else "")
    return [task.number or str(index), task.content, task.deliverable, task.timeframe_text,
            lead, coordinating, task.note]


def appendix_title(plan: Plan) -> str:
    """"Các nhiệm vụ công tác cải cách hành chính năm 2026 …", from the plan's title."""
    title = plan.title.strip()
    return _("Các nhiệm vụ %(title)s") % {"title": title[:1].lower() + title[1:]}


def appendix_caption(plan: Plan) -> str:
    """"(Kèm theo Kế hoạch số …/KH-SGDĐT ngày … tháng … năm 2026 của …)"; blanks stay blank."""
    number = plan.number or "…"
    reference = f"{number}/{plan.symbol}" if plan.symbol else number
    if plan.issued_on:
        when = _("ngày %(date)s") % {"date": plan.issued_on.strftime("%d/%m/%Y")}
    else:
        when = _("ngày … tháng … năm %(year)d") % {"year": plan.period_start.year}
    return _("(Kèm theo Kế hoạch số %(ref)s %(when)s của %(issuer)s)") % {
        "ref": reference, "when": when, "issuer": plan.issuer.name}


def plan_tasks_workbook(plan: Plan, tasks: Sequence[Task] | None = None) -> Workbook:
    """The appendix on one sheet: title, header, groups I, II, … (bold, merged) and tasks.

    Text goes through `write_table`, so a task reading "=HYPERLINK(…)" stays text.
    """
    tasks = plan_tasks(plan) if tasks is None else tasks
    rows: list[list[str]] = []
    group_rows: list[int] = []  # indexes in `rows`
    number = 0
    for title, members in grouped_tasks(tasks):
        if title:
            number += 1
            group_rows.append(len(rows))
            rows.append([roman(number), title] + [""] * (len(TASK_HEADER) - 2))
        rows.extend(task_cells(task, index) for index, task in enumerate(members, start=1))

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Phụ lục nhiệm vụ")
    title = "\n".join([_("PHỤ LỤC"), appendix_title(plan).upper(), appendix_caption(plan)])
    write_table(sheet, TASK_HEADER, rows, title=title, column_widths=TASK_WIDTHS)
    sheet.row_dimensions[1].height = 64
    first_data_row = 4  # title, a blank row, the header
    bold = Font(bold=True)
    for index in group_rows:
        row = first_data_row + index
        for column in range(1, len(TASK_HEADER) + 1):
            sheet.cell(row=row, column=column).font = bold
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center", vertical="top")
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(TASK_HEADER))
    for row in range(first_data_row, first_data_row + len(rows)):
        cell = sheet.cell(row=row, column=1)
        cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
    return workbook


def plan_file_stem(plan: Plan) -> str:
    """"Kế hoạch số 251-KH-SGDĐT (2026)", "Kế hoạch KH-SGDĐT (2026)" when not numbered yet:
    what a clerk recognises in the downloads folder ("/" is not allowed in file names)."""
    reference = "-".join(filter(None, [plan.number.strip(), plan.symbol.strip()]))
    if plan.number.strip():
        stem = _("Kế hoạch số %(ref)s (%(year)d)") % {"ref": reference, "year": plan.period_start.year}
    else:
        stem = _("Kế hoạch %(ref)s (%(year)d)") % {"ref": reference, "year": plan.period_start.year}
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", " ".join(stem.split()))
    return stem.replace("  ", " ")


def plan_tasks_filename(plan: Plan) -> str:
    """"Phụ lục nhiệm vụ - Kế hoạch số 251-KH-SGDĐT (2026).xlsx" (sent as RFC 6266 filename*)."""
    return _("Phụ lục nhiệm vụ - %(plan)s.xlsx") % {"plan": plan_file_stem(plan)}

"""The task appendix in Excel, out and back in: a plan's tasks exported and imported into
another plan come back with the same texts, whatever they hold (formula-like starts,
diacritics, punctuation); and an appendix of arbitrary cells is imported or refused row
by row, never with a traceback."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cchc.documents.spreadsheets import workbook_bytes, write_table
from cchc.plans import services
from cchc.plans.excel import TASK_HEADER, plan_tasks_workbook
from cchc.plans.models import PlanKind
from cchc.plans.services_import import tasks_import

pytestmark = pytest.mark.django_db

WITH_DB = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# One line of text as a clerk types it (the import joins a cell's whitespace into spaces).
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
                min_size=1, max_size=12)
texts = st.lists(words, min_size=1, max_size=6).map(" ".join) | st.sampled_from(
    ["=HYPERLINK(\"http://x\";\"Bấm\")", "+ Rà soát thủ tục", "- Công khai kết quả", "@Phòng GD&ĐT",
     "' OR 1=1 --", "<b>đậm</b>"])


def new_plan(t, title):
    return services.plan_create(
        actor=t.dept_officer, issuer=t.department, kind=PlanKind.ANNUAL, number="", symbol="KH-SGDĐT",
        place="Hưng Yên", title=title, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31))


@WITH_DB
@given(st.lists(st.tuples(texts, st.just("") | texts, st.just("") | texts), min_size=1, max_size=5))
def test_tasks_exported_then_imported_keep_their_texts(province, tasks):
    source, target = new_plan(province, "Kế hoạch nguồn"), new_plan(province, "Kế hoạch đích")
    for content, deliverable, note in tasks:
        services.task_add(actor=province.dept_officer, plan=source, content=content,
                          deliverable=deliverable, note=note)
    data = workbook_bytes(plan_tasks_workbook(source))

    result = tasks_import(actor=province.dept_officer, plan=target, file=data)

    assert result.problems == []
    assert result.created == len(tasks)
    back = list(target.tasks.order_by("order", "id").values_list("content", "deliverable", "note"))
    assert back == list(source.tasks.order_by("order", "id").values_list("content", "deliverable", "note"))


cells = (st.text(max_size=20) | st.integers(-5, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
         | st.booleans() | st.dates() | st.datetimes()
         | st.sampled_from(["I", "II.", "1", "1.1", "Quý I/2026", "31/02/2026", "Văn phòng Sở",
                            "Phòng GD&ĐT Văn Giang", "Sở Nội vụ", "=1+1", "Tháng 13/2026"]))


@WITH_DB
@given(st.lists(st.lists(cells, min_size=len(TASK_HEADER), max_size=len(TASK_HEADER)),
                min_size=1, max_size=6))
def test_an_appendix_of_arbitrary_cells_imports_or_names_its_problems(province, rows):
    plan = new_plan(province, "Kế hoạch thử")
    workbook = Workbook()
    write_table(workbook.active, TASK_HEADER, rows)

    result = tasks_import(actor=province.dept_officer, plan=plan, file=workbook_bytes(workbook))

    assert all(p.row is not None and p.message for p in result.problems)
    assert plan.tasks.count() == (0 if result.problems else result.created)

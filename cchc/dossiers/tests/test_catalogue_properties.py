"""The procedure catalogue's Excel import under any cell content: every cell is a value
or a problem on its row, never a traceback; and a catalogue exported then imported comes
back the same, whatever its names hold (formula-like text, line breaks, diacritics)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cchc.core.errors import DomainError
from cchc.documents.spreadsheets import workbook_bytes, write_table
from cchc.dossiers.catalogue import (
    MAX_DAYS,
    catalogue_import,
    catalogue_workbook,
    columns,
    parse_bool,
    parse_cutoff,
    parse_days,
    parse_level,
    parse_online_mode,
    parse_steps,
)
from cchc.dossiers.history_import import parse_when
from cchc.dossiers.models import OnlineMode, Procedure, ProcedureLevel

BOUNDED = settings(max_examples=50, deadline=None, derandomize=True, database=None)
WITH_DB = settings(BOUNDED, max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])

# What a cell may hold once openpyxl has read it back.
cells = (st.text(max_size=30) | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
         | st.booleans() | st.dates() | st.datetimes() | st.times()
         | st.from_regex(r"\s?\d{1,3}\s?|\d{1,2}[:hH]\d{0,2}|\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2})?",
                         fullmatch=True))


@BOUNDED
@given(cells)
@example("²")  # str.isdigit() but not int(): was a ValueError, hence a 500 on import
@example("3³")
@example("١٢")  # Arabic-Indic digits: int() reads them
def test_every_cell_parser_answers_a_value_or_a_domain_error(value):
    for parse in (parse_days, parse_cutoff, parse_level, parse_online_mode, parse_bool, parse_when):
        try:
            parse(value)
        except DomainError as error:
            assert error.message


@BOUNDED
@given(st.text(max_size=60) | st.from_regex(r"([^;()%\n]{1,10} \(\d{1,3}%\); ?){1,4}", fullmatch=True))
def test_steps_are_read_or_refused_and_always_add_up_to_100(text):
    try:
        steps = parse_steps(text)
    except DomainError as error:
        assert error.code in {"invalid_step", "step_shares"}
    else:
        assert steps == [] or sum(s["share"] for s in steps) == 100


@BOUNDED
@given(st.integers(0, MAX_DAYS))
def test_a_number_of_days_is_read_however_excel_stored_it(days):
    assert parse_days(days) == parse_days(float(days)) == parse_days(f" {days} ") == days


# Names as people type them: Vietnamese letters, punctuation, formula-like starts, several lines.
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")) | st.just("\n"),
                min_size=1, max_size=80).map(lambda s: s.strip()).filter(lambda s: s and "\n\n" not in s)
formulaish = st.sampled_from(["=HYPERLINK(\"http://x\";\"y\")", "+84 912", "-1+2", "@SUM(A1)"])
procedures = st.lists(
    st.fixed_dictionaries({
        "name": names | formulaish,
        "field": names,
        "level": st.sampled_from(ProcedureLevel.values),
        "online_mode": st.sampled_from(OnlineMode.values),
        "processing_days": st.integers(0, MAX_DAYS),
        "fee": st.sampled_from(["", "Không", "50.000 đồng/hồ sơ", "-"]),
        "postal_return": st.booleans(),
        "cutoff": st.none() | st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 30])),
        "steps": st.sampled_from([[], [{"name": "Tiếp nhận", "share": 10},
                                       {"name": "Thẩm định", "share": 90}]]),
        "documents": st.lists(names.filter(lambda s: "\n" not in s), max_size=3),
    }),
    min_size=1, max_size=4,
)


@pytest.mark.django_db
@WITH_DB
@given(procedures)
def test_an_exported_catalogue_imports_back_unchanged(rows):
    Procedure.objects.all().delete()
    originals = [Procedure(code=f"1.00{i:04d}", **values) for i, values in enumerate(rows, start=1)]
    for procedure in originals:
        procedure.full_clean()
    data = workbook_bytes(catalogue_workbook(originals))

    result = catalogue_import(actor=None, file=data)

    assert result.problems == []
    saved = {p.code: p for p in Procedure.objects.all()}
    for original in originals:
        back = saved[original.code]
        for field in ("name", "field", "level", "online_mode", "processing_days", "fee", "postal_return",
                      "steps", "documents"):
            assert getattr(back, field) == getattr(original, field), field
        assert back.cutoff == original.cutoff


@pytest.mark.django_db
@WITH_DB
@given(st.lists(st.lists(cells, min_size=len(columns()), max_size=len(columns())), min_size=1, max_size=5))
def test_a_catalogue_of_arbitrary_cells_imports_or_names_its_problems(rows):
    workbook = Workbook()
    write_table(workbook.active, [str(c.label) for c in columns()], rows)

    result = catalogue_import(actor=None, file=workbook_bytes(workbook))

    assert all(p.row is not None and p.message for p in result.problems)

"""The dossier history import under any file content: whatever the cells hold, each bad
row is named and nothing half-written; well-formed histories import one dossier a row,
each on time or late exactly as its dates say."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cchc.documents.spreadsheets import workbook_bytes, write_table
from cchc.dossiers.history_import import columns, dossier_history_import
from cchc.dossiers.models import Dossier, ProcedureLevel
from cchc.workdays import calendar

from .factories import make_procedure

pytestmark = pytest.mark.django_db

WITH_DB = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
HEADER = [str(c.label) for c in columns()]
CODE = "1.005092"


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def procedure(db):
    return make_procedure(code=CODE, processing_days=5, level=ProcedureLevel.DISTRICT)


def xlsx(rows) -> bytes:
    workbook = Workbook()
    write_table(workbook.active, HEADER, rows)
    return workbook_bytes(workbook)


cells = (st.text(max_size=20) | st.integers(-5, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
         | st.booleans() | st.dates() | st.datetimes()
         | st.sampled_from([CODE, "Đã trả", "Đang giải quyết", "Trực tiếp", "Bưu chính", "Có", "31/02/2025",
                            "08/10/2025 09:00", "=1+1", "' OR 1=1 --", "<script>alert(1)</script>"]))


@WITH_DB
@given(st.lists(st.lists(cells, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=6))
def test_any_cells_import_or_name_each_bad_row(province, procedure, rows):
    before = Dossier.objects.count()

    result = dossier_history_import(actor=province.desk_officer, unit=province.office_a, file=xlsx(rows))

    assert all(p.row is not None and p.message for p in result.problems)
    if result.problems:
        assert Dossier.objects.count() == before  # all or nothing
    else:
        assert Dossier.objects.count() == before + result.created


received_days = st.dates(dt.date(2025, 7, 1), dt.date(2026, 6, 30)).filter(lambda d: d.weekday() < 5)


@WITH_DB
@given(st.lists(st.tuples(received_days, st.integers(0, 15), st.integers(0, 5)), min_size=1, max_size=5))
def test_well_formed_histories_import_a_dossier_a_row(province, procedure, histories):
    Dossier.objects.all().delete()
    rows = []
    for number, (received, resolve_after, return_after) in enumerate(histories, start=1):
        resolved = received + dt.timedelta(days=resolve_after)
        returned = resolved + dt.timedelta(days=return_after)
        values = {"external_id": f"VG-{number}", "procedure": CODE,
                  "received_at": received.strftime("%d/%m/%Y 09:00"), "channel": "Trực tiếp",
                  "applicant": "Nguyễn Thị Bình", "resolved_at": resolved.strftime("%d/%m/%Y 10:00"),
                  "returned_at": returned.strftime("%d/%m/%Y 11:00"), "status": "Đã trả"}
        rows.append([values.get(c.key, "") for c in columns()])

    result = dossier_history_import(actor=province.desk_officer, unit=province.office_a, file=xlsx(rows))

    assert result.problems == []
    assert result.created == len(histories)
    expected = {f"VG-{n}": h for n, h in enumerate(histories, start=1)}
    for dossier in Dossier.objects.all():
        received, resolve_after, return_after = expected[dossier.external_id]
        assert dossier.status == "returned" and dossier.unit == province.office_a
        assert dossier.received_at.astimezone(calendar.VN_TZ).date() == received
        assert (dossier.resolved_at - dossier.received_at).days == resolve_after
        assert dossier.received_at < dossier.due_at  # the appointment follows the receipt
        assert dossier.returned_at >= dossier.resolved_at

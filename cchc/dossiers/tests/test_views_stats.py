"""The statistics page and its Excel download, for the office, the department and a
sibling office's officer who must not see office A."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cchc.dossiers.tests.test_statistics import OFFICE_A, one_stop_quarter
from cchc.orgs.models import Role
from cchc.orgs.tests.factories import make_user

URL = reverse("dossier_stats")
EXPORT = reverse("dossier_stats_export")


@pytest.fixture
def quarter(province):
    return one_stop_quarter(province)


def _get(client, user, url=URL, **params):
    client.force_login(user)
    return client.get(url, params)


def _cell(html: str, col: str) -> str:
    """The value of column `col` in the table's total row."""
    footer = html.split("<tfoot>", 1)[1]
    return footer.split(f'data-col="{col}"', 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_the_office_sees_its_quarter(client, province, quarter):
    t = province
    response = _get(client, t.office_a_officer, unit=t.office_a.pk, period="2025-Q1")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Quý I/2025" in html and "01/01/2025" in html and "31/03/2025" in html
    for name, value in zip(
        [
            "carried_over",
            "received_online",
            "received_desk",
            "received_post",
            "total",
            "resolved_early",
            "resolved_on_time",
            "resolved_late",
            "pending_within",
            "pending_overdue",
            "refused",
            "withdrawn",
        ],
        OFFICE_A.columns(),
        strict=True,
    ):
        assert _cell(html, name) == str(value), name
    assert _cell(html, "on_time_rate") == "66,7%"
    # Its schools are rows with a link to their own table.
    assert t.school_a1.name in html and f"unit={t.school_a1.pk}" in html


def test_the_period_is_read_as_officers_write_it(client, province, quarter):
    t = province
    response = _get(client, t.office_a_officer, unit=t.office_a.pk, period="quý 1 năm 2025")
    assert _cell(response.content.decode(), "total") == "11"

    response = _get(client, t.office_a_officer, unit=t.office_a.pk, period="tháng 3/2025")
    html = response.content.decode()
    assert "Tháng 03/2025" in html and "12 tháng gần nhất" in html
    # D1 closed on 02/01: nothing was carried over into March; all ten arrived in it.
    assert _cell(html, "carried_over") == "0"
    assert _cell(html, "total") == "10"


def test_an_unreadable_period_falls_back_and_says_so(client, province, quarter):
    response = _get(client, province.office_a_officer, period="quý 9")
    assert response.status_code == 200
    assert "Không hiểu kỳ báo cáo" in response.content.decode()


def test_by_procedure_tab(client, province, quarter):
    t = province
    response = _get(client, t.dept_officer, unit=t.department.pk, period="2025-Q1", tab="procedures")

    html = response.content.decode()
    assert 'id="stats-procedures"' in html
    assert quarter.procedures.school.name in html and quarter.procedures.province.code in html
    assert _cell(html, "total") == "13"


def test_the_department_defaults_to_its_own_unit_and_offers_its_offices(client, province, quarter):
    t = province
    response = _get(client, t.dept_officer, period="2025-Q1")

    html = response.content.decode()
    assert response.context["unit"] == t.department
    assert _cell(html, "total") == "13"
    offered = {u.pk for u in response.context["units"]}
    assert {t.department.pk, t.office_a.pk, t.office_b.pk} <= offered
    assert t.school_a1.pk not in offered  # schools are reached from their office's row
    assert t.other_department.pk not in offered


def test_a_sibling_office_cannot_read_office_a(client, province, quarter):
    t = province
    response = _get(client, t.office_b_officer, unit=t.office_a.pk, period="2025-Q1")
    assert response.status_code == 404
    response = _get(client, t.office_b_officer, EXPORT, unit=t.office_a.pk, period="2025-Q1")
    assert response.status_code == 404

    own = _get(client, t.office_b_officer, period="2025-Q1")
    assert own.context["unit"] == t.office_b
    assert {u.pk for u in own.context["units"]} == {t.office_b.pk}
    assert _cell(own.content.decode(), "total") == "1"


def test_a_user_without_a_role_is_refused(client, province):
    response = _get(client, make_user("khach"))
    assert response.status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_dashboard_trend(client, province, quarter):
    t = province
    response = _get(client, t.office_a_officer, unit=t.office_a.pk, period="2025-Q1")

    chart = response.context["chart"]
    assert len(chart["labels"]) == 8 and chart["labels"][-1] == "Quý I/2025"
    on_time = chart["series"][0]["data"]
    assert round(on_time[-1], 2) == 66.67
    assert on_time[-2] == 100  # Q4/2024: D0, resolved early
    assert chart["series"][1]["data"][-1] == 30  # online 3 of 10
    assert round(chart["series"][2]["data"][-1], 2) == 33.33  # digitized 2 of 6
    html = response.content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in html and "cdn" not in html.lower()


def test_excel_download(client, province, quarter):
    t = province
    response = _get(client, t.office_a_officer, EXPORT, unit=t.office_a.pk, period="2025-Q1")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Theo đơn vị"]
    assert "QUÝ I/2025" in sheet["A1"].value
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[1] == "Tổng cộng" and last[2:14] == OFFICE_A.columns()


def test_a_viewer_of_the_department_reads_a_school(client, province, quarter):
    t = province
    viewer = make_user("so.xem2", t.department, Role.VIEWER)
    response = _get(client, viewer, unit=t.school_a1.pk, period="2025-Q1")
    assert response.status_code == 200
    assert _cell(response.content.decode(), "total") == "2"
    assert [u.pk for u in response.context["trail"]] == [t.department.pk, t.office_a.pk, t.school_a1.pk]

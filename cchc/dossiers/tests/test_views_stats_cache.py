"""The statistics page serves a unit's figures computed less than a minute ago
(`CCHC_DASHBOARD_MAX_AGE`, cchc/core/recent.py): it says when, offers to compute them now,
and never lets the cache carry one unit's figures to a user who may not see that unit."""

from __future__ import annotations

from django.urls import reverse

from cchc.dossiers.tests.test_statistics import OFFICE_A, one_stop_quarter, receive, vn

URL = reverse("dossier_stats")
TOTAL = OFFICE_A.columns()[4]  # the "total" column of office A's quarter


def _total(response) -> int:
    html = response.content.decode()
    footer = html.split("<tfoot>", 1)[1]
    return int(footer.split('data-col="total"', 1)[1].split(">", 1)[1].split("<", 1)[0])


def test_a_new_dossier_shows_after_the_minute_or_at_once_on_asking(client, province, dashboard_cache):
    t = province
    quarter = one_stop_quarter(t)
    client.force_login(t.office_a_officer)
    params = {"unit": t.office_a.pk, "period": "2025-Q1"}

    first = client.get(URL, params)
    assert _total(first) == TOTAL
    html = first.content.decode()
    assert "Số liệu tính lúc" in html and "Tính lại ngay" not in html  # just computed

    receive(t.office_a, quarter.procedures.district, at=vn(2025, 3, 20))
    again = client.get(URL, params)
    assert _total(again) == TOTAL  # the figures of a moment ago …
    html = again.content.decode()
    assert "Số liệu được tính lại sau mỗi 60 giây." in html and "Tính lại ngay" in html
    assert 'fresh=1' in html

    fresh = client.get(URL, {**params, "fresh": "1"})  # … until the officer asks
    assert _total(fresh) == TOTAL + 1
    assert _total(client.get(URL, params)) == TOTAL + 1  # and everyone gets the new ones


def test_figures_cached_for_office_a_are_not_shown_to_a_sibling_office(client, province, dashboard_cache):
    t = province
    one_stop_quarter(t)
    client.force_login(t.office_a_officer)
    assert client.get(URL, {"unit": t.office_a.pk, "period": "2025-Q1"}).status_code == 200

    client.force_login(t.office_b_officer)
    assert client.get(URL, {"unit": t.office_a.pk, "period": "2025-Q1"}).status_code == 404
    own = client.get(URL, {"period": "2025-Q1"})
    assert own.context["unit"] == t.office_b and _total(own) == 1


def test_with_the_cache_off_every_view_counts_again(client, province, settings):
    settings.CCHC_DASHBOARD_MAX_AGE = 0
    t = province
    quarter = one_stop_quarter(t)
    client.force_login(t.office_a_officer)
    params = {"unit": t.office_a.pk, "period": "2025-Q1"}
    assert _total(client.get(URL, params)) == TOTAL
    receive(t.office_a, quarter.procedures.district, at=vn(2025, 3, 20))
    response = client.get(URL, params)
    assert _total(response) == TOTAL + 1
    assert "Tính lại ngay" not in response.content.decode()

"""The admin screens write through the services: validated, audited."""

import datetime as dt

import pytest
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.workdays.models import WorkdayException

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:workdays_workdayexception_add")


def post(client, **data):
    form = {"day": "2026-11-24", "kind": "day_off", "reason": "Nghỉ lễ", "reference": "TB 1/2026"}
    return client.post(ADD_URL, {**form, **data})


def test_the_list_shows_the_shipped_swaps(admin_client):
    page = admin_client.get(reverse("admin:workdays_workdayexception_changelist"))
    assert page.status_code == 200
    assert "6150/TB-BLĐTBXH" in page.content.decode()


def test_adding_a_day_off_goes_through_the_service(admin_client):
    response = post(admin_client)
    assert response.status_code == 302
    assert WorkdayException.objects.filter(day="2026-11-24", kind="day_off").exists()
    assert AuditEvent.objects.filter(event="workday_exception.created").exists()


def test_a_working_day_on_a_weekday_is_refused_in_vietnamese(admin_client):
    response = post(admin_client, kind="working_day")
    assert response.status_code == 200
    assert "thứ Bảy hoặc Chủ nhật" in response.content.decode()
    assert not WorkdayException.objects.filter(day="2026-11-24").exists()


def test_deleting_from_the_admin_is_audited(admin_client):
    row = WorkdayException.objects.get(day="2025-05-02")
    url = reverse("admin:workdays_workdayexception_delete", args=[row.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not WorkdayException.objects.filter(pk=row.pk).exists()
    assert AuditEvent.objects.filter(event="workday_exception.deleted").exists()


def test_moving_a_swap_to_another_date_frees_the_old_date(admin_client):
    row = WorkdayException.objects.get(day="2026-08-22")
    url = reverse("admin:workdays_workdayexception_change", args=[row.pk])
    response = admin_client.post(
        url,
        {"day": "2026-08-29", "kind": "working_day", "reason": row.reason, "reference": "x"},
    )
    assert response.status_code == 302
    assert list(
        WorkdayException.objects.filter(day__in=["2026-08-22", "2026-08-29"]).values_list(
            "day", flat=True
        )
    ) == [dt.date(2026, 8, 29)]

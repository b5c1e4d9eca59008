"""The one-stop desk of the demo province (`cchc generate` → `cchc.dossiers.demo`).

The province and its dossiers are loaded once for the module inside a transaction that
is rolled back at the end (the plans and reporting demos, tested elsewhere, are left out).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction
from django.test import override_settings

from cchc.orgs.models import Membership, OrgUnit, Role, UnitKind
from cchc.workdays.calendar import VN_TZ, add_working_days

from ..demo import DESKS, START, TODAY, load_demo
from ..demo_catalogue import CATALOGUE, load_catalogue
from ..models import OPEN_STATUSES, Dossier, DossierStatus, OnlineMode, Procedure, ProcedureLevel

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from cchc.orgs.demo.province import build_demo

    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            build_demo(seed=2025)
            yield load_demo(seed=2025)
            transaction.set_rollback(True)


def _day(value: dt.datetime) -> dt.date:
    return value.astimezone(VN_TZ).date()


def test_the_catalogue_covers_every_level_with_real_looking_entries(demo):
    procedures = list(Procedure.objects.all())
    assert len(procedures) == len(CATALOGUE) >= 30
    assert {p.level for p in procedures} == set(ProcedureLevel.values)
    assert {p.online_mode for p in procedures} == set(OnlineMode.values)
    assert any(p.result_requires_file for p in procedures)
    assert any(p.cutoff == dt.time(15) for p in procedures)
    for p in procedures:
        assert re.fullmatch(r"[123]\.\d{6}", p.code), p.code
        assert 3 <= len(p.steps) <= 5, p.code
        assert sum(step["share"] for step in p.steps) == 100, p.code
        assert p.steps[-1]["name"] == "Trả kết quả"
        assert p.documents and p.legal_basis and p.result
    # The district's procedures went with the district level; the extra-tuition licence
    # with Circular 29/2024.
    assert not Procedure.objects.filter(level=ProcedureLevel.DISTRICT, is_active=True).exists()
    assert not Procedure.objects.get(code="1.005088").is_active


def test_loading_the_catalogue_again_changes_nothing(demo):
    before = dict(Procedure.objects.values_list("code", "pk"))
    again = load_catalogue(today=TODAY)
    assert {p.code: p.pk for p in again} == before
    assert Procedure.objects.count() == len(before)


def test_two_years_of_dossiers_at_the_units_open_at_the_time(demo):
    total = Dossier.objects.count()
    assert 25_000 <= total <= 60_000
    assert total == demo.generated.dossiers + demo.queue
    days = [_day(at) for at in Dossier.objects.values_list("received_at", flat=True)]
    assert START <= min(days) and max(days) <= TODAY
    offices = Dossier.objects.filter(unit__kind=UnitKind.DISTRICT_OFFICE)
    communes = Dossier.objects.filter(unit__kind=UnitKind.COMMUNE_OFFICE)
    assert offices.count() > 3000 and communes.count() > 5000
    assert max(_day(d) for d in offices.values_list("received_at", flat=True)) <= dt.date(2025, 6, 30)
    assert min(_day(d) for d in communes.values_list("received_at", flat=True)) >= dt.date(2025, 7, 1)
    assert Dossier.objects.filter(unit__kind=UnitKind.SCHOOL).exists()
    assert Dossier.objects.filter(unit__code="SGD-TB").exists()  # until the merger


@pytest.mark.parametrize("username", list(DESKS))
def test_each_demo_desk_has_a_queue_around_today(demo, username):
    membership = Membership.objects.select_related("unit", "user").get(
        user__username=username, role=Role.ONE_STOP_DESK
    )
    assert membership.unit.code == DESKS[username]
    queue = Dossier.objects.filter(
        unit=membership.unit, status__in=OPEN_STATUSES, received_by=membership.user
    )
    dues = sorted(_day(d.due_at) for d in queue)
    tomorrow = add_working_days(TODAY, 1)
    assert any(day < TODAY for day in dues), dues  # overdue
    assert tomorrow in dues
    assert queue.filter(status=DossierStatus.SUPPLEMENT).exists()
    waiting = Dossier.objects.filter(
        unit=membership.unit, status=DossierStatus.RESOLVED, received_by=membership.user
    )
    assert waiting.exists()
    # Each queued dossier went through the services: control sheet and history.
    for dossier in queue:
        assert dossier.steps.exists() and dossier.events.exists()


def test_a_second_load_changes_nothing(demo):
    count = Dossier.objects.count()
    assert load_demo(seed=2025) is None
    assert Dossier.objects.count() == count
    assert OrgUnit.objects.filter(code="SGD-HY").exists()

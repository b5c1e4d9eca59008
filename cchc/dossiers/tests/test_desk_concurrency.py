"""Deadline day at the one-stop desks: 50 desk officers receive dossiers in the same second.

Ten district offices with four desks each, and ten desk officers of the department's
own desk who receive for two offices in turn: six desks share each office's numbering
of the day. All 50 threads, each with its own database connection, are released
at the same instant by a barrier; every desk receives six dossiers stamped with the
same second. What the offices would check at the end of the day:

- every dossier is there, with its received event and its first step;
- every code is different, and each office's numbers of the day run 1..N without a
  gap, N being what its desks received (the counter row serialises them);
- no desk officer saw a database error (a deadlock or a lost lock would surface here).

PostgreSQL only: SQLite's in-memory test database (shared cache) fails concurrent
writers at once instead of queueing them behind the row lock.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model

from cchc.core.tests.concurrency import POSTGRES_CONCURRENCY, run_at_once
from cchc.dossiers import services
from cchc.dossiers.models import Dossier, DossierCounter, DossierEvent, DossierStep
from cchc.orgs.models import Membership, Role, UnitKind
from cchc.orgs.tests.factories import bulk_units

from .factories import make_procedure, vn

OFFICES = 10
DESKS_PER_OFFICE = 4
ROAMING_DESKS = 10  # the department's desk officers, receiving for two offices in turn
PER_DESK = 6

pytestmark = POSTGRES_CONCURRENCY


def test_fifty_desks_receive_in_the_same_second(province):
    procedure = make_procedure(processing_days=5)
    offices = bulk_units(province.department, UnitKind.DISTRICT_OFFICE, OFFICES)
    User = get_user_model()
    desks = []  # (officer, the offices it receives for, in turn)
    for office in offices:
        for d in range(DESKS_PER_OFFICE):
            desks.append((User(username=f"motcua.{office.code.lower()}.{d}"), [office], office))
    for r in range(ROAMING_DESKS):
        pair = [offices[r], offices[(r + 1) % OFFICES]]
        desks.append((User(username=f"motcua.so.{r}"), pair, province.department))
    User.objects.bulk_create(officer for officer, _, _ in desks)
    Membership.objects.bulk_create(
        Membership(user=officer, unit=home, role=Role.ONE_STOP_DESK) for officer, _, home in desks
    )
    same_second = vn(2025, 10, 8, 9, 30)

    def desk(index: int) -> tuple[list[tuple[int, str]], list[BaseException]]:
        officer, units, _ = desks[index]
        received, errors = [], []
        for n in range(PER_DESK):
            unit = units[n % len(units)]
            try:
                dossier = services.dossier_receive(
                    actor=officer,
                    unit=unit,
                    procedure=procedure,
                    applicant=services.Applicant(name=f"Người nộp {index}-{n}"),
                    received_at=same_second,
                )
                received.append((unit.pk, dossier.code))
            except BaseException as error:  # what the desk officer would see
                errors.append(error)
        return received, errors

    results = run_at_once(len(desks), desk)

    assert len(desks) == 50
    assert [repr(e) for _, errors in results for e in errors] == []
    received = [row for got, _ in results for row in got]
    total = len(desks) * PER_DESK
    codes = [code for _, code in received]
    assert len(codes) == len(set(codes)) == total
    per_office = Counter(unit_id for unit_id, _ in received)
    for office in offices:
        numbers = sorted(int(code.split("-")[-2]) for unit_id, code in received if unit_id == office.pk)
        assert numbers == list(range(1, per_office[office.pk] + 1)), office.code
        assert DossierCounter.objects.get(unit=office, day=same_second.date()).last == per_office[office.pk]
    stored = Dossier.objects.filter(unit__in=offices)
    assert sorted(stored.values_list("code", flat=True)) == sorted(codes)
    assert DossierEvent.objects.filter(dossier__in=stored, kind="received").count() == total
    assert DossierStep.objects.filter(dossier__in=stored, position=0).count() == total

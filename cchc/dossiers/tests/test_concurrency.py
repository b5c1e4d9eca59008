"""Eight desks of one office receive 25 dossiers each at the same second: every dossier
gets its own code and the day's numbers run 1..200 without a gap, and no desk officer
ever sees a database error.

Each thread has its own database connection (Django opens one per thread), so the
counter row is really contended: on PostgreSQL by its row lock, and the first insert of
the day's row by the unique constraint. SQLite's test database is an in-memory
shared-cache database, whose table locks fail at once instead of waiting for the write
lock, so the test runs on PostgreSQL only (CI runs the suite on both).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from cchc.dossiers import services
from cchc.dossiers.models import Dossier, DossierCounter, DossierEvent

from .factories import make_procedure, vn

THREADS = 8
PER_THREAD = 25

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's in-memory test database (shared cache) fails concurrent writers at once "
        "instead of queueing them; the row-lock behaviour is PostgreSQL's",
    ),
]


def test_desks_receiving_at_the_same_second_get_distinct_gapless_numbers(province):
    procedure = make_procedure(processing_days=5)
    office = province.office_a
    same_second = vn(2025, 10, 8, 9, 30)
    start = threading.Barrier(THREADS)

    def desk(index: int) -> tuple[list[str], list[BaseException]]:
        codes, errors = [], []
        try:
            start.wait()
            for n in range(PER_THREAD):
                try:
                    dossier = services.dossier_receive(
                        actor=province.desk_officer,
                        unit=office,
                        procedure=procedure,
                        applicant=services.Applicant(name=f"Người nộp {index}-{n}"),
                        received_at=same_second,
                    )
                    codes.append(dossier.code)
                except BaseException as error:  # what the desk officer would see
                    errors.append(error)
        finally:
            connections.close_all()  # this thread's connection
        return codes, errors

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(desk, range(THREADS)))

    errors = [repr(e) for _, errs in results for e in errs]
    codes = [code for got, _ in results for code in got]
    total = THREADS * PER_THREAD
    assert errors == []
    assert len(codes) == len(set(codes)) == total
    numbers = sorted(int(code.split("-")[-2]) for code in codes)
    assert numbers == list(range(1, total + 1))
    assert all(code.startswith("HY-VG-251008-") for code in codes)
    assert Dossier.objects.filter(unit=office).count() == total
    assert DossierEvent.objects.filter(dossier__unit=office, kind="received").count() == total
    assert DossierCounter.objects.get(unit=office, day=same_second.date()).last == total

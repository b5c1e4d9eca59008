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

from django.db import connections

from cchc.core.tests.concurrency import POSTGRES_CONCURRENCY
from cchc.dossiers import services
from cchc.dossiers.history_import import dossier_history_import
from cchc.dossiers.models import Dossier, DossierCounter, DossierEvent

from .factories import make_procedure, vn
from .test_history_import import row as history_row
from .test_history_import import xlsx as history_xlsx

THREADS = 8
PER_THREAD = 25

pytestmark = POSTGRES_CONCURRENCY


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


def test_a_history_import_and_the_desks_share_the_days_numbers(province):
    """The import advances the day's counter once, under its lock, while desks receive."""
    procedure = make_procedure(processing_days=5)
    office = province.office_a
    day = vn(2025, 10, 8, 9, 30)
    rows = [
        history_row(
            f"OLD-{n}", procedure, f"08/10/2025 {7 + n // 60:02d}:{n % 60:02d}", status="Đang giải quyết"
        )
        for n in range(60)
    ]
    data = history_xlsx(rows)
    desks, per_desk = 4, 15
    start = threading.Barrier(desks + 1)

    def desk(index: int) -> list[str]:
        codes = []
        try:
            start.wait()
            for n in range(per_desk):
                dossier = services.dossier_receive(
                    actor=province.desk_officer,
                    unit=office,
                    procedure=procedure,
                    applicant=services.Applicant(name=f"Người nộp {index}-{n}"),
                    received_at=day,
                )
                codes.append(dossier.code)
        finally:
            connections.close_all()
        return codes

    def importer() -> int:
        try:
            start.wait()
            return dossier_history_import(actor=province.desk_officer, unit=office, file=data).created
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=desks + 1) as pool:
        imported = pool.submit(importer)
        received = [pool.submit(desk, i) for i in range(desks)]
        assert imported.result() == 60
        codes = [code for future in received for code in future.result()]

    total = 60 + desks * per_desk
    all_codes = list(Dossier.objects.filter(unit=office).values_list("code", flat=True))
    assert len(codes) == desks * per_desk and len(all_codes) == len(set(all_codes)) == total
    assert sorted(int(code.split("-")[-2]) for code in all_codes) == list(range(1, total + 1))
    assert DossierCounter.objects.get(unit=office, day=day.date()).last == total


def test_the_same_dossier_pushed_at_once_by_four_connections_is_received_once(province):
    """The idempotent receive of the API holds when the pushes race each other."""
    from django.test import Client

    from cchc.orgs.services_tokens import api_token_issue

    make_procedure(code="1.005092", processing_days=5)
    _, token = api_token_issue(actor=province.desk_officer, user=province.desk_officer, name="dvc")
    pushes, copies = 10, 4
    start = threading.Barrier(copies)

    def pusher(_index: int) -> list[int]:
        client, statuses = Client(), []
        try:
            for n in range(pushes):
                start.wait()
                response = client.post(
                    "/api/dossiers/dossiers",
                    data={
                        "unit": "HY-VG",
                        "procedure": "1.005092",
                        "applicant": {"name": "Trần Văn Cường"},
                        "received_at": "2025-10-08T10:15:00+07:00",
                        "external_id": f"DVC-{n}",
                    },
                    content_type="application/json",
                    headers={"Authorization": f"Bearer {token}"},
                )
                statuses.append(response.status_code)
        finally:
            connections.close_all()
        return statuses

    with ThreadPoolExecutor(max_workers=copies) as pool:
        statuses = [s for got in pool.map(pusher, range(copies)) for s in got]

    assert sorted(set(statuses)) == [200, 201] and statuses.count(201) == pushes
    assert Dossier.objects.count() == pushes
    assert sorted(Dossier.objects.values_list("external_id", flat=True)) == sorted(
        f"DVC-{n}" for n in range(pushes)
    )

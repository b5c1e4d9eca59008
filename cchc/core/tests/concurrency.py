"""Running work at the same instant from several threads, each with its own connection.

The concurrency tests (deadline day, the one-stop desk) all need the same frame: N
lanes released together by a barrier, each lane's database connection closed when it
ends (a thread keeps its own), and the lanes' results back in order. PostgreSQL only:
SQLite's in-memory test database (shared cache) fails concurrent writers at once instead
of queueing them behind the row lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from django.db import connection, connections

T = TypeVar("T")

POSTGRES_CONCURRENCY = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's in-memory test database (shared cache) fails concurrent writers at once "
        "instead of queueing them; the row-lock behaviour is PostgreSQL's",
    ),
]


def run_at_once(lanes: int, work: Callable[[int], T]) -> list[T]:
    """`work(lane)` for lanes 0..lanes-1, in as many threads, all started at the same
    instant; their results in lane order. An exception in a lane is raised here."""
    start = threading.Barrier(lanes)

    def lane(index: int) -> T:
        try:
            start.wait()
            return work(index)
        finally:
            connections.close_all()  # this thread's connection

    with ThreadPoolExecutor(max_workers=lanes) as pool:
        return list(pool.map(lane, range(lanes)))

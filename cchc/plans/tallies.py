"""Task tallies: the counts dashboards read, kept in step with every task write.

Every service that creates, changes or removes tasks calls `record(before, after)` with
the tasks' keys before and after, inside its own transaction; the tally rows of each
ancestor branch move by the difference ("INSERT … ON CONFLICT DO UPDATE", on PostgreSQL
and SQLite alike). `rebuild(root_plan_id)` recomputes a cascade's tallies from its
tasks (after a restructuring or a bulk SQL change; also `cchc plan_tallies --rebuild`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction

from .models import Task, TaskTally

NO_DUE_DATE = dt.date(9999, 12, 31)

# (root_plan_id, issuer_path, area_key, status, due_date)
Key = tuple[int, str, int, str, dt.date]


def key_of(task: Task) -> tuple[Key, int]:
    """The tally key of a task and its percent."""
    return (
        (
            task.root_plan_id,
            task.issuer_path,
            task.area_id or 0,
            task.status,
            task.due_date or NO_DUE_DATE,
        ),
        task.percent or 0,
    )


def branches(path: str) -> list[tuple[int, str]]:
    """'/1/5/9/' → [(0, '/1/'), (1, '/1/5/'), (2, '/1/5/9/')] (depth, branch)."""
    parts = [p for p in path.split("/") if p]
    return [(depth, "/" + "/".join(parts[: depth + 1]) + "/") for depth in range(len(parts))]


def record(before: Iterable[tuple[Key, int]] = (), after: Iterable[tuple[Key, int]] = ()) -> None:
    """Move the tallies from the `before` keys to the `after` keys (one statement batch)."""
    counts: Counter = Counter()
    percents: Counter = Counter()
    for sign, items in ((-1, before), (1, after)):
        for (root, path, area, status, due), percent in items:
            for depth, branch in branches(path):
                key = (root, depth, branch, area, status, due)
                counts[key] += sign
                percents[key] += sign * percent
    rows = [
        (root, depth, branch, area, status, due, counts[k], percents[k])
        for k in counts
        for (root, depth, branch, area, status, due) in [k]
        if counts[k] or percents[k]
    ]
    if rows:
        _upsert(rows)


def _upsert(rows: list[tuple]) -> None:
    table = TaskTally._meta.db_table
    sql = (
        f"INSERT INTO {table} (root_plan_id, depth, branch, area_key, status, due_date, tasks, percent_sum) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (root_plan_id, branch, area_key, status, due_date) DO UPDATE SET "
        f"tasks = {table}.tasks + excluded.tasks, "
        f"percent_sum = {table}.percent_sum + excluded.percent_sum"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def record_created(tasks: Iterable[Task]) -> None:
    record(after=[key_of(t) for t in tasks])


@transaction.atomic
def rebuild(root_plan_id: int) -> int:
    """Recompute a cascade's tallies from its tasks; returns the number of tasks."""
    TaskTally.objects.filter(root_plan_id=root_plan_id).delete()
    rows = (
        Task.objects.filter(root_plan_id=root_plan_id)
        .values_list("issuer_path", "area_id", "status", "due_date", "percent")
        .iterator(chunk_size=20000)
    )
    total = 0
    batch = []
    for path, area, status, due, percent in rows:
        batch.append(((root_plan_id, path, area or 0, status, due or NO_DUE_DATE), percent or 0))
        total += 1
        if len(batch) >= 20000:
            record(after=batch)
            batch = []
    record(after=batch)
    return total

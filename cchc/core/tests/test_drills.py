"""The fault drills of bench/drills, run as tests (marker `drill`).

- The task worker killed with SIGKILL while it sends a batch of reminders: every school
  is reminded exactly once. On the suite's database engine: a throwaway SQLite file, or
  a throwaway database on the suite's PostgreSQL server.
- PostgreSQL stopped for ten seconds under load and started again: friendly 503s while
  it is down, the service answers again by itself, no acknowledged write is lost. It
  runs a cluster of its own (never the suite's server), in the PostgreSQL pass only.

Each drill starts its own processes (`cchc`, `db_worker`, gunicorn, postgres) in a
temporary directory and cleans up after itself; see docs/operations-drills.md.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.db import connection

DRILLS = Path(__file__).resolve().parents[3] / "bench" / "drills"

pytestmark = pytest.mark.drill


def _drill(name: str):
    spec = importlib.util.spec_from_file_location(f"cchc_drill_{name}", DRILLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _suite_postgres_server() -> str | None:
    if connection.vendor != "postgresql":
        return None
    s = connection.settings_dict
    credentials = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"


def test_a_worker_killed_mid_batch_loses_no_reminder_and_sends_none_twice():
    figures = _drill("worker_kill").run(reminders=90, pg_server=_suite_postgres_server(), say=lambda *a: None)

    assert figures["problems"] == []
    assert figures["killed_mid_conversation"]  # the kill landed while a message was being sent
    assert 0 < figures["sent_before_kill"] < 90
    assert figures["enqueued_second_run"] >= 1  # the message in flight was claimed again, and sent
    assert figures["messages"] == 90
    assert figures["final"]["reminders"] == {"sent": 90}


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="runs in the PostgreSQL pass (it starts a cluster of its own)"
)
def test_postgresql_stopped_under_load_gives_friendly_503s_and_loses_no_acknowledged_write():
    drill = _drill("pg_restart")
    if drill.find_pg_bin() is None:
        pytest.skip("PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) are not installed")
    figures = drill.run(down=10, say=lambda *a: None)

    assert figures["problems"] == []
    for kind, seen in figures["clients"].items():
        assert seen["answers_while_down"] > 0, kind
        assert seen["friendly_503_while_down"] == seen["answers_while_down"], kind
        assert seen["recovered_after_seconds"] is not None, kind
    assert figures["writes_acknowledged"] > 0
    assert figures["writes_lost"] == []

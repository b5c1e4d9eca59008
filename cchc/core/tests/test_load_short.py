"""The load test, short: keeps bench/load working (its figures come from the full run on
PostgreSQL, see bench/RESULTS-load.md).

A small national tree on SQLite in a temporary directory (100 schools, 1,000 dossiers),
gunicorn with two workers on a free loopback port in production settings, then locust
(a subprocess: it monkey-patches the standard library with gevent, which must not happen
inside pytest) for a few seconds with every kind of user. An operator running the load
test would check the same two things: nothing failed, and each kind of user did its work
— schools saved and submitted, the desk received dossiers, citizens looked dossiers up and
answered the survey.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent

needs_locust = pytest.mark.skipif(
    importlib.util.find_spec("locust") is None, reason="locust is not installed (pip install -e '.[dev]')"
)


def _run(command, env, timeout=120):
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command[0]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@needs_locust
def test_a_short_load_run_of_every_kind_of_user_has_no_failures(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "DATABASE_URL"))
    }
    env.update(DEBUG="0", CCHC_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'load.sqlite3'}")
    _run([BIN / "cchc", "migrate", "--noinput", "-v0"], env)
    _run([BIN / "cchc", "generate", "--scale", "national", "--schools", "100", "--dossiers", "1000"], env)
    out = tmp_path / "out"
    report = _run(
        [
            BIN / "python",
            ROOT / "bench" / "load" / "run.py",
            "--users", "8",
            "--time", "10",
            "--bare-users", "4",
            "--bare-time", "2",
            "--floor-time", "2",
            "--bare-processes", "1",
            "--workers", "2",
            "--schools", "10",
            "--wait", "0.2,0.6",
            "--out", str(out),
        ],
        env,
        timeout=150,
    )  # fmt: skip

    with open(out / "mix8_stats.csv", encoding="utf-8") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    failures = {name: row["Failure Count"] for name, row in rows.items() if int(row["Failure Count"])}
    assert failures == {}, report
    made = {name for name, row in rows.items() if int(row["Request Count"])}
    for name in (
        "officer: home",
        "school: save draft",
        "school: submit report",
        "desk: receive",
        "citizen: dossier status",
        "citizen: survey answer",
    ):
        assert name in made, f"no request named {name!r}:\n{report}"
    with open(out / "bare_stats.csv", encoding="utf-8") as f:
        bare = {row["Name"]: row for row in csv.DictReader(f)}
    assert int(bare["bare: /healthz/"]["Request Count"]) > 0
    assert int(bare["bare: /healthz/"]["Failure Count"]) == 0
    # The signed-in floor: officers' 404 pages, each the expected answer, not a failure.
    with open(out / "floor_stats.csv", encoding="utf-8") as f:
        floor = {row["Name"]: row for row in csv.DictReader(f)}
    assert int(floor["floor: signed-in 404"]["Request Count"]) > 0
    assert int(floor["floor: signed-in 404"]["Failure Count"]) == 0
    assert "floor / bare = " in report
    assert "ratio at 8 users" in report


def test_the_liveness_view_answers_ok_without_the_database(client):
    # No `db` fixture: pytest-django refuses any query, so this also proves the reverse
    # proxy's health check keeps answering while the database is away.
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz/").status_code == 405


def test_the_proxy_checks_liveness_over_plain_http_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz/").status_code == 200
    assert client.get("/public/status/").status_code == 301  # every page still goes to https

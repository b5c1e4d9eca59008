"""Where the load test's time goes: each GET page of the mix requested alone, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_national \\
        .venv/bin/python bench/load/pages.py [--runs 15] [--scenario var/load/scenario.json]

Reads the scenario written by prepare.py (run.py writes it; run prepare.py first
otherwise). For each page: Django's test client in this process (no gunicorn, no
locust), the largest department's reform officer, its desk officer, one of the load
schools and an anonymous citizen; the median time of `--runs` requests after one warm-up,
and the number of queries of one request. Production settings (DEBUG=0) except the https
redirect; the aggregate cache (`CCHC_DASHBOARD_MAX_AGE`) is on as in production, so the
department pages are shown twice: "first" (computed) and "cached" (served from it).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cchc.dossiers.models import Dossier  # noqa: E402
from cchc.orgs.models import Membership, OrgUnit, Role, UnitKind  # noqa: E402
from cchc.reporting.models import Report  # noqa: E402


def _largest_department() -> OrgUnit:
    return max(
        OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT, closed_on__isnull=True),
        key=lambda u: OrgUnit.objects.filter(path__startswith=u.path).count(),
    )


def _member(unit: OrgUnit, role: str):
    membership = Membership.objects.filter(unit=unit, role=role).select_related("user").first()
    return membership.user if membership else None


def _address() -> str:
    """Each request from its own address: the public pages limit lookups per address."""
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def timed(client: Client, url: str, runs: int, headers: dict | None = None) -> tuple[float, int, int]:
    headers = headers or {}
    response = client.get(url, headers=headers, REMOTE_ADDR=_address())  # warm-up, fills the cache
    with CaptureQueriesContext(connection) as queries:
        client.get(url, headers=headers, REMOTE_ADDR=_address())
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url, headers=headers, REMOTE_ADDR=_address())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(queries), response.status_code


def first(client: Client, url: str, runs: int, headers: dict | None = None) -> float:
    """The page computed, not served from the aggregate cache (cleared before each run)."""
    times = []
    for _ in range(max(3, runs // 3)):
        cache.clear()
        start = time.perf_counter()
        client.get(url, headers=headers or {}, REMOTE_ADDR=_address())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def profile(client: Client, url: str, runs: int, headers: dict | None) -> None:
    import cProfile
    import pstats

    client.get(url, headers=headers or {}, REMOTE_ADDR=_address())
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(url, headers=headers or {}, REMOTE_ADDR=_address())
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scenario", default="var/load/scenario.json")
    parser.add_argument("--profile", default="", help="a page's name: print its cProfile instead")
    args = parser.parse_args()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG=0 serves the manifest's names
    scenario = json.loads(Path(args.scenario).read_text(encoding="utf-8"))
    department = _largest_department()
    officer = _member(department, Role.REFORM_OFFICER)
    desk = _member(department, Role.ONE_STOP_DESK)
    school = get_user_model().objects.get(username=scenario["schools"][0])
    plan = scenario["plan"]
    dossier = Dossier.objects.filter(unit__in=desk.memberships.values("unit")).order_by("-pk").first()
    report = Report.objects.filter(unit__in=school.memberships.values("unit")).order_by("-pk").first()
    code = scenario["dossier_codes"][0]
    token = scenario["survey_tokens"][0]
    hx = {"HX-Request": "true"}
    panel = f"/plans/{plan}/dashboard/?panel=indicators"
    pages = [
        ("officer", officer, "signed-in 404", "/no-such-page/", None, False),
        ("officer", officer, "home", "/", None, False),
        ("officer", officer, "plan dashboard", f"/plans/{plan}/dashboard/", None, True),
        ("officer", officer, "plan dashboard indicators", panel, hx, True),
        ("officer", officer, "plan list", "/plans/", None, False),
        ("officer", officer, "reports", "/reports/", None, False),
        ("officer", officer, "report completeness", "/reports/completeness/", None, False),
        ("officer", officer, "dossier list", "/dossiers/", None, False),
        ("officer", officer, "dossier statistics", "/dossiers/statistics/", None, True),
        ("desk", desk, "receive form", "/dossiers/receive/", None, False),
        ("desk", desk, "dossier list", "/dossiers/", None, False),
        ("desk", desk, "dossier detail", f"/dossiers/{dossier.pk}/", None, False),
        ("school", school, "home", "/", None, False),
        ("school", school, "reports", "/reports/", None, False),
        ("school", school, "report form", f"/reports/{report.pk}/", None, False),
        ("citizen", None, "dossier status", f"/public/status/?code={code}", None, False),
        ("citizen", None, "survey form", f"/public/survey/{token}/", None, False),
        ("-", None, "bare /healthz/", "/healthz/", None, False),
    ]
    reset_queries()
    print(f"{department.name}: {officer.username}, {desk.username if desk else '-'}, {school.username}")
    print(f"| user | page | status | queries | ms (median of {args.runs}) | ms, computed |")
    print("|---|---|---:|---:|---:|---:|")
    for role, user, name, url, headers, aggregate in pages:
        client = Client(REMOTE_ADDR=f"10.0.0.{len(name)}")
        if user is not None:
            client.force_login(user)
        if args.profile:
            if args.profile == f"{role} {name}":
                profile(client, url, args.runs, headers)
            continue
        ms, queries, status = timed(client, url, args.runs, headers)
        computed = f"{first(client, url, args.runs, headers):.1f}" if aggregate else ""
        print(f"| {role} | {name} | {status} | {queries} | {ms:.1f} | {computed} |")


if __name__ == "__main__":
    main()

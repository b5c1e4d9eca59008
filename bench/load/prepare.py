"""The accounts and objects the load test uses, written to a JSON scenario for the locustfile.

    DATABASE_URL=… .venv/bin/python bench/load/prepare.py --out var/load/scenario.json [--schools 400]

Needs a database loaded by the national generator (`cchc generate --scale national`,
users included; see bench/load/national_data.sh). Idempotent; run before every load run:

- officers: the departments' reform officers and heads, a sample of the commune offices'
  reform officers (all created by the generator, password "demo");
- desk officers: the departments' one-stop desk officers, each with a procedure their
  department handles (the receive form's first choice is taken at run time);
- schools: `--schools` principals ("load.<unit id>", role unit head, password "demo") of
  the largest department's schools, created here once, and a monthly reporting duty of
  that department for its schools ("(load test)", created through `schedule_create`).
  Their monthly reports are deleted on every run, so each school can again open, save and
  submit the months of 2025 and 2026 up to the current one;
- citizens: a sample of dossier codes (status lookups) and of the open survey campaign's
  links (one created at the ministry through `campaign_create` when none is open);
- a plan for the dashboards: the plans benchmark's national plan when present, otherwise a
  small one issued here and cascaded to the load schools.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from cchc.dossiers.models import Dossier  # noqa: E402
from cchc.feedback import surveys  # noqa: E402
from cchc.feedback.survey_models import SurveyCampaign, SurveyLink, SurveyTemplate  # noqa: E402
from cchc.metrics.periods import Period  # noqa: E402
from cchc.orgs.models import Membership, OrgUnit, Role, UnitKind  # noqa: E402
from cchc.plans import services as plan_services  # noqa: E402
from cchc.plans.models import Plan, PlanStatus  # noqa: E402
from cchc.plans.services_cascade import plan_cascade  # noqa: E402
from cchc.reporting import services as report_services  # noqa: E402
from cchc.reporting.models import Report, ReportingSchedule  # noqa: E402

SCHEDULE_NAME = "Báo cáo CCHC hằng tháng của các trường (load test)"
MONTHLY = {"due": "day_of_last_month", "day": 25, "periods": ["month"], "cut_off": "decree_09_2019"}
NATIONAL_PLAN = "Kế hoạch CCHC năm 2026 của ngành Giáo dục (benchmark)"
SMALL_PLAN = "Kế hoạch CCHC năm 2026 (load test)"
SURVEY_TITLE = "Khảo sát sự hài lòng của cha mẹ học sinh (load test)"
PASSWORD = "demo"


def _department() -> OrgUnit:
    """The open department with the most schools: the load schools are its own."""
    return (
        OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT, closed_on__isnull=True)
        .annotate(n=Count("children"))
        .order_by("-n", "pk")
        .first()
    )


def _schools(department: OrgUnit, count: int) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(
            kind=UnitKind.SCHOOL, closed_on__isnull=True, path__startswith=department.path
        ).order_by("pk")[:count]
    )


def _school_users(schools: list[OrgUnit]) -> list[str]:
    User = get_user_model()
    wanted = {f"load.{school.pk}": school for school in schools}
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    password = make_password(PASSWORD)
    created = User.objects.bulk_create(
        [
            User(username=name, password=password, last_name="Hiệu trưởng", first_name=f"trường {s.pk}")
            for name, s in wanted.items()
            if name not in existing
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, unit=wanted[user.username], role=Role.UNIT_HEAD, title="Hiệu trưởng")
            for user in created
        ]
    )
    return list(wanted)


def _schedule(department: OrgUnit) -> ReportingSchedule:
    schedule = ReportingSchedule.objects.filter(name=SCHEDULE_NAME, is_active=True).first()
    if schedule is None:
        schedule = report_services.schedule_create(
            actor=None,
            owner=department,
            name=SCHEDULE_NAME,
            rule=MONTHLY,
            reporter_kinds=[UnitKind.SCHOOL],
        )
    return schedule


def _months(today: dt.date) -> list[str]:
    """The months a school may report: January 2025 up to the current month."""
    current = Period.current("month", today)
    return [
        Period("month", year, month).key
        for year in (2025, 2026, 2027)
        for month in range(1, 13)
        if (year, month) <= (current.year, current.index)
    ]


def _survey_tokens(department: OrgUnit, count: int, rng: random.Random) -> list[str]:
    today = timezone.localdate()
    campaign = (
        SurveyCampaign.objects.filter(starts_on__lte=today, ends_on__gte=today, closed_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if campaign is None or surveys.campaign_state(campaign) != surveys.OPEN:
        admin = get_user_model().objects.filter(memberships__role=Role.SYSTEM_ADMIN).first()
        campaign = surveys.campaign_create(
            actor=admin,
            template=SurveyTemplate.objects.get(code="parents-primary"),
            unit=OrgUnit.objects.get(kind=UnitKind.MINISTRY),
            title=SURVEY_TITLE,
            starts_on=today - dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=60),
        )
    links = list(
        SurveyLink.objects.filter(campaign=campaign, unit__kind=UnitKind.SCHOOL)
        .order_by("pk")
        .values_list("token", flat=True)[:20_000]
    )
    return rng.sample(links, min(count, len(links)))


def _plan(schools: list[OrgUnit]) -> Plan:
    plan = (
        Plan.objects.filter(title__in=[NATIONAL_PLAN, SMALL_PLAN], parent__isnull=True)
        .order_by("-pk")
        .first()
    )
    if plan is not None:
        return plan
    ministry = OrgUnit.objects.get(kind=UnitKind.MINISTRY)
    with transaction.atomic():
        plan = plan_services.plan_create(
            actor=None,
            issuer=ministry,
            title=SMALL_PLAN,
            kind="annual",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
            symbol="KH-LOAD",
        )
        plan_services.indicator_add(
            actor=None,
            plan=plan,
            text="100% nhiệm vụ hoàn thành đúng hạn",
            target=100,
            metric_key="plans.tasks_done_on_time",
        )
        for n in range(5):
            plan_services.task_add(
                actor=None,
                plan=plan,
                content=f"Nhiệm vụ CCHC số {n + 1}",
                timeframe_text="Quý IV/2026",
                lead_unit=ministry,
            )
        plan = plan_services.plan_set_status(actor=None, plan=plan, status=PlanStatus.ISSUED)
        plan_cascade(actor=None, parent=plan, units=schools)
    return plan


def _sessions(usernames: list[str]) -> dict[str, str]:
    """A signed-in session per account, as the sign-in page would leave it: the users of
    the load are already at work (signing in costs ~0.3 s of CPU by design, PBKDF2 with
    a million iterations; the runner measures it apart)."""
    store = SessionStore()
    expire = timezone.now() + dt.timedelta(hours=8)
    users = get_user_model().objects.filter(username__in=usernames)
    sessions, keys = [], {}
    for user in users:
        key = store._get_new_session_key()
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        keys[user.username] = key
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    Session.objects.bulk_create(sessions, batch_size=1000)
    return keys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="var/load/scenario.json")
    parser.add_argument("--schools", type=int, default=400)
    parser.add_argument("--codes", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(2026)
    User = get_user_model()

    department = _department()
    schools = _schools(department, args.schools)
    school_users = _school_users(schools)
    schedule = _schedule(department)
    deleted, _ = Report.objects.filter(schedule=schedule).delete()

    departments = list(
        User.objects.filter(
            memberships__unit__kind=UnitKind.DEPARTMENT, memberships__unit__closed_on__isnull=True
        ).values_list("username", "memberships__role")
    )
    officers = [u for u, role in departments if role in (Role.REFORM_OFFICER, Role.UNIT_HEAD)]
    desk = [u for u, role in departments if role == Role.ONE_STOP_DESK]
    communes = list(
        User.objects.filter(
            memberships__unit__kind=UnitKind.COMMUNE_OFFICE,
            memberships__role=Role.REFORM_OFFICER,
            memberships__unit__closed_on__isnull=True,
        )
        .order_by("pk")
        .values_list("username", flat=True)
    )
    officers += rng.sample(communes, min(len(communes), 300))

    codes = list(Dossier.objects.order_by("-pk").values_list("code", flat=True)[: args.codes * 4])
    plan = _plan(schools)
    scenario = {
        "password": PASSWORD,
        "officers": officers,
        "desk": desk,
        "schools": school_users,
        "schedule": schedule.pk,
        "months": _months(timezone.localdate()),
        "dossier_codes": rng.sample(codes, min(args.codes, len(codes))),
        "survey_tokens": _survey_tokens(department, args.codes, rng),
        "plan": plan.pk,
        "sessions": _sessions(officers + desk + school_users),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(scenario, ensure_ascii=False, indent=1))
    print(
        f"scenario {args.out}: {len(officers)} officers, {len(desk)} desk officers, "
        f"{len(school_users)} schools of {department.name} (monthly duty {schedule.pk}, "
        f"{deleted} earlier load rows deleted), {len(scenario['dossier_codes'])} dossier codes, "
        f"{len(scenario['survey_tokens'])} survey links, plan {plan.pk}"
    )


if __name__ == "__main__":
    main()

"""The one-stop desk of the demo province: its catalogue and two years of dossiers.

`load_demo` runs in `cchc generate` after the plans and reporting demos, inside the
province's transaction:

1. the demo catalogue (`demo_catalogue.load_catalogue`), as in force on the demo's today;
2. the dossiers received from 01/11/2024 to the demo's today (the day the demo is
   loaded, and never before 15/10/2026, the plans and reporting demos' date) by the
   bulk generator: the department (and the Thái Bình
   department until its merger on 01/07/2025) for province-level procedures, the 14
   district offices until 30/06/2025, the 58 commune offices from 01/07/2025 and about
   two schools in five with the school-level ones — some 33,000 dossiers, with their
   control sheets and events;
3. at the two desks with a demo user (so.motcua at the department, vangiang.motcua at
   Văn Giang commune), a queue built through the real services as it stands on the
   demo's today: two overdue, one due today, two due tomorrow, one further off, one
   waiting for supplementary documents, one resolved and waiting to be collected.

Back-dating as in the reporting demo: the services stamp the audit trail with
`timezone.now()`, so step 3 runs with it patched to the demo's today.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from unittest import mock

from django.contrib.auth import get_user_model

from cchc.orgs.models import OrgUnit, UnitKind
from cchc.workdays.calendar import VN_TZ, add_working_days, previous_working_day

from . import services
from .demo_catalogue import RETIRED_ON, WEIGHTS, fits_unit, load_catalogue
from .generate import GenerateResult, generate_dossiers
from .models import Dossier, Procedure

# The desk's "today": the real date, and never before the plans and reporting demos'
# 15/10/2026 — a queue frozen on a past day would show every open dossier as weeks late.
TODAY = max(dt.date(2026, 10, 15), dt.datetime.now(VN_TZ).date())
START = dt.date(2024, 11, 1)
# Mean dossiers a year per receiving unit (the department receives most).
RATES = {
    UnitKind.DEPARTMENT: 4500,
    UnitKind.DISTRICT_OFFICE: 500,
    UnitKind.COMMUNE_OFFICE: 120,
    UnitKind.SCHOOL: 15,
    UnitKind.CENTRE: 30,
}
SCHOOL_SHARE = 0.4  # schools that receive dossiers through the system
DESKS = {"so.motcua": "SGD-HY", "vangiang.motcua": "XA-HY-VANGIANG"}


@dataclass
class DossiersDemo:
    procedures: int
    generated: GenerateResult
    queue: int
    seconds: float

    def line(self) -> str:
        return (
            f"Một cửa: {self.procedures} thủ tục, {self.generated.dossiers:,} hồ sơ từ {START:%d/%m/%Y} "
            f"đến {TODAY:%d/%m/%Y}, {self.queue} hồ sơ trong hàng chờ của so.motcua và vangiang.motcua "
            f"— {self.seconds:.1f} giây."
        )


def load_demo(*, seed: int = 2025) -> DossiersDemo | None:
    """The catalogue, two years of dossiers and the desks' queues (None when the demo
    province is missing or already has dossiers)."""
    started = time.perf_counter()
    if not OrgUnit.objects.filter(code="SGD-HY").exists() or Dossier.objects.exists():
        return None
    procedures = load_catalogue(today=TODAY)
    rng = random.Random(seed)
    units = list(OrgUnit.objects.filter(kind__in=list(RATES)).order_by("pk"))
    receiving = [u for u in units if u.kind != UnitKind.SCHOOL or rng.random() < SCHOOL_SHARE]
    User = get_user_model()
    desk_users = {u.username: u for u in User.objects.filter(username__in=list(DESKS))}
    by_code = {u.code: u for u in units}
    received_by = {
        by_code[code].pk: desk_users[name].pk for name, code in DESKS.items() if name in desk_users
    }
    generated = generate_dossiers(
        units=receiving,
        procedures=procedures,
        start=START,
        end=TODAY,
        per_unit_per_year=RATES,
        seed=seed,
        weights=WEIGHTS,
        available_until=RETIRED_ON,
        fits=fits_unit,
        received_by=received_by,
        history="full",
        as_of=dt.datetime.combine(TODAY, dt.time(8), tzinfo=VN_TZ),
    )
    queue = 0
    for username, code in DESKS.items():
        if username in desk_users:
            queue += _desk_queue(desk_users[username], by_code[code], procedures, rng)
    return DossiersDemo(
        procedures=len(procedures), generated=generated, queue=queue, seconds=time.perf_counter() - started
    )


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN_TZ)


def _received_for(due: dt.date, working_days: int) -> dt.date:
    """The day a dossier must be received on to be due on `due`."""
    day = due
    for _ in range(working_days):
        day = previous_working_day(day)
    return day


def _desk_queue(user, unit: OrgUnit, procedures: list[Procedure], rng: random.Random) -> int:
    """The desk's open dossiers on the demo's today, through the services."""
    from cchc.orgs.demo.names import person_name

    candidates = [p for p in procedures if p.is_active and p.handled_by(unit) and p.processing_days >= 3]
    back, ahead = (lambda k: _working(TODAY, -k)), (lambda k: _working(TODAY, k))
    # (appointment, what happens next): the queue a desk officer opens in the morning.
    plan = [
        (back(3), "handed_over"),
        (back(1), "handed_over"),
        (TODAY, "handed_over"),
        (ahead(1), "received"),
        (ahead(1), "handed_over"),
        (ahead(6), "received"),
        (ahead(3), "supplement"),
        (ahead(2), "resolved"),
    ]
    now, made = _at(TODAY, 8, 30), 0
    with mock.patch("django.utils.timezone.now", return_value=now):
        for due, state in plan:
            # Long enough a procedure to have been received before today.
            needed = _between(TODAY, due) + 1
            fitting = [p for p in candidates if p.processing_days >= needed]
            if state == "resolved":
                fitting = [p for p in fitting if not p.result_requires_file]
            if not fitting:
                continue
            procedure = rng.choice(fitting)
            made += 1
            steps = services.steps_of(procedure)
            received_on = _received_for(due, procedure.processing_days)
            last_name, first_name = person_name(rng)
            dossier = services.dossier_receive(
                actor=user,
                unit=unit,
                procedure=procedure,
                applicant=services.Applicant(
                    name=f"{last_name} {first_name}", phone=f"09{rng.randint(0, 99_999_999):08d}"
                ),
                channel=rng.choice(["desk", "online"]) if procedure.online_mode != "none" else "desk",
                documents=list(procedure.documents),
                received_at=_at(received_on, rng.randint(8, 10), rng.randint(0, 59)),
            )
            if state in ("handed_over", "resolved"):
                moves = 1 if state == "handed_over" else max(1, len(steps) - 2)
                for k in range(moves):
                    services.dossier_hand_over(
                        actor=user, dossier=dossier, at=_at(_after(received_on, k + 1), 9, 30)
                    )
            if state == "supplement":
                services.dossier_request_supplement(
                    actor=user,
                    dossier=dossier,
                    reason="Bổ sung bản sao giấy khai sinh có chứng thực.",
                    at=_at(received_on, 15, 30),
                )
            if state == "resolved":
                dossier.refresh_from_db()
                services.dossier_resolve(
                    actor=user,
                    dossier=dossier,
                    summary=procedure.result,
                    digitized=True,
                    at=_at(previous_working_day(TODAY), 16, 0),
                )
    return made


def _after(day: dt.date, working_days: int) -> dt.date:
    """A working day `working_days` after `day`, never after the demo's yesterday."""
    return min(add_working_days(day, working_days), previous_working_day(TODAY))


def _between(start: dt.date, end: dt.date) -> int:
    from cchc.workdays.calendar import working_days_between

    return max(0, working_days_between(start, end))


def _working(day: dt.date, k: int) -> dt.date:
    """The working day `k` working days after `day` (before it when k < 0)."""
    if k >= 0:
        return add_working_days(day, k)
    for _ in range(-k):
        day = previous_working_day(day)
    return day

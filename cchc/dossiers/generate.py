"""Bulk dossiers for the demo and the national benchmark, written without the services.

`generate_dossiers` simulates each dossier's life with the same time rules the desk uses
(`rules.due_at`, `rules.resume_after_supplement`, `rules.classify`, `rules.apology_due_by`,
the working-day calendar) and writes the rows the services would have written — the
dossier, its control sheet (`DossierStep`), its pauses, apology letters and events, and
the units' daily counters — in bulk: `executemany` on SQLite, `COPY` on PostgreSQL. No
audit rows (the history is generated, nobody acted).

The shares follow what provinces report: about 55–65 % of dossiers filed online (rising
over the period, only for procedures offered online), about 6 % by post, ~8 % asked for
supplementary documents (the clock restarts or resumes by the decree in force), ~4.5 %
late (most with an apology letter and a new appointment), ~1 % refused, ~1 % withdrawn,
results mostly digitized; those not finished by `end` stay open (in progress, waiting
for a supplement, or resolved and waiting to be collected). Desk and postal dossiers are
received on working days in office hours; online ones also at night and on days off.

A dossier is received only by a unit that handles its procedure's level
(`Procedure.handled_by`), only while the unit is open (`opened_on`/`closed_on`) and only
while the procedure was in force (`available_until`). Codes are those of
`services.dossier_code_allocate` (`<unit code>-<yymmdd>-<nnnn>-<XXXXX>`), numbered in
order of receipt per unit and day, and the `DossierCounter` rows are left at the last
number so a later `dossier_receive` continues the sequence.

Speed. Working-day arithmetic is cached per (day, working days); rows go to the database
as tuples. Ids are assigned here (the database must not be written by anyone else during
the run; PostgreSQL sequences are moved past them at the end). `history="minimal"` (the
national scale) writes no control sheet and only the received / final / returned events.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import math
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.core.management.color import no_style
from django.db import connection, transaction

from cchc.orgs.demo.names import person_name
from cchc.orgs.models import OrgUnit
from cchc.workdays.calendar import VN_TZ, add_working_days, is_working_day, working_days_between

from . import rules
from .models import (
    ApologyLetter,
    Channel,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierPause,
    DossierStatus,
    DossierStep,
    EventKind,
    OnlineMode,
    Procedure,
    ReturnMethod,
)
from .services import CODE_ALPHABET, CODE_RANDOM_LENGTH, dossier_code, steps_of

History = Literal["full", "minimal"]

# Shares (of all dossiers unless said otherwise).
ONLINE_FROM, ONLINE_TO = 0.55, 0.72  # of dossiers whose procedure is offered online
POST = 0.16  # of the others (about 6 % of all)
SUPPLEMENT = 0.115  # of dossiers whose procedure takes a day or more (about 8 % of all)
LATE = 0.045
REFUSED = 0.01
WITHDRAWN = 0.01
ON_TIME = 0.22  # resolved on the appointment's day (the rest early)
APOLOGY = 0.85  # of late dossiers
DIGITIZED_FROM, DIGITIZED_TO = 0.7, 0.9
SIGNED = 0.6  # of digitized results
ONLINE_RETURN = 0.8  # of online dossiers whose procedure is fully online
POSTAL_RETURN = 0.06  # of desk dossiers whose procedure returns by post

REFUSAL_REASONS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của đơn vị.",
    "Người nộp không đủ điều kiện theo quy định.",
    "Hồ sơ không được bổ sung, hoàn thiện trong thời hạn yêu cầu.",
]
SUPPLEMENT_REASONS = [
    "Bổ sung bản sao giấy khai sinh có chứng thực.",
    "Đơn đề nghị chưa có chữ ký của cha mẹ hoặc người giám hộ.",
    "Bổ sung giấy tờ chứng minh thuộc đối tượng được hưởng chính sách.",
    "Bản dịch tiếng Việt chưa được chứng thực.",
]
APOLOGY_REASONS = [
    "Hồ sơ cần xác minh thêm với cơ quan, đơn vị có liên quan.",
    "Khối lượng hồ sơ tiếp nhận trong kỳ tăng cao.",
    "Phải lấy ý kiến thẩm định của các phòng chuyên môn.",
]
STREETS = ["thôn Đông", "thôn Đoài", "thôn Trung", "thôn Thượng", "khu phố 1", "khu phố 2", "tổ dân phố 3"]


@dataclass
class GenerateResult:
    dossiers: int = 0
    steps: int = 0
    events: int = 0
    pauses: int = 0
    apology_letters: int = 0
    counters: int = 0
    seconds: float = 0.0
    by_status: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        return (
            f"{self.dossiers:,} hồ sơ, {self.steps:,} bước xử lý, {self.events:,} sự kiện, "
            f"{self.pauses:,} lần bổ sung, {self.apology_letters:,} thư xin lỗi — {self.seconds:.1f} giây"
        )


# --- the calendar, cached ----------------------------------------------------------------


class _Calendar:
    """The working days of a span, numbered, so that adding working days is a lookup.

    Built from `is_working_day` (the calendar's own rule, with the announced
    exceptions); outside the span it falls back to `add_working_days`."""

    def __init__(self) -> None:
        self.first = self.last = None
        self.days: list[dt.date] = []
        self.index: dict[dt.date, int] = {}  # day -> number of the first working day >= day
        self.working: set[dt.date] = set()

    def cover(self, first: dt.date, last: dt.date) -> None:
        if self.first is not None and self.first <= first and last <= self.last:
            return
        first = min(first, self.first or first)
        last = max(last, self.last or last)
        days, index, working = [], {}, set()
        stop = last + dt.timedelta(days=800)  # appointments and extensions run past the end
        day = first
        pending: list[dt.date] = []
        while day <= stop:
            pending.append(day)
            if is_working_day(day):
                working.add(day)
                for d in pending:
                    index[d] = len(days)
                days.append(day)
                pending = []
            day += dt.timedelta(days=1)
        self.first, self.last = first, stop - dt.timedelta(days=400)
        self.days, self.index, self.working = days, index, working

    def is_working(self, day: dt.date) -> bool:
        if day in self.index:
            return day in self.working
        return is_working_day(day)

    def add(self, day: dt.date, n: int) -> dt.date:
        i = self.index.get(day)
        if i is None or i + n >= len(self.days):
            return add_working_days(day, n)
        return self.days[i + n]

    def between(self, start: dt.date, end: dt.date) -> int:
        """`working_days_between` for dates in the span: working days in (start, end]."""
        if start not in self.index or end not in self.index:
            return working_days_between(start, end)
        a = self.index[start] + (1 if start in self.working else 0)
        b = self.index[end] + (1 if end in self.working else 0)
        return b - a


_calendar = _Calendar()


def _is_working(day: dt.date) -> bool:
    return _calendar.is_working(day)


def _add(day: dt.date, n: int) -> dt.date:
    """`n` working days after `day` (a day off counts from the next working day)."""
    return _calendar.add(day, n)


@functools.lru_cache(maxsize=4096)
def _ruleset(day: dt.date) -> rules.Ruleset:
    return rules.ruleset_for(dt.datetime.combine(day, dt.time(12), tzinfo=VN_TZ))


def clear_caches() -> None:
    """Forget the cached calendar (after the working-day exceptions change)."""
    global _calendar
    _calendar = _Calendar()
    _ruleset.cache_clear()


def _shift(at: dt.datetime, n: int) -> dt.datetime:
    """`add_working_days(at, n)` for an aware Vietnamese datetime, from the cached dates."""
    day = at.date()
    if _is_working(day):
        return dt.datetime.combine(_add(day, n), at.time(), tzinfo=VN_TZ)
    return dt.datetime.combine(_add(day, n), dt.time(0), tzinfo=VN_TZ)


def due_for(received_at: dt.datetime, working_days: int, cutoff: dt.time | None) -> dt.datetime:
    """`rules.due_at` (the appointment) from the cached calendar: the same result."""
    day = received_at.date()
    if cutoff is not None and _is_working(day) and received_at.time() >= cutoff:
        return dt.datetime.combine(_add(day + dt.timedelta(days=1), working_days), dt.time(0), tzinfo=VN_TZ)
    return _shift(received_at, working_days)


def _deadlines(received_at: dt.datetime, working_days: int, steps: Sequence[dict]) -> list[dt.datetime]:
    """`services.step_deadlines` from the cached calendar."""
    total = sum(int(s.get("share", 0)) for s in steps) or 1
    out, cumulative = [], 0
    for step in steps:
        cumulative += int(step.get("share", 0))
        out.append(_shift(received_at, math.ceil(working_days * cumulative / total - 1e-9)))
    return out


# --- writing rows ------------------------------------------------------------------------


class TableWriter:
    """Rows of one model as tuples, written by executemany (SQLite) or COPY (PostgreSQL);
    shared by the bulk generators (dossiers, the feedback demo)."""

    def __init__(self, model, fields: Sequence[str]):
        self.model = model
        self.fields = list(fields)
        meta = model._meta
        self.columns = [meta.get_field(f).column for f in self.fields]
        kinds = [meta.get_field(f).get_internal_type() for f in self.fields]
        self.kinds = kinds
        self.rows: list[tuple] = []
        self.written = 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT MAX({connection.ops.quote_name(meta.pk.column)}) "
                f"FROM {connection.ops.quote_name(meta.db_table)}"
            )
            self.next_id = (cursor.fetchone()[0] or 0) + 1

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, row: tuple) -> None:
        self.rows.append(row)

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        postgres = connection.vendor == "postgresql"
        converters = [_converter(kind, postgres) for kind in self.kinds]
        convert = [(i, c) for i, c in enumerate(converters) if c is not None]
        rows = []
        for row in self.rows:
            row = list(row)
            for i, c in convert:
                if row[i] is not None:
                    row[i] = c(row[i])
            rows.append(row)
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        self.written += len(self.rows)
        self.rows = []


def _utc_text(value: dt.datetime) -> str:
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _converter(kind: str, postgres: bool) -> Callable | None:
    if kind == "JSONField":
        return json.dumps
    if postgres:
        return None
    if kind == "DateTimeField":
        return _utc_text
    if kind == "DateField":
        return str
    if kind == "TimeField":
        return str
    return None


DOSSIER_FIELDS = [
    "id", "created_at", "updated_at", "code", "procedure", "unit", "unit_path", "channel",
    "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address",
    "subject", "documents", "received_at", "received_by", "ruleset", "processing_days",
    "original_due_at", "due_at", "status", "current_step", "handler", "resolved_at", "outcome",
    "closed_at", "result_summary", "result_file", "result_digitized", "result_signed",
    "return_method", "returned_at", "refusal_reason", "external_id",
]  # fmt: skip
STEP_FIELDS = [
    "id",
    "dossier",
    "position",
    "name",
    "unit",
    "handler",
    "started_at",
    "due_at",
    "completed_at",
    "note",
]
PAUSE_FIELDS = [
    "id",
    "dossier",
    "requested_at",
    "requested_by",
    "reason",
    "due_at_before",
    "completed_at",
    "due_at_after",
]
APOLOGY_FIELDS = [
    "id", "dossier", "number", "reason", "new_due_at", "signer_name", "signer_title",
    "created_at", "created_by", "sent_at",
]  # fmt: skip
EVENT_FIELDS = ["id", "dossier", "at", "kind", "actor", "unit", "note", "data"]
COUNTER_FIELDS = ["id", "unit", "day", "last"]


# --- the simulation ----------------------------------------------------------------------


def _office_time(rng: random.Random, day: dt.date) -> dt.datetime:
    if rng.random() < 0.6:
        minute = rng.randint(7 * 60 + 30, 11 * 60 + 29)
    else:
        minute = rng.randint(13 * 60 + 30, 16 * 60 + 59)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60, rng.randint(0, 59)), tzinfo=VN_TZ)


def _any_time(rng: random.Random, day: dt.date) -> dt.datetime:
    minute = rng.randint(0, 24 * 60 - 1)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60, rng.randint(0, 59)), tzinfo=VN_TZ)


def _after(rng: random.Random, at: dt.datetime, working_days: int) -> dt.datetime:
    """An office-hours moment `working_days` working days after `at`, never before it."""
    day = _add(at.date(), working_days)
    moment = _office_time(rng, day)
    if moment <= at:
        moment = at + dt.timedelta(minutes=rng.randint(10, 120))
    return moment


def _code_suffix(rng: random.Random) -> str:
    return "".join(rng.choices(CODE_ALPHABET, k=CODE_RANDOM_LENGTH))


def _id_number(rng: random.Random) -> str:
    year = rng.randint(1960, 2019)
    century = 0 if year < 2000 else 2
    return (
        f"0{rng.randint(1, 96):02d}{century + rng.randint(0, 1)}{year % 100:02d}{rng.randint(0, 999999):06d}"
    )


@dataclass
class _Plan:
    """One procedure as the generator reads it."""

    procedure: Procedure
    steps: list[dict]
    weight: float
    until: dt.date | None
    online: bool
    full_online: bool


def generate_dossiers(
    *,
    units: Iterable[OrgUnit],
    procedures: Sequence[Procedure],
    start: dt.date,
    end: dt.date,
    per_unit_per_year: float | Mapping[str, float],
    seed: int,
    batch_size: int = 20_000,
    weights: Mapping[str, float] | None = None,
    available_until: Mapping[str, dt.date] | None = None,
    fits: Callable[[OrgUnit, Procedure], bool] | None = None,
    received_by: Mapping[int, int] | None = None,
    history: History = "full",
    as_of: dt.datetime | None = None,
    log: Callable[[str], None] | None = None,
) -> GenerateResult:
    """Write the dossiers received by `units` from `start` to `end` (inclusive).

    `per_unit_per_year` is the mean number of dossiers a unit receives in a year, or a
    mapping by unit kind (units of a kind not in it receive none). `weights` (by
    procedure code) says how often each procedure is asked for; `available_until` (by
    code) the last day a procedure was received; `fits(unit, procedure)` narrows the
    procedures a unit is asked for beyond its level (a preschool gets no pupil
    transfers). `received_by` maps a unit id to the user id recorded as receiving its
    desk dossiers. Dossiers not finished by `as_of` (default: `end` at 17:00) stay open.
    Deterministic for a seed and the same units and procedures.
    """
    started = time.perf_counter()
    clear_caches()  # the calendar as it stands now
    _calendar.cover(start - dt.timedelta(days=7), end)
    rng = random.Random(seed)
    as_of = (as_of or dt.datetime.combine(end, dt.time(17), tzinfo=VN_TZ)).astimezone(VN_TZ)
    weights = weights or {}
    available_until = available_until or {}
    plans = [
        _Plan(
            procedure=p,
            steps=steps_of(p),
            weight=float(weights.get(p.code, 1.0)),
            until=available_until.get(p.code),
            online=p.online_mode != OnlineMode.NONE,
            full_online=p.online_mode == OnlineMode.FULL,
        )
        for p in procedures
        if p.is_active or p.code in available_until
    ]
    result = GenerateResult()
    tables = {
        "dossier": TableWriter(Dossier, DOSSIER_FIELDS),
        "step": TableWriter(DossierStep, STEP_FIELDS),
        "pause": TableWriter(DossierPause, PAUSE_FIELDS),
        "apology": TableWriter(ApologyLetter, APOLOGY_FIELDS),
        "event": TableWriter(DossierEvent, EVENT_FIELDS),
        "counter": TableWriter(DossierCounter, COUNTER_FIELDS),
    }
    units = list(units)
    counters = DossierCounter.objects.filter(day__range=(start, end))
    if len(units) <= 1000:
        counters = counters.filter(unit__in=[unit.pk for unit in units])
    existing = {
        (unit_id, day): (pk, last)
        for pk, unit_id, day, last in counters.values_list("id", "unit_id", "day", "last")
    }
    updated_counters: list[DossierCounter] = []
    working = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    working = [d for d in working if _is_working(d)]
    span = max(1, (end - start).days)
    sim = _Simulation(rng=rng, tables=tables, as_of=as_of, history=history, result=result)

    for index, unit in enumerate(units):
        rate = (
            per_unit_per_year.get(unit.kind, 0.0)
            if isinstance(per_unit_per_year, Mapping)
            else per_unit_per_year
        )
        first = max(start, unit.opened_on or start)
        last = min(end, unit.closed_on or end)
        if rate <= 0 or first > last:
            continue
        eligible = [
            plan
            for plan in plans
            if plan.procedure.handled_by(unit) and (fits is None or fits(unit, plan.procedure))
        ]
        if not eligible:
            continue
        lo, hi = bisect.bisect_left(working, first), bisect.bisect_right(working, last)
        days = working[lo:hi]
        if not days:
            continue
        expected = rate * ((last - first).days + 1) / 365.25
        count = max(0, round(expected * rng.uniform(0.8, 1.2)))
        cum_weights = list(_accumulate(plan.weight for plan in eligible))
        receipts: list[tuple[dt.datetime, _Plan, str]] = []
        for _ in range(count):
            for _attempt in range(6):
                plan = rng.choices(eligible, cum_weights=cum_weights)[0]
                day = rng.choice(days)
                frac = (day - start).days / span
                channel = Channel.DESK
                if plan.online and rng.random() < ONLINE_FROM + (ONLINE_TO - ONLINE_FROM) * frac:
                    channel = Channel.ONLINE
                elif rng.random() < POST:
                    channel = Channel.POST
                if channel == Channel.ONLINE and rng.random() < 0.25:
                    # Online at any hour, any day the unit was open.
                    day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
                    at = _any_time(rng, day)
                else:
                    at = _office_time(rng, day)
                if plan.until is None or at.date() <= plan.until:
                    receipts.append((at, plan, channel))
                    break
        receipts.sort(key=lambda r: r[0])
        sequence: dict[dt.date, int] = {}
        for at, plan, channel in receipts:
            day = at.date()
            number = sequence.get(day)
            if number is None:
                number = existing.get((unit.pk, day), (None, 0))[1]
            number += 1
            sequence[day] = number
            code = dossier_code(unit_code=unit.code, day=day, number=number, suffix=_code_suffix(rng))
            sim.dossier(
                unit=unit,
                plan=plan,
                channel=channel,
                received_at=at,
                code=code,
                frac=(day - start).days / span,
                receiver=(received_by or {}).get(unit.pk) if channel != Channel.ONLINE else None,
            )
        for day, number in sequence.items():
            known = existing.get((unit.pk, day))
            if known is None:
                counters = tables["counter"]
                counters.add((counters.new_id(), unit.pk, day, number))
            else:
                updated_counters.append(DossierCounter(pk=known[0], unit_id=unit.pk, day=day, last=number))
        if len(tables["dossier"].rows) >= batch_size:
            _flush(tables)
            if log:
                log(f"  {index + 1:,}/{len(units):,} đơn vị, {tables['dossier'].written:,} hồ sơ")
    _flush(tables)
    if updated_counters:
        DossierCounter.objects.bulk_update(updated_counters, ["last"], batch_size=1000)
    result.dossiers = tables["dossier"].written
    result.steps = tables["step"].written
    result.events = tables["event"].written
    result.pauses = tables["pause"].written
    result.apology_letters = tables["apology"].written
    result.counters = tables["counter"].written + len(updated_counters)
    result.seconds = time.perf_counter() - started
    return result


def _accumulate(values: Iterable[float]) -> Iterable[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def _flush(tables: dict[str, TableWriter]) -> None:
    # Parents first: the children's foreign keys are checked at once on SQLite.
    for name in ("dossier", "step", "pause", "apology", "event", "counter"):
        tables[name].flush()
    if connection.vendor == "postgresql":
        # After every batch, so that a run stopped half-way leaves usable sequences.
        models = [table.model for table in tables.values()]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


@dataclass
class _Simulation:
    rng: random.Random
    tables: dict[str, TableWriter]
    as_of: dt.datetime
    history: History
    result: GenerateResult

    def event(self, dossier_id, unit_id, at, kind, note="", **data) -> None:
        events = self.tables["event"]
        events.add((events.new_id(), dossier_id, at, kind, None, unit_id, note, data))

    def dossier(self, *, unit, plan: _Plan, channel, received_at, code, frac, receiver) -> None:  # noqa: C901
        rng, as_of = self.rng, self.as_of
        procedure = plan.procedure
        n = procedure.processing_days
        ruleset = _ruleset(received_at.date())
        due = original_due = due_for(received_at, n, procedure.cutoff)
        dossier_id = self.tables["dossier"].new_id()
        full = self.history == "full"
        self.event(
            dossier_id,
            unit.pk,
            received_at,
            EventKind.RECEIVED,
            due_at=due.isoformat(),
            channel=channel,
            ruleset=ruleset.code,
        )

        status = DossierStatus.IN_PROGRESS
        resolved_at = closed_at = returned_at = None
        outcome = return_method = refusal_reason = ""
        digitized = signed = False
        clock_start = received_at
        pause = None  # (requested_at, due_before, completed_at, due_after)

        fate = rng.random()
        ends = None  # (kind, at)
        if n > 0 and fate >= REFUSED + WITHDRAWN and rng.random() < SUPPLEMENT:
            requested = _after(rng, received_at, rng.randint(1, min(3, n)))
            completed = requested + dt.timedelta(days=rng.randint(1, 10), minutes=rng.randint(-120, 120))
            if channel != Channel.ONLINE:
                completed = _office_time(rng, _add(completed.date(), 0))
                if completed <= requested:
                    completed = requested + dt.timedelta(hours=2)
            if requested > as_of:
                pass
            elif completed > as_of:
                pause = (requested, due, None, None)
                status = DossierStatus.SUPPLEMENT
                ends = ("open", None)
            else:
                new_due = rules.resume_after_supplement(
                    due_at=due,
                    requested_at=requested,
                    completed_at=completed,
                    working_days=n,
                    ruleset=ruleset,
                )
                pause = (requested, due, completed, new_due)
                due, clock_start = new_due, completed

        if ends is None:
            if fate < REFUSED:
                ends = ("refused", _after(rng, clock_start, rng.randint(0, max(0, n - 1))))
            elif fate < REFUSED + WITHDRAWN:
                ends = ("withdrawn", _after(rng, clock_start, rng.randint(0, max(0, n - 1))))
            else:
                due_day = due.date()
                draw = rng.random()
                if draw < LATE:
                    at = _office_time(rng, _add(due_day, rng.randint(1, 6)))
                elif draw < LATE + ON_TIME or n == 0:
                    at = _office_time(rng, due_day if _is_working(due_day) else _add(due_day, 0))
                else:
                    j = min(n - 1, int(n * (0.25 + 0.75 * rng.random())))
                    at = _office_time(rng, min(_add(clock_start.date(), j), due_day))
                if at <= clock_start:
                    at = clock_start + dt.timedelta(minutes=rng.randint(20, 180))
                ends = ("resolved", at)
            if ends[1] > as_of:
                ends = ("open", None)

        kind, at = ends
        letters = []
        if kind == "resolved":
            resolved_at = closed_at = at
            outcome = rules.classify(resolved_at=at, due_at=due)
            if outcome == rules.LATE and rng.random() < APOLOGY:
                letter_at = rules.apology_due_by(due_at=due, ruleset=ruleset) - dt.timedelta(
                    hours=rng.randint(6, 30)
                )
                letter_at = min(max(letter_at, clock_start + dt.timedelta(minutes=30)), at)
                late_days = max(1, _calendar.between(due.date(), at.date()))
                new_due = rules.extended_due_at(due_at=due, extra_working_days=late_days + rng.randint(0, 2))
                letters.append((letter_at, new_due))
            digitized = procedure.result_requires_file or rng.random() < (
                DIGITIZED_FROM + (DIGITIZED_TO - DIGITIZED_FROM) * frac
            )
            signed = digitized and rng.random() < SIGNED
            status = DossierStatus.RESOLVED
            if channel == Channel.ONLINE and plan.full_online and rng.random() < ONLINE_RETURN:
                return_method, back = ReturnMethod.ONLINE, at + dt.timedelta(minutes=rng.randint(1, 90))
            elif procedure.postal_return and (channel == Channel.POST or rng.random() < POSTAL_RETURN):
                return_method, back = ReturnMethod.POST, _after(rng, at, rng.randint(0, 2))
            else:
                return_method, back = ReturnMethod.DESK, _after(rng, at, rng.choice((0, 0, 1, 1, 2, 3, 5)))
            if back <= as_of:
                status, returned_at = DossierStatus.RETURNED, back
            else:
                return_method = ""
        elif kind == "refused":
            status, closed_at = DossierStatus.REFUSED, at
            refusal_reason = rng.choice(REFUSAL_REASONS)
        elif kind == "withdrawn":
            status, closed_at = DossierStatus.WITHDRAWN, at

        # The control sheet: processing steps spread from the clock's start to the end.
        steps = plan.steps
        last_step = len(steps) - 1
        processing = max(1, last_step)
        end_at = at if at is not None else as_of
        if kind == "resolved":
            current = last_step
        elif kind == "open":
            elapsed = (as_of - clock_start) / max(due - clock_start, dt.timedelta(minutes=1))
            current = min(processing - 1, int(max(0.0, elapsed) * processing))
            if status == DossierStatus.SUPPLEMENT:
                current = 0
        else:
            current = rng.randint(0, processing - 1)
        # The last processing step ends with the result; an open one is still running.
        parts = processing if kind == "resolved" else current + 1
        completions = [
            clock_start + (end_at - clock_start) * ((k + 1) / parts) for k in range(min(current, processing))
        ]
        if full:
            self._steps(
                dossier_id, unit, steps, received_at, n, original_due, due, current, completions,
                resolved_at, returned_at, closed_at, kind,
            )  # fmt: skip

        if pause is not None:
            pauses = self.tables["pause"]
            requested, due_before, completed, due_after = pause
            if kind in ("refused", "withdrawn") and completed is None:
                completed = closed_at
            pauses.add(
                (pauses.new_id(), dossier_id, requested, None, rng.choice(SUPPLEMENT_REASONS), due_before,
                 completed, due_after)
            )  # fmt: skip
            if full:
                self.event(dossier_id, unit.pk, requested, EventKind.SUPPLEMENT_REQUESTED, pauses.rows[-1][4])
                if pause[2] is not None:
                    self.event(
                        dossier_id,
                        unit.pk,
                        pause[2],
                        EventKind.SUPPLEMENT_COMPLETED,
                        due_at=due.isoformat(),
                        previous_due_at=due_before.isoformat(),
                    )
        for letter_at, new_due in letters:
            apologies = self.tables["apology"]
            reason = rng.choice(APOLOGY_REASONS)
            apologies.add(
                (apologies.new_id(), dossier_id, f"{rng.randint(1, 999)}/XL", reason, new_due, "", "",
                 letter_at, None, letter_at)
            )  # fmt: skip
            if full:
                self.event(
                    dossier_id,
                    unit.pk,
                    letter_at,
                    EventKind.APOLOGY_SENT,
                    reason,
                    new_due_at=new_due.isoformat(),
                )
        if resolved_at is not None:
            self.event(
                dossier_id, unit.pk, resolved_at, EventKind.RESOLVED, procedure.result[:500], outcome=outcome
            )
        if returned_at is not None:
            self.event(dossier_id, unit.pk, returned_at, EventKind.RETURNED, method=return_method)
        if kind == "refused":
            self.event(dossier_id, unit.pk, closed_at, EventKind.REFUSED, refusal_reason)
        elif kind == "withdrawn":
            self.event(dossier_id, unit.pk, closed_at, EventKind.WITHDRAWN)

        last_name, first_name = person_name(rng)
        dossiers = self.tables["dossier"]
        stamp = returned_at or closed_at or (pause[2] if pause and pause[2] else None) or received_at
        dossiers.add(
            (
                dossier_id, received_at, stamp, code, procedure.pk, unit.pk, unit.path, channel,
                f"{last_name} {first_name}", _id_number(rng), f"09{rng.randint(0, 99_999_999):08d}",
                "", f"{rng.choice(STREETS)}, {unit.short_name or unit.name}"[:300], "",
                procedure.documents, received_at, receiver, ruleset.code, n, original_due, due, status,
                current, None, resolved_at, outcome, closed_at,
                procedure.result[:500] if resolved_at else "", "", digitized, signed, return_method,
                returned_at, refusal_reason, "",
            )
        )  # fmt: skip
        self.result.by_status[status] = self.result.by_status.get(status, 0) + 1

    def _steps(
        self, dossier_id, unit, steps, received_at, n, original_due, due, current, completions,
        resolved_at, returned_at, closed_at, kind,
    ) -> None:  # fmt: skip
        table = self.tables["step"]
        planned = _deadlines(received_at, n, steps)
        shift = _calendar.between(original_due.date(), due.date()) if due > original_due else 0
        started = received_at
        for position in range(current + 1):
            if position == len(steps) - 1 and resolved_at is not None:
                started, completed = resolved_at, returned_at
            else:
                completed = completions[position] if position < len(completions) else None
                if completed is None and kind in ("refused", "withdrawn"):
                    completed = closed_at
            deadline = planned[position]
            if shift:
                deadline = _shift(deadline, shift)
            deadline = max(min(deadline, due), started)
            table.add((table.new_id(), dossier_id, position, steps[position]["name"], unit.pk, None, started,
                       deadline, completed, ""))  # fmt: skip
            if completed is not None and position + 1 <= current and position + 1 < len(steps) - 1:
                self.event(
                    dossier_id,
                    unit.pk,
                    completed,
                    EventKind.HANDED_OVER,
                    step=steps[position + 1]["name"],
                    position=position + 1,
                    handler="",
                )
            if completed is not None:
                started = completed


# --- the national benchmark ----------------------------------------------------------------

# The same two years as the demo (from 01/11/2024 to its today, 15/10/2026).
NATIONAL_START, NATIONAL_END = dt.date(2024, 11, 1), dt.date(2026, 10, 15)
# How much more a unit of each kind receives than a school (a department ~100 times).
NATIONAL_RELATIVE = {
    "department": 100.0,
    "district_office": 20.0,
    "commune_office": 6.0,
    "school": 1.0,
    "centre": 2.0,
}
NATIONAL_SCHOOL_SHARE = 0.4


def generate_national(
    *, total: int, seed: int = 2025, log: Callable[[str], None] | None = None
) -> GenerateResult:
    """About `total` dossiers over the national tree (`cchc generate --scale national
    --dossiers N`): the demo catalogue, every department, district office (until
    30/06/2025), commune office (from 01/07/2025) and centre, and two schools in five.
    The rate of each kind is scaled so the expected count is `total`. Minimal history
    (no control sheet; received, final and returned events) to keep it fast."""
    from .demo_catalogue import RETIRED_ON, WEIGHTS, fits_unit, load_catalogue

    started = time.perf_counter()
    procedures = load_catalogue(today=NATIONAL_END)
    rng = random.Random(seed)
    units = [
        unit
        for unit in OrgUnit.objects.filter(kind__in=list(NATIONAL_RELATIVE))
        .only("id", "code", "kind", "school_level", "opened_on", "closed_on", "path", "name", "short_name")
        .order_by("pk")
        if unit.kind != "school" or rng.random() < NATIONAL_SCHOOL_SHARE
    ]
    years = 0.0
    for unit in units:
        first = max(NATIONAL_START, unit.opened_on or NATIONAL_START)
        last = min(NATIONAL_END, unit.closed_on or NATIONAL_END)
        if first <= last:
            years += NATIONAL_RELATIVE[unit.kind] * ((last - first).days + 1) / 365.25
    scale = total / years if years else 0.0
    rates = {kind: relative * scale for kind, relative in NATIONAL_RELATIVE.items()}
    if log:
        log(
            f"Hồ sơ một cửa toàn quốc: {len(units):,} đơn vị tiếp nhận, "
            + ", ".join(f"{kind} {rate:,.0f}/năm" for kind, rate in rates.items())
        )
    result = generate_dossiers(
        units=units,
        procedures=procedures,
        start=NATIONAL_START,
        end=NATIONAL_END,
        per_unit_per_year=rates,
        seed=seed,
        batch_size=50_000,
        weights=WEIGHTS,
        available_until=RETIRED_ON,
        fits=fits_unit,
        history="minimal",
        log=log,
    )
    result.seconds = time.perf_counter() - started
    if log:
        log(f"Đã tạo {result.line()}")
    return result

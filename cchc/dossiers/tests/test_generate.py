"""The bulk generator (`cchc.dossiers.generate`): two years of dossiers on a small province,
checked against the desk's own rules."""

from __future__ import annotations

import collections
import datetime as dt
import re

import pytest

from cchc.orgs.models import OrgUnit, UnitKind
from cchc.orgs.tests.factories import make_unit
from cchc.workdays.calendar import VN_TZ, is_working_day

from .. import rules
from ..demo_catalogue import RETIRED_ON, WEIGHTS, load_catalogue
from ..generate import generate_dossiers
from ..models import (
    Channel,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierPause,
    DossierStatus,
    DossierStep,
    EventKind,
    Outcome,
)
from ..services import CODE_ALPHABET
from .factories import receive

START, END = dt.date(2024, 11, 1), dt.date(2026, 10, 15)
REFORM = dt.date(2025, 7, 1)
RATES = {
    UnitKind.DEPARTMENT: 900,
    UnitKind.DISTRICT_OFFICE: 500,
    UnitKind.COMMUNE_OFFICE: 400,
    UnitKind.SCHOOL: 60,
}


def _generate(province, *, seed=7, history="full"):
    OrgUnit.objects.filter(pk__in=[province.office_a.pk, province.office_b.pk]).update(
        closed_on=REFORM - dt.timedelta(days=1)
    )
    province.commune = make_unit(
        "Phòng Văn hóa – Xã hội xã Văn Giang",
        UnitKind.COMMUNE_OFFICE,
        province.department,
        code="XA-VG",
        opened_on=REFORM,
    )
    procedures = load_catalogue(today=END)
    result = generate_dossiers(
        units=OrgUnit.objects.order_by("pk"),
        procedures=procedures,
        start=START,
        end=END,
        per_unit_per_year=RATES,
        seed=seed,
        batch_size=700,
        weights=WEIGHTS,
        available_until=RETIRED_ON,
        history=history,
    )
    return result


@pytest.fixture
def generated(province):
    province.result = _generate(province)
    return province


def _local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(VN_TZ)


def test_codes_are_unique_numbered_in_order_of_receipt_and_in_the_desks_format(generated):
    dossiers = list(Dossier.objects.select_related("unit").order_by("received_at", "pk"))
    assert len(dossiers) == generated.result.dossiers > 2000
    assert len({d.code for d in dossiers}) == len(dossiers)
    numbers = collections.defaultdict(list)
    for d in dossiers:
        match = re.fullmatch(rf"{re.escape(d.unit.code)}-(\d{{6}})-(\d{{4}})-[{CODE_ALPHABET}]{{5}}", d.code)
        assert match, d.code
        assert match[1] == f"{_local(d.received_at):%y%m%d}"
        numbers[(d.unit_id, _local(d.received_at).date())].append(int(match[2]))
    for key, seq in numbers.items():
        assert seq == list(range(1, len(seq) + 1)), key
    counters = {(c.unit_id, c.day): c.last for c in DossierCounter.objects.all()}
    assert counters == {key: len(seq) for key, seq in numbers.items()}


def test_shares_are_those_provinces_report(generated):
    total = Dossier.objects.count()
    by_channel = collections.Counter(Dossier.objects.values_list("channel", flat=True))
    by_status = collections.Counter(Dossier.objects.values_list("status", flat=True))
    closed = Dossier.objects.exclude(outcome="")
    late = closed.filter(outcome=Outcome.LATE).count() / closed.count()
    assert 0.50 <= by_channel[Channel.ONLINE] / total <= 0.72
    assert 0.04 <= by_channel[Channel.POST] / total <= 0.10
    assert 0.05 <= DossierPause.objects.count() / total <= 0.11
    assert 0.02 <= late <= 0.08
    assert 0.003 <= by_status[DossierStatus.REFUSED] / total <= 0.02
    assert 0.003 <= by_status[DossierStatus.WITHDRAWN] / total <= 0.02
    digitized = closed.filter(result_digitized=True).count() / closed.count()
    assert 0.7 <= digitized <= 0.92
    # Most late dossiers carry an apology letter with a later appointment.
    late_ids = set(closed.filter(outcome=Outcome.LATE).values_list("pk", flat=True))
    with_letter = late_ids & set(
        Dossier.objects.filter(apology_letters__isnull=False).values_list("pk", flat=True)
    )
    assert len(with_letter) >= 0.7 * len(late_ids)
    # Some dossiers are still open at the end, all of them recent.
    open_ = Dossier.objects.filter(closed_at__isnull=True)
    assert open_.exists()
    assert min(_local(d.received_at).date() for d in open_) > END - dt.timedelta(days=60)
    # Online filing grows over the two years.
    first = Dossier.objects.filter(received_at__date__lt=dt.date(2025, 5, 1))
    last = Dossier.objects.filter(received_at__date__gte=dt.date(2026, 5, 1))
    assert first.filter(channel=Channel.ONLINE).count() / first.count() < (
        last.filter(channel=Channel.ONLINE).count() / last.count()
    )


def test_appointments_follow_the_rules_and_outcomes_their_classification(generated):
    pauses = {p.dossier_id: p for p in DossierPause.objects.all()}
    for d in Dossier.objects.select_related("procedure"):
        due = rules.due_at(
            received_at=d.received_at, working_days=d.processing_days, cutoff=d.procedure.cutoff
        )
        assert d.original_due_at == due, d.code
        assert d.ruleset == rules.ruleset_for(d.received_at).code
        pause = pauses.get(d.pk)
        if pause is not None and pause.due_at_after is not None:
            ruleset = rules.DECREE_61 if d.ruleset == "nd61" else rules.DECREE_118
            assert d.due_at == rules.resume_after_supplement(
                due_at=pause.due_at_before,
                requested_at=pause.requested_at,
                completed_at=pause.completed_at,
                working_days=d.processing_days,
                ruleset=ruleset,
            )
            assert pause.requested_at <= rules.supplement_request_due_by(received_at=d.received_at)
        else:
            assert d.due_at == due
        if d.resolved_at is not None:
            assert d.outcome == rules.classify(resolved_at=d.resolved_at, due_at=d.due_at)
            assert d.received_at < d.resolved_at == d.closed_at
        if d.returned_at is not None:
            assert d.status == DossierStatus.RETURNED and d.returned_at >= d.resolved_at
        if d.channel != Channel.ONLINE:  # desk and post: working days, office hours
            local = _local(d.received_at)
            assert is_working_day(local)
            assert dt.time(7, 30) <= local.time() < dt.time(17)


def test_units_receive_only_their_procedures_while_open(generated):
    for d in Dossier.objects.select_related("unit", "procedure"):
        assert d.procedure.handled_by(d.unit), (d.unit.kind, d.procedure.level)
        day = _local(d.received_at).date()
        assert d.unit.exists_on(day), (d.unit.code, day)
        retired = RETIRED_ON.get(d.procedure.code)
        assert retired is None or day <= retired
        assert d.unit_path == d.unit.path
    offices = Dossier.objects.filter(unit__kind=UnitKind.DISTRICT_OFFICE)
    assert offices.exists()
    assert max(_local(d.received_at).date() for d in offices) < REFORM
    commune = Dossier.objects.filter(unit=generated.commune)
    assert commune.exists()
    assert min(_local(d.received_at).date() for d in commune) >= REFORM


def test_every_dossier_has_its_control_sheet_and_history(generated):
    steps = collections.defaultdict(list)
    for s in DossierStep.objects.order_by("dossier_id", "position"):
        steps[s.dossier_id].append(s)
    kinds = collections.defaultdict(list)
    for e in DossierEvent.objects.order_by("dossier_id", "at", "pk"):
        kinds[e.dossier_id].append(e.kind)
    for d in Dossier.objects.all():
        assert kinds[d.pk][0] == EventKind.RECEIVED
        sheet = steps[d.pk]
        assert [s.position for s in sheet] == list(range(len(sheet)))
        assert sheet[0].started_at == d.received_at
        for s in sheet:
            assert s.completed_at is None or s.completed_at >= s.started_at
            assert s.due_at >= s.started_at
        if d.status == DossierStatus.RETURNED:
            assert kinds[d.pk][-1] == EventKind.RETURNED
            assert d.current_step == len(sheet) - 1
        if d.is_open:
            assert sheet[-1].completed_at is None


def test_a_later_receipt_at_the_same_unit_and_day_continues_the_sequence(generated):
    department = generated.department
    busiest = (
        DossierCounter.objects.filter(unit=department)
        .order_by("-last", "day")
        .values_list("day", "last")
        .first()
    )
    day, last = busiest
    procedure = next(
        p for p in load_catalogue(today=END) if p.handled_by(department) and p.online_mode != "none"
    )
    at = dt.datetime.combine(day, dt.time(16, 45), tzinfo=VN_TZ)
    dossier = receive(department, procedure, at=at)
    assert dossier.code.startswith(f"{department.code}-{day:%y%m%d}-{last + 1:04d}-")
    assert DossierCounter.objects.get(unit=department, day=day).last == last + 1


def test_the_national_mode_writes_no_control_sheet(province):
    result = _generate(province, history="minimal")
    assert result.dossiers > 2000 and result.steps == 0
    assert not DossierStep.objects.exists()
    assert DossierEvent.objects.filter(kind=EventKind.RECEIVED).count() == result.dossiers


def test_the_same_seed_gives_the_same_dossiers(province):
    _generate(province, seed=11)
    first = list(Dossier.objects.order_by("code").values_list("code", "status", "due_at"))
    Dossier.objects.all().delete()
    DossierCounter.objects.all().delete()
    province.commune.delete()
    _generate(province, seed=11)
    assert list(Dossier.objects.order_by("code").values_list("code", "status", "due_at")) == first

"""`cchc generate`: the demo province and the national-scale tree."""

import datetime as dt
from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cchc.core.text import fold
from cchc.orgs import selectors
from cchc.orgs.models import (
    FOREVER,
    Membership,
    OrgUnit,
    Role,
    SchoolLevel,
    UnitKind,
    UnitPlacement,
    UnitSuccession,
)
from cchc.orgs.scoping import Perm, scope_for

pytestmark = pytest.mark.django_db

LAST_DAY = dt.date(2025, 6, 30)
REFORM_DAY = dt.date(2025, 7, 1)
BEFORE = dt.date(2025, 3, 1)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the demo's evidence files
    # The demo hashes "demo" once with the first hasher; a fast one keeps logins quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("generate", stdout=out)
    return out.getvalue()


def assert_tree_consistent():
    """Every unit's path extends its parent's; its placements follow one another without
    gaps, the last one is where it stands now (or ends the day it closed)."""
    units = {u.pk: u for u in OrgUnit.objects.all()}
    placements = defaultdict(list)
    for p in UnitPlacement.objects.order_by("unit_id", "valid_from"):
        placements[p.unit_id].append(p)
    for unit in units.values():
        parent = units.get(unit.parent_id)
        assert unit.path == f"{parent.path if parent else '/'}{unit.pk}/", unit
        assert unit.depth == (parent.depth + 1 if parent else 0), unit
        assert unit.name_folded == fold(unit.name)
        rows = placements[unit.pk]
        assert rows, unit
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert later.valid_from == earlier.valid_to + dt.timedelta(days=1), unit
        last = rows[-1]
        assert last.path == unit.path and last.parent_id == unit.parent_id, unit
        assert last.valid_to == (unit.closed_on or FOREVER), unit
        for p in rows:  # a placement lies inside its parent's placement of the time
            if p.parent_id is None:
                continue
            parent_path = next(
                q.path
                for q in placements[p.parent_id]
                if q.valid_from <= p.valid_from and p.valid_to <= q.valid_to
            )
            assert p.path == f"{parent_path}{unit.pk}/", p


def assert_moved_on_reform_day(school, office_kind=UnitKind.DISTRICT_OFFICE):
    first, second = school.placements.order_by("valid_from").select_related("parent")
    assert first.parent.kind == office_kind and first.valid_to == LAST_DAY
    assert second.parent.kind in {UnitKind.COMMUNE_OFFICE, UnitKind.DEPARTMENT}
    assert second.valid_from == REFORM_DAY and second.parent_id == school.parent_id
    return first.parent, second.parent


def test_demo_province_before_and_after_the_reform(demo):
    department = OrgUnit.objects.get(code="SGD-HY")
    assert department.name == "Sở Giáo dục và Đào tạo tỉnh Hưng Yên" and department.is_open

    offices = OrgUnit.objects.filter(kind=UnitKind.DISTRICT_OFFICE)
    assert offices.count() >= 10
    assert set(offices.values_list("closed_on", flat=True)) == {LAST_DAY}
    assert not OrgUnit.objects.filter(parent__in=offices, closed_on__isnull=True).exists()

    schools = OrgUnit.objects.filter(kind=UnitKind.SCHOOL)
    assert schools.count() >= 300
    assert set(schools.values_list("school_level", flat=True)) == set(SchoolLevel.values)
    for level in SchoolLevel.values:
        assert schools.filter(school_level=level).count() >= 10, level
    local = schools.exclude(school_level=SchoolLevel.UPPER_SECONDARY)
    assert set(local.values_list("parent__kind", flat=True)) == {UnitKind.COMMUNE_OFFICE}
    assert set(schools.filter(school_level=SchoolLevel.UPPER_SECONDARY).values_list("parent", flat=True)) == {
        department.pk
    }
    assert OrgUnit.objects.filter(kind=UnitKind.CENTRE, parent=department).count() >= 2
    assert OrgUnit.objects.filter(kind=UnitKind.DIVISION, parent=department).count() >= 6

    # A school of Văn Giang: under the district office until 30/06/2025, then the commune.
    school = OrgUnit.objects.get(name="Trường Tiểu học Xuân Quan")
    office, commune = assert_moved_on_reform_day(school)
    assert office.code == "PGD-HY-VANGIANG"
    assert commune.name == "Phòng Văn hóa – Xã hội xã Văn Giang"
    assert commune.opened_on == REFORM_DAY and commune.parent_id == department.pk

    # Each office's subtree in March 2025 is the schools it had then, all now in communes.
    for office in offices:
        before = set(selectors.subtree_on(office, BEFORE)) - {office}
        assert len(before) >= 10, office
        for school in before:
            assert assert_moved_on_reform_day(school)[0] == office
        links = UnitSuccession.objects.filter(predecessor=office)
        assert links.count() >= 3
        assert {link.kind for link in links} == {UnitSuccession.Kind.SPLIT_INTO}
        assert {s.parent_id for s in before} <= {link.successor_id for link in links}
    assert not selectors.subtree_on(commune, BEFORE).exists()

    # Thái Bình merged into Hưng Yên; its upper-secondary schools came along.
    thai_binh = OrgUnit.objects.get(code="SGD-TB")
    assert thai_binh.closed_on == LAST_DAY
    assert UnitSuccession.objects.get(predecessor=thai_binh).successor == department
    moved = OrgUnit.objects.get(name="Trường THPT Chuyên Thái Bình")
    assert moved.parent == department
    assert moved in selectors.subtree_on(thai_binh, BEFORE)

    assert_tree_consistent()


def test_every_demo_user_logs_in_with_demo(demo, client):
    usernames = [line.split("`")[1] for line in demo.splitlines() if line.startswith("| `")]
    assert {"admin", "so.cchc", "so.giamdoc", "so.xem", "vp.canbo", "so.motcua"} <= set(usernames)
    assert len(usernames) >= 20
    for username in set(usernames):
        assert client.login(username=username, password="demo"), username
        client.logout()
    held = set(Membership.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    assert all(u.first_name and u.last_name for u in User.objects.all())


def test_demo_users_see_the_restructured_tree(demo):
    User = get_user_model()
    school = OrgUnit.objects.get(name="Trường Tiểu học Xuân Quan")
    commune_officer = scope_for(User.objects.get(username="vangiang.cchc"))
    assert commune_officer.can(Perm.VIEW, school)
    sibling = scope_for(User.objects.get(username="nhuquynh.cchc"))
    assert not sibling.can(Perm.VIEW, school)
    # The old district office's head kept the office's history and now heads a commune.
    moved = User.objects.get(username="pgdvangiang.truongphong")
    units = {m.unit.code for m in moved.memberships.select_related("unit")}
    assert units == {"PGD-HY-VANGIANG", "XA-HY-VANGIANG"}
    assert scope_for(moved).can(Perm.HANDLE_DOSSIERS, school)


def test_demo_twice_is_a_no_op(demo):
    counts = (OrgUnit.objects.count(), get_user_model().objects.count())
    out = StringIO()
    call_command("generate", stdout=out)
    assert out.getvalue().strip() == "Dữ liệu mẫu đã có, bỏ qua."
    assert (OrgUnit.objects.count(), get_user_model().objects.count()) == counts


def test_national_scale_has_the_shape_of_the_country(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("generate", "--scale", "national", "--schools", "2000", stdout=out)
    assert "[6/6]" in out.getvalue()

    ministry = OrgUnit.objects.get(kind=UnitKind.MINISTRY)
    assert ministry.parent is None and ministry.path == f"/{ministry.pk}/"
    departments = OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT, parent=ministry)
    assert departments.count() == 63
    closed = departments.filter(closed_on=LAST_DAY)
    assert closed.count() == 29
    assert departments.filter(closed_on__isnull=True).count() == 34
    for department in closed:
        link = UnitSuccession.objects.get(predecessor=department)
        assert link.kind == UnitSuccession.Kind.MERGED_INTO
        assert link.successor.kind == UnitKind.DEPARTMENT and link.successor.is_open
    hung_yen = OrgUnit.objects.get(name="Sở Giáo dục và Đào tạo tỉnh Hưng Yên")
    assert UnitSuccession.objects.filter(
        predecessor__name="Sở Giáo dục và Đào tạo tỉnh Thái Bình", successor=hung_yen
    ).exists()

    offices = OrgUnit.objects.filter(kind=UnitKind.DISTRICT_OFFICE)
    assert 650 <= offices.count() <= 750
    assert set(offices.values_list("closed_on", flat=True)) == {LAST_DAY}
    communes = OrgUnit.objects.filter(kind=UnitKind.COMMUNE_OFFICE)
    assert communes.count() == 3321
    assert set(communes.values_list("opened_on", flat=True)) == {REFORM_DAY}
    assert set(communes.values_list("parent__closed_on", flat=True)) == {None}
    assert not offices.exclude(successions__kind=UnitSuccession.Kind.SPLIT_INTO).exists()
    assert not communes.exclude(predecessions__kind=UnitSuccession.Kind.SPLIT_INTO).exists()

    schools = OrgUnit.objects.filter(kind=UnitKind.SCHOOL)
    assert schools.count() == 2000
    assert schools.filter(school_level=SchoolLevel.PRESCHOOL).count() == 600
    assert schools.filter(school_level=SchoolLevel.UPPER_SECONDARY).count() == 100
    assert not schools.filter(parent__closed_on__isnull=False).exists()
    assert OrgUnit.objects.filter(kind=UnitKind.CENTRE).count() == 28

    # A primary school: under its district office until 30/06/2025, then a commune that
    # succeeded that office.
    school = schools.filter(school_level=SchoolLevel.PRIMARY).order_by("pk")[37]
    office, commune = assert_moved_on_reform_day(school)
    assert UnitSuccession.objects.filter(predecessor=office, successor=commune).exists()
    assert school in selectors.subtree_on(office, BEFORE)
    assert school not in selectors.subtree_on(office, REFORM_DAY)
    assert school in selectors.subtree_on(commune, REFORM_DAY)
    assert selectors.subtree(OrgUnit.objects.get(pk=commune.parent_id)).filter(pk=school.pk)

    assert_tree_consistent()
    assert get_user_model().objects.count() > 3000
    assert Membership.objects.filter(unit__kind=UnitKind.COMMUNE_OFFICE).count() == 3321

    with pytest.raises(CommandError):
        call_command("generate", "--scale", "national", "--schools", "2000", stdout=StringIO())

"""Restructuring: the 2025 reform closed district offices; history must survive it."""

import datetime as dt

import pytest

from cchc.core.errors import DomainError
from cchc.core.models import AuditEvent
from cchc.orgs import selectors, services
from cchc.orgs.models import FOREVER, Membership, OrgUnit, UnitKind, UnitPlacement, UnitSuccession
from cchc.orgs.tests.factories import REFORM_DAY, make_unit

LAST_DAY = dt.date(2025, 6, 30)


@pytest.fixture
def merged(province):
    """Offices A and B merged into a commune office from 01/07/2025."""
    t = province
    t.commune = make_unit(
        "Phòng Văn hóa – Xã hội xã Văn Giang",
        UnitKind.COMMUNE_OFFICE,
        t.department,
        code="HY-XA-VG",
        opened_on=REFORM_DAY,
    )
    services.units_merge(
        actor=t.admin,
        predecessors=[t.office_a, t.office_b],
        successor=t.commune,
        effective_on=REFORM_DAY,
        decision="Quyết định 1234/QĐ-UBND",
    )
    for unit in (t.office_a, t.office_b, t.school_a1, t.school_a2, t.school_b1, t.commune):
        unit.refresh_from_db()
    return t


def test_merge_closes_offices_and_moves_schools(merged):
    t = merged
    assert t.office_a.closed_on == LAST_DAY
    assert t.office_b.closed_on == LAST_DAY
    for school in (t.school_a1, t.school_a2, t.school_b1):
        assert school.parent_id == t.commune.pk
        assert school.path == f"{t.commune.path}{school.pk}/"
        assert school.depth == t.commune.depth + 1
    assert set(selectors.subtree(t.commune)) == {t.commune, t.school_a1, t.school_a2, t.school_b1}
    # The closed offices stay in the tree, with nothing open under them.
    assert set(selectors.subtree(t.office_a)) == {t.office_a}
    links = UnitSuccession.objects.filter(successor=t.commune).order_by("predecessor__code")
    assert [(s.predecessor, s.kind) for s in links] == [
        (t.office_a, UnitSuccession.Kind.MERGED_INTO),
        (t.office_b, UnitSuccession.Kind.MERGED_INTO),
    ]


def test_past_tree_is_kept_for_past_dates(merged):
    t = merged
    march = dt.date(2025, 3, 1)
    assert set(selectors.subtree_on(t.office_a, march)) == {t.office_a, t.school_a1, t.school_a2}
    assert set(selectors.subtree_on(t.office_b, march)) == {t.office_b, t.school_b1}
    assert not selectors.subtree_on(t.commune, march).exists()
    assert set(selectors.subtree_on(t.office_a, LAST_DAY)) == {t.office_a, t.school_a1, t.school_a2}
    assert not selectors.subtree_on(t.office_a, REFORM_DAY).exists()
    # The department sees the same schools before and after, through different offices.
    schools = {t.school_a1, t.school_a2, t.school_b1, t.high_school}
    for day in (march, REFORM_DAY):
        in_dept = set(selectors.subtree_on(t.department, day).filter(kind=UnitKind.SCHOOL))
        assert in_dept == schools


def test_school_placements_record_both_parents(merged):
    t = merged
    rows = list(UnitPlacement.objects.filter(unit=t.school_a1).order_by("valid_from"))
    assert [(r.parent_id, r.valid_to) for r in rows] == [
        (t.office_a.pk, LAST_DAY),
        (t.commune.pk, FOREVER),
    ]
    assert rows[1].valid_from == REFORM_DAY


def test_records_made_before_stay_with_the_old_office(merged):
    """A school's record from March 2025 rolls up to its office then, not to the commune."""
    t = merged
    from django.contrib.auth import get_user_model

    from cchc.orgs.tests.factories import make_user

    # Memberships are dated, unit-attributed records: use them as the measured records.
    make_user("gv1", t.school_a1, "staff")
    make_user("gv2", t.school_b1, "staff")
    make_user("gv3", t.school_a2, "staff")
    users = get_user_model().objects
    march = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
    august = dt.datetime(2025, 8, 10, 9, 0, tzinfo=dt.UTC)
    Membership.objects.filter(user__in=users.filter(username__in=["gv1", "gv2"])).update(
        created_at=march
    )
    Membership.objects.filter(user__username="gv3").update(created_at=august)
    staff = Membership.objects.filter(role="staff", user__username__startswith="gv")

    def counted(unit, start, end):
        found = selectors.records_in_subtree(
            staff, unit=unit, start=start, end=end, date_field="created_at"
        )
        return sorted(found.values_list("user__username", flat=True))

    q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    q3 = (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert counted(t.office_a, *q1) == ["gv1"]
    assert counted(t.office_b, *q1) == ["gv2"]
    assert counted(t.commune, *q1) == []
    assert counted(t.commune, *q3) == ["gv3"]
    assert counted(t.office_a, *q3) == []
    assert counted(t.office_a, *year) == ["gv1"]
    assert counted(t.department, *year) == ["gv1", "gv2", "gv3"]


def test_roles_follow_the_work_to_the_successor(merged):
    t = merged
    membership = Membership.objects.get(user=t.office_a_officer)
    assert membership.unit == t.commune
    from cchc.orgs.scoping import scope_for

    assert set(scope_for(t.office_a_officer).units()) >= {t.school_a1, t.school_b1}


def test_merge_is_audited(merged):
    t = merged
    event = AuditEvent.objects.get(event="unit.merged_into", target_id=str(t.office_a.pk))
    assert event.actor == t.admin
    assert event.changes["closed_on"] == [None, "2025-06-30"]
    assert event.changes["successors"] == [None, [t.commune.pk]]


def test_merge_is_all_or_nothing(province):
    """A successor that is not open yet: nothing moves, nothing closes."""
    t = province
    late = make_unit(
        "Phòng Văn hóa – Xã hội xã Mễ Sở",
        UnitKind.COMMUNE_OFFICE,
        t.department,
        code="HY-XA-MS",
        opened_on=dt.date(2025, 9, 1),
    )
    with pytest.raises(DomainError, match="chưa thành lập"):
        services.units_merge(
            actor=t.admin, predecessors=[t.office_a], successor=late, effective_on=REFORM_DAY
        )
    t.office_a.refresh_from_db()
    assert t.office_a.closed_on is None
    assert OrgUnit.objects.get(pk=t.school_a1.pk).parent_id == t.office_a.pk
    assert not UnitSuccession.objects.exists()


def test_failure_in_a_later_step_rolls_back_the_earlier_ones(province, monkeypatch):
    t = province
    commune = make_unit(
        "Phòng Văn hóa – Xã hội xã Nghĩa Trụ",
        UnitKind.COMMUNE_OFFICE,
        t.department,
        code="HY-XA-NT",
        opened_on=REFORM_DAY,
    )

    def broken_mover(**kwargs):
        raise DomainError("Không chuyển được hồ sơ đang xử lý.")

    monkeypatch.setattr(services, "OPEN_WORK_MOVERS", [broken_mover])
    with pytest.raises(DomainError):
        services.units_merge(
            actor=t.admin, predecessors=[t.office_a], successor=commune, effective_on=REFORM_DAY
        )
    assert OrgUnit.objects.get(pk=t.office_a.pk).closed_on is None
    assert OrgUnit.objects.get(pk=t.school_a1.pk).parent_id == t.office_a.pk
    assert UnitPlacement.objects.filter(unit=t.school_a1).count() == 1


def test_open_work_movers_are_called_for_each_predecessor(province, monkeypatch):
    t = province
    calls = []
    monkeypatch.setattr(
        services, "OPEN_WORK_MOVERS", [lambda **kw: calls.append(kw["predecessor"].code)]
    )
    commune = make_unit(
        "Phòng Văn hóa – Xã hội xã Long Hưng", UnitKind.COMMUNE_OFFICE, t.department,
        code="HY-XA-LH", opened_on=REFORM_DAY,
    )
    services.units_merge(
        actor=t.admin, predecessors=[t.office_a, t.office_b], successor=commune,
        effective_on=REFORM_DAY,
    )
    assert calls == ["HY-VG", "HY-VL"]


def test_split_sends_each_school_where_it_is_told(province):
    t = province
    north = make_unit("Phòng VH-XH xã Văn Giang", UnitKind.COMMUNE_OFFICE, t.department,
                      code="HY-XA-1", opened_on=REFORM_DAY)
    south = make_unit("Phòng VH-XH xã Phụng Công", UnitKind.COMMUNE_OFFICE, t.department,
                      code="HY-XA-2", opened_on=REFORM_DAY)
    with pytest.raises(DomainError, match="Trường THCS Văn Giang"):
        services.unit_split(
            actor=t.admin, predecessor=t.office_a, successors=[north, south],
            children_to={t.school_a1.pk: north}, effective_on=REFORM_DAY,
        )
    services.unit_split(
        actor=t.admin, predecessor=t.office_a, successors=[north, south],
        children_to={t.school_a1.pk: north, t.school_a2.pk: south}, effective_on=REFORM_DAY,
    )
    assert OrgUnit.objects.get(pk=t.school_a1.pk).parent == north
    assert OrgUnit.objects.get(pk=t.school_a2.pk).parent == south
    assert set(selectors.subtree_on(t.office_a, dt.date(2025, 5, 1))) == {
        t.office_a, t.school_a1, t.school_a2,
    }


def test_only_unit_managers_restructure(province):
    t = province
    commune = make_unit("Phòng VH-XH xã Tân Tiến", UnitKind.COMMUNE_OFFICE, t.department,
                        code="HY-XA-TT", opened_on=REFORM_DAY)
    for user in (t.dept_officer, t.office_a_officer, t.school_a1_head):
        with pytest.raises(DomainError):
            services.units_merge(
                actor=user, predecessors=[t.office_a], successor=commune, effective_on=REFORM_DAY
            )
    assert OrgUnit.objects.get(pk=t.office_a.pk).closed_on is None


def test_moving_a_subtree_rewrites_paths_in_bulk(province, django_assert_max_num_queries):
    t = province
    with django_assert_max_num_queries(15):
        services.unit_move(
            actor=t.admin, unit=t.office_b, new_parent=t.office_a, effective_on=dt.date(2024, 9, 1)
        )
    t.school_b1.refresh_from_db()
    assert t.school_b1.path == f"{t.office_a.path}{t.office_b.pk}/{t.school_b1.pk}/"
    assert t.school_b1.depth == 3
    with pytest.raises(DomainError):
        services.unit_move(
            actor=t.admin, unit=t.office_a, new_parent=t.school_b1, effective_on=dt.date(2024, 10, 1)
        )


def test_a_unit_cannot_close_before_it_opened(province):
    t = province
    young = make_unit("Phòng VH-XH xã Mới", UnitKind.COMMUNE_OFFICE, t.department,
                      code="HY-XA-MOI", opened_on=dt.date(2025, 8, 1))
    with pytest.raises(DomainError, match="thành lập ngày 01/08/2025"):
        services.units_merge(
            actor=t.admin, predecessors=[young], successor=t.office_a,
            effective_on=dt.date(2025, 8, 1),
        )
    assert OrgUnit.objects.get(pk=young.pk).closed_on is None


def test_naming_a_predecessor_twice_merges_it_once(province):
    t = province
    commune = make_unit("Phòng VH-XH xã Đông Kết", UnitKind.COMMUNE_OFFICE, t.department,
                        code="HY-XA-DK", opened_on=REFORM_DAY)
    services.units_merge(
        actor=t.admin, predecessors=[t.office_a, t.office_a], successor=commune,
        effective_on=REFORM_DAY,
    )
    assert UnitSuccession.objects.filter(successor=commune).count() == 1


def test_model_validation_comes_back_as_a_domain_error(province):
    t = province
    with pytest.raises(DomainError) as error:
        services.unit_update(actor=t.admin, unit=t.school_a1, email="không-phải-email")
    assert error.value.field == "email"


def test_split_refuses_targets_that_are_not_successors_or_not_open_yet(province):
    t = province
    north = make_unit("Phòng VH-XH xã Bắc", UnitKind.COMMUNE_OFFICE, t.department,
                      code="HY-XA-B", opened_on=REFORM_DAY)
    future = make_unit("Phòng VH-XH xã Tương Lai", UnitKind.COMMUNE_OFFICE, t.department,
                       code="HY-XA-TL", opened_on=dt.date(2030, 1, 1))
    with pytest.raises(DomainError, match="một trong các đơn vị tiếp nhận"):
        services.unit_split(
            actor=t.admin, predecessor=t.office_a, successors=[north],
            children_to={t.school_a1.pk: north, t.school_a2.pk: t.office_b},
            effective_on=REFORM_DAY,
        )
    with pytest.raises(DomainError, match="chưa thành lập"):
        services.unit_split(
            actor=t.admin, predecessor=t.office_a, successors=[north, future],
            children_to={t.school_a1.pk: north, t.school_a2.pk: future},
            effective_on=REFORM_DAY,
        )
    assert OrgUnit.objects.get(pk=t.office_a.pk).closed_on is None


def test_units_closed_before_a_move_keep_their_path(province):
    t = province
    services.unit_move(actor=t.admin, unit=t.school_a2, new_parent=t.office_b,
                       effective_on=dt.date(2010, 1, 1))
    services.unit_close(actor=t.admin, unit=t.school_b1, closed_on=dt.date(2010, 6, 30))
    old_path = OrgUnit.objects.get(pk=t.school_b1.pk).path
    services.unit_move(actor=t.admin, unit=t.office_b, new_parent=t.office_a,
                       effective_on=dt.date(2020, 1, 1))
    assert OrgUnit.objects.get(pk=t.school_b1.pk).path == old_path
    assert OrgUnit.objects.get(pk=t.school_a2.pk).path.startswith(t.office_a.path)

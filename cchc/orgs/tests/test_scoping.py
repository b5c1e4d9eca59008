"""One scoping rule: a user sees the subtrees where they hold a role, changes what it allows."""

import pytest
from django.http import Http404

from cchc.core.errors import PermissionDenied
from cchc.orgs import selectors, services
from cchc.orgs.models import Membership, OrgUnit, UnitKind
from cchc.orgs.scoping import Perm, scope_for
from cchc.orgs.tests.factories import bulk_units, make_unit, make_user


def test_school_head_sees_only_their_school(province):
    t = province
    scope = scope_for(t.school_a1_head)
    assert list(scope.units()) == [t.school_a1]
    for other in (t.school_a2, t.school_b1, t.office_a, t.department):
        assert not scope.can(Perm.VIEW, other)
        with pytest.raises(Http404):
            scope.get_unit(other.pk)


def test_office_officer_sees_their_office_subtree_not_the_sibling_office(province):
    t = province
    units = set(scope_for(t.office_a_officer).units())
    assert units == {t.office_a, t.school_a1, t.school_a2}
    assert t.school_b1 not in units


def test_department_roles_see_the_whole_province(province):
    t = province
    everything = set(OrgUnit.objects.all())
    assert set(scope_for(t.dept_officer).units()) == everything
    assert set(scope_for(t.viewer).units()) == everything


def test_role_decides_what_may_be_changed(province):
    t = province
    assert scope_for(t.school_a1_head).can(Perm.UPDATE_PROGRESS, t.school_a1)
    assert not scope_for(t.school_a1_head).can(Perm.MANAGE_UNITS, t.school_a1)
    assert not scope_for(t.viewer).can(Perm.UPDATE_PROGRESS, t.school_a1)
    assert scope_for(t.desk_officer).can(Perm.HANDLE_DOSSIERS, t.school_a1)
    assert not scope_for(t.school_a1_staff).can(Perm.HANDLE_DOSSIERS, t.school_a1)
    assert scope_for(t.admin).can(Perm.MANAGE_UNITS, t.school_b1)
    with pytest.raises(PermissionDenied):
        scope_for(t.viewer).require(Perm.MANAGE_PLANS, t.department)
    with pytest.raises(PermissionDenied):
        scope_for(t.school_a1_head).get_unit(t.school_a1.pk, Perm.MANAGE_UNITS)


def test_filter_scopes_any_queryset_by_its_unit_field(province):
    t = province
    memberships = scope_for(t.office_b_officer).filter(Membership.objects.all())
    assert {m.unit for m in memberships} == {t.office_b, t.school_b1}


def test_roles_in_two_units_add_up(province):
    t = province
    services.membership_grant(actor=t.admin, user=t.school_a1_head, unit=t.school_b1, role="viewer")
    scope = scope_for(t.school_a1_head.__class__.objects.get(pk=t.school_a1_head.pk))
    assert set(scope.units()) == {t.school_a1, t.school_b1}
    assert scope.can(Perm.UPDATE_PROGRESS, t.school_a1)
    assert not scope.can(Perm.UPDATE_PROGRESS, t.school_b1)


def test_anonymous_and_inactive_users_see_nothing(province, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not scope_for(AnonymousUser()).units().exists()
    t = province
    t.school_a1_head.is_active = False
    t.school_a1_head.save()
    fresh = django_user_model.objects.get(pk=t.school_a1_head.pk)
    assert not scope_for(fresh).units().exists()


def test_users_without_role_see_nothing(db):
    user = make_user("khach")
    make_unit("Sở GD&ĐT Thái Bình", UnitKind.DEPARTMENT)
    assert not scope_for(user).units().exists()


def test_search_folds_diacritics_within_scope(province):
    t = province
    found = selectors.unit_list_for(user=t.dept_officer, query="xuan quan")
    assert list(found) == [t.school_a1]
    assert not selectors.unit_list_for(user=t.school_b1_head, query="xuan quan").exists()
    assert list(selectors.unit_list_for(user=t.dept_officer, query="VĂN LÂM")) == [t.office_b]


def test_a_department_subtree_of_a_thousand_units_is_one_query(db, django_assert_num_queries):
    department = make_unit("Sở GD&ĐT Hà Nội", UnitKind.DEPARTMENT, code="HN")
    other = make_unit("Sở GD&ĐT Hải Phòng", UnitKind.DEPARTMENT, code="HP")
    offices = bulk_units(department, UnitKind.DISTRICT_OFFICE, 9)
    for office in offices:
        bulk_units(office, UnitKind.SCHOOL, 111, level="primary")
    bulk_units(other, UnitKind.SCHOOL, 50, level="primary")
    with django_assert_num_queries(1):
        units = list(selectors.subtree(department))
    assert len(units) == 1 + 9 + 9 * 111
    assert all(u.path.startswith(department.path) for u in units)

"""The masking rules and who sees a citizen's data in full (cchc.core.privacy): the desk of
the unit that holds the case, its successor's desk, the system administrator; not a
reader, not a parent unit's officers, not a sibling."""

import datetime as dt

import pytest

from cchc.core.privacy import (
    ERASED,
    can_see_personal_data,
    mask_address,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
    scrub,
)
from cchc.orgs.models import Role, UnitKind, UnitSuccession
from cchc.orgs.scoping import Perm
from cchc.orgs.tests.factories import make_unit, make_user
from cchc.portal.selectors import mask_name as portal_mask_name


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "Nguyễn V. A."),
        ("Lê Thị Thu Hà", "Lê T. T. H."),
        ("Hà", "H."),
        ("", ""),
        (ERASED, ERASED),
    ],
)
def test_a_name_keeps_the_family_name_and_the_initials_as_on_the_portal(name, masked):
    assert mask_name(name) == masked
    assert portal_mask_name is mask_name  # one rule for the portal and the officers' screens


def test_phone_id_number_address_and_email_show_only_what_identifies_no_one():
    assert mask_phone("0912 345 689") == "09******89"
    assert mask_phone("+84 912 345 689") == "84******89"
    assert mask_phone("113") == "***"
    assert mask_id_number("033190001234") == "******1234"
    assert mask_id_number("012345678") == "******5678"  # the length is hidden too
    assert (
        mask_address("Số 5, thôn Xuân Quan, xã Văn Giang, tỉnh Hưng Yên") == "…, xã Văn Giang, tỉnh Hưng Yên"
    )
    assert mask_address("Thôn 3, xã Văn Giang") == "…, xã Văn Giang"
    assert mask_address("Xuân Quan") == "…"
    assert mask_email("an.nguyen@gmail.com") == "a***@gmail.com"
    assert [mask_phone(""), mask_id_number(""), mask_address(""), mask_email("")] == ["", "", "", ""]


def test_scrub_replaces_every_copy_in_texts_and_json():
    secrets = ["Nguyễn Văn An", "0912345678"]
    value = {"note": "Ông nguyễn văn an (0912345678) nhận", "list": ["Nguyễn Văn An"], "n": 3}
    assert scrub(value, secrets) == {"note": f"Ông {ERASED} ({ERASED}) nhận", "list": [ERASED], "n": 3}


@pytest.mark.django_db
def test_only_the_roles_that_handle_cases_in_that_very_unit_see_them_in_full(province):
    t = province
    assert can_see_personal_data(t.desk_officer, t.office_a)
    assert can_see_personal_data(t.admin, t.office_a)  # the root unit's system administrator
    assert can_see_personal_data(t.school_a1_head, t.school_a1)  # a unit head handles dossiers
    assert not can_see_personal_data(t.desk_officer, t.office_b)  # sibling
    assert not can_see_personal_data(t.desk_officer, t.school_a1)  # a lower unit's cases
    assert not can_see_personal_data(t.viewer, t.office_a)
    assert not can_see_personal_data(t.dept_officer, t.office_a)  # parent unit's reform officer
    assert not can_see_personal_data(t.school_a1_staff, t.school_a1)
    # Feedback: the reform officer of the unit handles it; the parent's does not.
    assert can_see_personal_data(t.office_a_officer, t.office_a, perm=Perm.HANDLE_FEEDBACK)
    assert not can_see_personal_data(t.office_a_officer, t.office_a, perm=Perm.HANDLE_DOSSIERS)
    assert not can_see_personal_data(t.dept_officer, t.office_a, perm=Perm.HANDLE_FEEDBACK)


@pytest.mark.django_db
def test_the_successor_units_desk_sees_the_closed_units_cases(province):
    commune = make_unit("Phòng Văn hóa – Xã hội xã Văn Giang", UnitKind.COMMUNE_OFFICE, province.department)
    UnitSuccession.objects.create(
        predecessor=province.office_a,
        successor=commune,
        kind=UnitSuccession.Kind.MERGED_INTO,
        effective_on=dt.date(2025, 7, 1),
    )
    desk = make_user("xavg.motcua", commune, Role.ONE_STOP_DESK)
    assert can_see_personal_data(desk, province.office_a)
    assert not can_see_personal_data(desk, province.office_b)


@pytest.mark.django_db
def test_a_staff_account_given_view_permissions_cannot_read_personal_data_in_the_admin(province, client):
    """Django permissions are not the privacy policy: a staff account that was granted
    "view" on dossiers, feedback and the audit trail still cannot open them in the admin;
    only the system administrator can."""
    from django.contrib.auth.models import Permission

    from cchc.orgs.tests.factories import make_user

    clerk = make_user("it.staff", is_staff=True)
    clerk.user_permissions.set(
        Permission.objects.filter(codename__in=["view_dossier", "view_feedback", "view_auditevent"])
    )
    pages = ["/admin/dossiers/dossier/", "/admin/feedback/feedback/", "/admin/core/auditevent/"]

    client.force_login(clerk)
    assert [client.get(page).status_code for page in pages] == [403, 403, 403]
    assert "/admin/dossiers/dossier/" not in client.get("/admin/").content.decode()

    province.admin.is_staff = True  # as in the demo: the system administrator uses the admin
    province.admin.save(update_fields=["is_staff"])
    client.force_login(province.admin)
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]

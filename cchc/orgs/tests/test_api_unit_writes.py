"""Changing the unit tree over the API: the services decide, the API reports in JSON."""

import pytest

from cchc.core.models import AuditEvent
from cchc.orgs.models import Membership, OrgUnit, UnitKind, UnitSuccession
from cchc.orgs.services_tokens import api_token_issue
from cchc.orgs.tests.factories import REFORM_DAY, make_unit

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _, plaintext = api_token_issue(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {plaintext}"}


def new_school(parent, **extra) -> dict:
    return {
        "parent_id": parent.pk,
        "name": "Trường Tiểu học Nghĩa Trụ",
        "code": "HY-VG-TH-NT",
        "kind": "school",
        "school_level": "primary",
        "opened_on": "2024-08-15",
        **extra,
    }


# --- create ----------------------------------------------------------------------------
def test_admin_creates_a_school_under_an_office(client, province):
    response = client.post(
        "/api/orgs/units",
        new_school(province.office_a),
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 201
    body = response.json()
    assert body["code"] == "HY-VG-TH-NT"
    assert body["parent_id"] == province.office_a.pk
    assert body["opened_on"] == "2024-08-15"
    unit = OrgUnit.objects.get(code="HY-VG-TH-NT")
    assert unit.path == f"{province.office_a.path}{unit.pk}/"
    assert AuditEvent.objects.filter(event="unit.created", target_id=str(unit.pk)).exists()


def test_school_head_cannot_create_a_unit(client, province):
    response = client.post(
        "/api/orgs/units",
        new_school(province.school_a1, kind="division", school_level=None),
        content_type="application/json",
        headers=bearer(province.school_a1_head),
    )

    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "Bạn không có quyền thực hiện thao tác này.",
        "field": None,
    }
    assert not OrgUnit.objects.filter(code="HY-VG-TH-NT").exists()


def test_office_officer_cannot_create_under_the_other_office(client, province):
    response = client.post(
        "/api/orgs/units",
        new_school(province.office_b),
        content_type="application/json",
        headers=bearer(province.office_a_officer),
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not OrgUnit.objects.filter(code="HY-VG-TH-NT").exists()


@pytest.mark.parametrize(
    "payload, loc",
    [
        ({"name": None}, ["body", "payload", "name"]),
        ({"name": ""}, ["body", "payload", "name"]),
        ({"kind": "castle"}, ["body", "payload", "kind"]),
        ({"parent_id": "the department"}, ["body", "payload", "parent_id"]),
        ({"opened_on": "15/08/2024"}, ["body", "payload", "opened_on"]),
        ({"path": "/1/"}, ["body", "payload", "path"]),
    ],
)
def test_malformed_fields_are_422_and_nothing_is_created(client, province, payload, loc):
    data = {k: v for k, v in new_school(province.office_a, **payload).items() if v is not None}

    response = client.post(
        "/api/orgs/units", data, content_type="application/json", headers=bearer(province.admin)
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["message"] == "Dữ liệu không hợp lệ."
    assert loc in [error["loc"] for error in response.json()["errors"]]
    assert not OrgUnit.objects.filter(code="HY-VG-TH-NT").exists()


def test_body_that_is_not_json_is_400(client, province):
    response = client.post(
        "/api/orgs/units",
        "{not json",
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_request",
        "message": "Không đọc được nội dung yêu cầu (JSON không hợp lệ).",
        "field": None,
    }


def test_business_rule_is_400_with_the_field(client, province):
    response = client.post(
        "/api/orgs/units",
        new_school(province.office_a, school_level=None),
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "Trường học phải có cấp học.",
        "field": "school_level",
    }
    assert not OrgUnit.objects.filter(code="HY-VG-TH-NT").exists()


def test_duplicate_code_is_400(client, province):
    response = client.post(
        "/api/orgs/units",
        new_school(province.office_a, code="HY-VG"),
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 400
    assert response.json()["field"] == "code"


def test_invalid_email_refused_by_the_model_is_400(client, province):
    response = client.post(
        "/api/orgs/units",
        new_school(province.office_a, email="not an address"),
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == "email"
    assert not OrgUnit.objects.filter(code="HY-VG-TH-NT").exists()


# --- update ----------------------------------------------------------------------------
def test_admin_renames_a_school(client, province):
    response = client.patch(
        f"/api/orgs/units/{province.school_a1.pk}",
        {"name": "Trường Tiểu học Xuân Quan A", "phone": "0221 3 123 456"},
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Trường Tiểu học Xuân Quan A"
    province.school_a1.refresh_from_db()
    assert province.school_a1.name_folded == "truong tieu hoc xuan quan a"
    assert province.school_a1.phone == "0221 3 123 456"
    assert province.school_a1.code == "HY-VG-TH-XQ"


def test_school_head_cannot_rename_their_school(client, province):
    response = client.patch(
        f"/api/orgs/units/{province.school_a1.pk}",
        {"name": "Tên khác"},
        content_type="application/json",
        headers=bearer(province.school_a1_head),
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    province.school_a1.refresh_from_db()
    assert province.school_a1.name == "Trường Tiểu học Xuân Quan"


def test_school_head_cannot_even_see_a_sibling_to_rename_it(client, province):
    response = client.patch(
        f"/api/orgs/units/{province.school_a2.pk}",
        {"name": "Tên khác"},
        content_type="application/json",
        headers=bearer(province.school_a1_head),
    )

    assert response.status_code == 404


def test_code_and_parent_cannot_be_patched(client, province):
    response = client.patch(
        f"/api/orgs/units/{province.school_a1.pk}",
        {"code": "X", "parent_id": province.office_b.pk},
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 422
    province.school_a1.refresh_from_db()
    assert province.school_a1.code == "HY-VG-TH-XQ"


def test_empty_name_is_refused_with_its_message(client, province):
    response = client.patch(
        f"/api/orgs/units/{province.school_a1.pk}",
        {"name": None},
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "required",
        "message": "Vui lòng nhập tên đơn vị.",
        "field": "name",
    }


# --- merge -----------------------------------------------------------------------------
@pytest.fixture
def commune_office(province):
    return make_unit(
        "Phòng Văn hóa – Xã hội xã Văn Giang",
        UnitKind.COMMUNE_OFFICE,
        province.department,
        code="HY-X-VG",
        opened_on=REFORM_DAY,
    )


def merge_payload(province, commune_office) -> dict:
    return {
        "predecessor_ids": [province.office_a.pk, province.office_b.pk],
        "successor_id": commune_office.pk,
        "effective_on": "2025-07-01",
        "decision": "1234/QĐ-UBND",
    }


def test_department_reform_officer_cannot_merge(client, province, commune_office):
    response = client.post(
        "/api/orgs/restructurings/merge",
        merge_payload(province, commune_office),
        content_type="application/json",
        headers=bearer(province.dept_officer),
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    province.office_a.refresh_from_db()
    assert province.office_a.closed_on is None
    assert not UnitSuccession.objects.exists()


def test_admin_merges_the_offices(client, province, commune_office):
    response = client.post(
        "/api/orgs/restructurings/merge",
        merge_payload(province, commune_office),
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 200
    body = response.json()
    assert body["successor"]["code"] == "HY-X-VG"
    assert [(u["code"], u["closed_on"]) for u in body["predecessors"]] == [
        ("HY-VG", "2025-06-30"),
        ("HY-VL", "2025-06-30"),
    ]
    for office in (province.office_a, province.office_b):
        office.refresh_from_db()
        assert office.closed_on.isoformat() == "2025-06-30"
    province.school_b1.refresh_from_db()
    assert province.school_b1.parent_id == commune_office.pk
    assert Membership.objects.filter(user=province.office_a_officer, unit=commune_office).exists()
    assert UnitSuccession.objects.filter(successor=commune_office).count() == 2


def test_repeated_predecessor_is_merged_once(client, province, commune_office):
    payload = merge_payload(province, commune_office)
    payload["predecessor_ids"] = [province.office_a.pk, province.office_a.pk]

    response = client.post(
        "/api/orgs/restructurings/merge",
        payload,
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 200
    assert UnitSuccession.objects.filter(predecessor=province.office_a).count() == 1


def test_merge_needs_at_least_one_predecessor(client, province, commune_office):
    payload = merge_payload(province, commune_office)
    payload["predecessor_ids"] = []

    response = client.post(
        "/api/orgs/restructurings/merge",
        payload,
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 422


def test_merge_into_itself_is_400(client, province):
    response = client.post(
        "/api/orgs/restructurings/merge",
        {
            "predecessor_ids": [province.office_a.pk],
            "successor_id": province.office_a.pk,
            "effective_on": "2025-07-01",
        },
        content_type="application/json",
        headers=bearer(province.admin),
    )

    assert response.status_code == 400
    assert response.json()["message"] == "Đơn vị không thể sáp nhập vào chính nó."
    province.office_a.refresh_from_db()
    assert province.office_a.closed_on is None

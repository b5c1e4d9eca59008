"""Reading the unit tree over the API: each user sees their own subtree and nothing else."""

import datetime as dt

import pytest

from cchc.orgs import services
from cchc.orgs.models import UnitKind
from cchc.orgs.services_tokens import api_token_issue
from cchc.orgs.tests.factories import REFORM_DAY, make_unit

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _, plaintext = api_token_issue(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {plaintext}"}


def codes(response) -> list[str]:
    return [unit["code"] for unit in response.json()["items"]]


def test_school_head_lists_only_their_school(client, province):
    response = client.get("/api/orgs/units", headers=bearer(province.school_a1_head))

    assert response.status_code == 200
    assert response.json()["count"] == 1
    (unit,) = response.json()["items"]
    assert unit["code"] == "HY-VG-TH-XQ"
    assert unit["kind"] == "school"
    assert unit["kind_label"] == "Trường học"
    assert unit["parent_id"] == province.office_a.pk


def test_office_officer_lists_their_office_and_schools_not_the_other_office(client, province):
    response = client.get("/api/orgs/units", headers=bearer(province.office_a_officer))

    assert codes(response) == ["HY-VG", "HY-VG-TH-XQ", "HY-VG-THCS-VG"]


@pytest.mark.parametrize("other", ["school_a2", "school_b1", "office_a", "department"])
def test_school_head_gets_404_for_units_outside_their_school(client, province, other):
    unit = getattr(province, other)

    for url in (
        f"/api/orgs/units/{unit.pk}",
        f"/api/orgs/units/{unit.pk}/children",
        f"/api/orgs/units/{unit.pk}/history",
        f"/api/orgs/units?under={unit.pk}",
    ):
        response = client.get(url, headers=bearer(province.school_a1_head))
        assert response.status_code == 404, url
        assert response.json() == {"code": "not_found", "message": "Không tìm thấy."}


def test_unknown_unit_is_the_same_404(client, province):
    response = client.get("/api/orgs/units/999999", headers=bearer(province.admin))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_detail_of_own_school_with_iso_dates(client, province):
    services.unit_update(actor=province.admin, unit=province.school_a1, opened_on=dt.date(1998, 9, 5))

    response = client.get(f"/api/orgs/units/{province.school_a1.pk}", headers=bearer(province.school_a1_head))

    assert response.status_code == 200
    assert response.json()["name"] == "Trường Tiểu học Xuân Quan"
    assert response.json()["opened_on"] == "1998-09-05"
    assert response.json()["closed_on"] is None
    assert response.json()["is_open"] is True


def test_search_ignores_diacritics_and_filters_by_kind_and_subtree(client, province):
    headers = bearer(province.dept_officer)

    assert codes(client.get("/api/orgs/units?q=xuan quan", headers=headers)) == ["HY-VG-TH-XQ"]
    assert codes(client.get("/api/orgs/units?q=Văn Giang&kind=school", headers=headers)) == [
        "HY-THPT-VG",
        "HY-VG-THCS-VG",
    ]
    assert codes(client.get(f"/api/orgs/units?under={province.office_b.pk}", headers=headers)) == [
        "HY-VL",
        "HY-VL-MN-LH",
    ]
    assert codes(client.get("/api/orgs/units?q=hy-vl", headers=headers)) == ["HY-VL"]


def test_unknown_kind_is_a_validation_error(client, province):
    response = client.get("/api/orgs/units?kind=castle", headers=bearer(province.dept_officer))

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["message"] == "Dữ liệu không hợp lệ."
    assert response.json()["errors"][0]["loc"] == ["query", "kind"]


def test_pagination(client, province):
    headers = bearer(province.dept_officer)

    first = client.get("/api/orgs/units?limit=3", headers=headers).json()
    rest = client.get("/api/orgs/units?limit=3&offset=3", headers=headers).json()

    assert first["count"] == rest["count"] == 8
    assert len(first["items"]) == 3
    assert len(rest["items"]) == 3
    assert not {u["id"] for u in first["items"]} & {u["id"] for u in rest["items"]}
    too_many = client.get("/api/orgs/units?limit=1000", headers=headers)
    assert too_many.status_code == 422


def test_children_are_direct_and_open_unless_asked(client, province):
    services.unit_close(actor=province.admin, unit=province.school_a2, closed_on=dt.date(2025, 5, 31))
    headers = bearer(province.office_a_officer)
    url = f"/api/orgs/units/{province.office_a.pk}/children"

    assert codes(client.get(url, headers=headers)) == ["HY-VG-TH-XQ"]
    assert codes(client.get(f"{url}?include_closed=true", headers=headers)) == [
        "HY-VG-TH-XQ",
        "HY-VG-THCS-VG",
    ]
    dept = client.get(f"/api/orgs/units/{province.department.pk}/children", headers=headers)
    assert dept.status_code == 404


def test_closed_units_listed_only_when_asked(client, province):
    services.unit_close(actor=province.admin, unit=province.school_a2, closed_on=dt.date(2025, 5, 31))
    headers = bearer(province.office_a_officer)

    assert "HY-VG-THCS-VG" not in codes(client.get("/api/orgs/units", headers=headers))
    listed = client.get("/api/orgs/units?include_closed=true", headers=headers).json()["items"]
    closed = next(u for u in listed if u["code"] == "HY-VG-THCS-VG")
    assert closed["closed_on"] == "2025-05-31"
    assert closed["is_open"] is False


def test_history_shows_placements_and_successions(client, province):
    commune_office = make_unit(
        "Phòng Văn hóa – Xã hội xã Văn Giang",
        UnitKind.COMMUNE_OFFICE,
        province.department,
        code="HY-X-VG",
        opened_on=REFORM_DAY,
    )
    services.units_merge(
        actor=province.admin,
        predecessors=[province.office_a],
        successor=commune_office,
        effective_on=REFORM_DAY,
        decision="123/QĐ-UBND",
    )
    headers = bearer(province.admin)

    school = client.get(f"/api/orgs/units/{province.school_a1.pk}/history", headers=headers).json()
    office = client.get(f"/api/orgs/units/{province.office_a.pk}/history", headers=headers).json()
    successor = client.get(f"/api/orgs/units/{commune_office.pk}/history", headers=headers).json()

    assert school["placements"] == [
        {
            "parent_id": province.office_a.pk,
            "parent_name": "Phòng Giáo dục và Đào tạo Văn Giang",
            "valid_from": None,
            "valid_to": "2025-06-30",
        },
        {
            "parent_id": commune_office.pk,
            "parent_name": "Phòng Văn hóa – Xã hội xã Văn Giang",
            "valid_from": "2025-07-01",
            "valid_to": None,
        },
    ]
    assert office["unit"]["closed_on"] == "2025-06-30"
    assert office["successors"] == [
        {
            "unit_id": commune_office.pk,
            "unit_code": "HY-X-VG",
            "unit_name": "Phòng Văn hóa – Xã hội xã Văn Giang",
            "kind": "merged_into",
            "kind_label": "Sáp nhập vào",
            "effective_on": "2025-07-01",
            "decision": "123/QĐ-UBND",
        }
    ]
    assert [p["unit_code"] for p in successor["predecessors"]] == ["HY-VG"]


def test_me_lists_memberships_and_permissions(client, province):
    response = client.get("/api/orgs/me", headers=bearer(province.school_a1_head))

    body = response.json()
    assert body["username"] == "xq.hieutruong"
    assert body["is_global"] is False
    assert [(m["unit_code"], m["role"]) for m in body["memberships"]] == [("HY-VG-TH-XQ", "unit_head")]
    assert body["memberships"][0]["role_label"] == "Thủ trưởng đơn vị"
    assert "handle_dossiers" in body["permissions"]
    assert "manage_units" not in body["permissions"]


def test_me_for_the_system_admin(client, province):
    body = client.get("/api/orgs/me", headers=bearer(province.admin)).json()

    assert body["is_global"] is True
    assert "manage_units" in body["permissions"]

"""The province's one-stop system pushes the Văn Giang office's dossiers and their steps
through the API; the office reads its own dossiers, the department reads every office's,
and the Văn Lâm office next door neither sees nor touches Văn Giang's."""

import pytest

from cchc.dossiers.models import Dossier, DossierEvent, ProcedureLevel
from cchc.orgs.models import Role
from cchc.orgs.services_tokens import api_token_issue
from cchc.orgs.tests.factories import make_user
from cchc.workdays import calendar

from .factories import make_procedure, receive, vn

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "Không tìm thấy."}


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def bearer(user) -> dict:
    _, plaintext = api_token_issue(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def procedure():
    return make_procedure(code="1.005092", processing_days=5)


@pytest.fixture
def sibling_desk(province):
    return make_user("vl.motcua", province.office_b, Role.ONE_STOP_DESK)


@pytest.fixture
def vg_dossier(province, procedure):
    return receive(
        province.office_a, procedure, actor=province.desk_officer, at=vn(2025, 10, 8), external_id="EXT-1"
    )


@pytest.fixture
def vl_dossier(province, procedure):
    return receive(province.office_b, procedure, at=vn(2025, 10, 9))


def push(**overrides) -> dict:
    body = {
        "unit": "HY-VG",
        "procedure": "1.005092",
        "applicant": {"name": "Trần Văn Cường", "phone": "0987654321"},
        "channel": "online",
        "received_at": "2025-10-08T10:15:00+07:00",
        "external_id": "DVC-000123",
    }
    body.update(overrides)
    return body


# --- the catalogue -----------------------------------------------------------------------
def test_the_catalogue_is_listed_with_filters_and_pages(client, province, procedure):
    make_procedure(
        code="2.000001", name="Thành lập trường trung học phổ thông", level=ProcedureLevel.PROVINCE
    )
    make_procedure(code="2.000002", name="Giải thể trường cũ", level=ProcedureLevel.PROVINCE, is_active=False)
    headers = bearer(province.school_a1_head)

    everything = client.get("/api/dossiers/procedures?limit=2", headers=headers).json()
    provincial = client.get("/api/dossiers/procedures?level=province", headers=headers).json()
    searched = client.get("/api/dossiers/procedures?q=thanh lap truong", headers=headers).json()
    retired = client.get("/api/dossiers/procedures?active=false", headers=headers).json()
    one = client.get("/api/dossiers/procedures/1.005092", headers=headers)
    missing = client.get("/api/dossiers/procedures/9.9", headers=headers)

    assert everything["count"] == 2 and len(everything["items"]) == 2
    assert [p["code"] for p in provincial["items"]] == ["2.000001"]
    assert [p["code"] for p in searched["items"]] == ["2.000001"]
    assert [p["code"] for p in retired["items"]] == ["2.000002"]
    body = one.json()
    assert (body["level"], body["level_label"], body["processing_days"]) == (
        "district",
        "Cấp huyện (Phòng GD&ĐT, đến 30/06/2025)",
        5,
    )
    assert body["steps"][1] == {"name": "Thẩm định hồ sơ", "share": 60}
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)


def test_a_caller_without_a_token_is_refused(client, procedure):
    response = client.get("/api/dossiers/procedures")

    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


# --- reading dossiers --------------------------------------------------------------------
def test_each_office_lists_its_own_dossiers_and_the_department_both(
    client, province, sibling_desk, vg_dossier, vl_dossier
):
    own = client.get("/api/dossiers/dossiers", headers=bearer(province.desk_officer)).json()
    sibling = client.get("/api/dossiers/dossiers", headers=bearer(sibling_desk)).json()
    department = client.get("/api/dossiers/dossiers", headers=bearer(province.dept_officer)).json()
    school = client.get("/api/dossiers/dossiers", headers=bearer(province.school_a1_head)).json()

    assert [d["code"] for d in own["items"]] == [vg_dossier.code]
    assert [d["code"] for d in sibling["items"]] == [vl_dossier.code]
    assert [d["code"] for d in department["items"]] == [vl_dossier.code, vg_dossier.code]
    assert school == {"items": [], "count": 0}  # a school below does not read the office's desk
    item = own["items"][0]
    assert (item["unit"]["code"], item["procedure"]["code"], item["status"], item["status_label"]) == (
        "HY-VG",
        "1.005092",
        "in_progress",
        "Đang giải quyết",
    )
    assert item["due_at"] == "2025-10-15T09:00:00+07:00"


def test_the_list_filters_by_unit_status_dates_and_code(
    client, province, sibling_desk, vg_dossier, vl_dossier
):
    headers = bearer(province.dept_officer)

    def codes(query):
        return [
            d["code"] for d in client.get(f"/api/dossiers/dossiers?{query}", headers=headers).json()["items"]
        ]

    assert codes("unit=HY-VG") == [vg_dossier.code]
    assert codes("unit=HY") == [vl_dossier.code, vg_dossier.code]  # the department's subtree
    assert codes("received_from=2025-10-09") == [vl_dossier.code]
    assert codes("received_to=2025-10-08") == [vg_dossier.code]
    assert codes("status=returned") == []
    assert codes(f"code={vg_dossier.code[:12].lower()}") == [vg_dossier.code]
    assert codes("external_id=EXT-1") == [vg_dossier.code]
    # Naming a unit outside one's scope is the same as naming none that exists.
    outside = client.get("/api/dossiers/dossiers?unit=HY-VG", headers=bearer(sibling_desk))
    assert (outside.status_code, outside.json()) == (404, NOT_FOUND)


def test_a_dossier_reads_with_its_control_sheet_and_history_only_inside_the_scope(
    client, province, sibling_desk, vg_dossier
):
    url = f"/api/dossiers/dossiers/{vg_dossier.code}"

    own = client.get(url, headers=bearer(province.desk_officer))
    sibling = client.get(url, headers=bearer(sibling_desk))
    sibling_officer = client.get(url, headers=bearer(province.office_b_officer))

    body = own.json()
    assert body["applicant"]["name"] == "Nguyễn Văn An" and body["ruleset"] == "nd118"
    assert [(s["position"], s["name"], s["handler"]) for s in body["steps"]] == [
        (0, "Tiếp nhận hồ sơ", "vg.motcua")
    ]
    assert [(e["kind"], e["kind_label"], e["unit"]) for e in body["events"]] == [
        ("received", "Tiếp nhận hồ sơ", "HY-VG")
    ]
    assert (sibling.status_code, sibling.json()) == (404, NOT_FOUND)
    assert (sibling_officer.status_code, sibling_officer.json()) == (404, NOT_FOUND)


# --- receiving ---------------------------------------------------------------------------
def test_a_pushed_dossier_is_received_once_however_often_it_is_pushed(client, province, procedure):
    headers = bearer(province.desk_officer)

    first = client.post(
        "/api/dossiers/dossiers", data=push(), content_type="application/json", headers=headers
    )
    again = client.post(
        "/api/dossiers/dossiers", data=push(), content_type="application/json", headers=headers
    )

    assert first.status_code == 201 and again.status_code == 200
    body = first.json()
    assert body["code"].startswith("HY-VG-251008-0001-") and again.json()["code"] == body["code"]
    assert (body["channel"], body["external_id"], body["due_at"]) == (
        "online",
        "DVC-000123",
        "2025-10-15T10:15:00+07:00",
    )
    assert Dossier.objects.filter(external_id="DVC-000123").count() == 1
    assert DossierEvent.objects.filter(kind="received").count() == 1


def test_receiving_is_refused_with_the_reason_and_the_field(client, province, sibling_desk, procedure):
    make_procedure(code="2.000001", level=ProcedureLevel.PROVINCE)

    def post(user, **overrides):
        return client.post(
            "/api/dossiers/dossiers",
            data=push(**overrides),
            content_type="application/json",
            headers=bearer(user),
        )

    sibling = post(sibling_desk)
    reader = post(province.dept_officer)  # sees the office, does not handle its dossiers
    unknown = post(province.desk_officer, procedure="9.9")
    provincial = post(province.desk_officer, procedure="2.000001")
    naive = post(province.desk_officer, received_at="2025-10-08T10:15:00")
    nameless = post(province.desk_officer, applicant={"name": "  "})

    assert (sibling.status_code, sibling.json()) == (404, NOT_FOUND)
    assert (reader.status_code, reader.json()["code"]) == (403, "forbidden")
    assert (unknown.status_code, unknown.json()) == (
        400,
        {
            "code": "unknown_procedure",
            "message": "Không có thủ tục mã “9.9” trong danh mục.",
            "field": "procedure",
        },
    )
    assert (provincial.status_code, provincial.json()["code"], provincial.json()["field"]) == (
        400,
        "procedure_not_handled",
        "procedure",
    )
    assert (naive.status_code, naive.json()["code"]) == (400, "naive_datetime")
    assert (nameless.status_code, nameless.json()["field"]) == (400, "applicant_name")
    assert not Dossier.objects.exists()


# --- the steps ---------------------------------------------------------------------------
def test_a_dossier_lives_through_the_api_step_by_step(client, province, vg_dossier):
    headers = bearer(province.desk_officer)
    url = f"/api/dossiers/dossiers/{vg_dossier.code}/events"

    def step(kind, at, **more):
        response = client.post(
            url, data={"kind": kind, "at": at, **more}, content_type="application/json", headers=headers
        )
        assert response.status_code == 200, response.json()
        return response.json()

    step("handed_over", "2025-10-08T14:00:00+07:00", to_handler="vg.cchc", note="Chuyển chuyên viên")
    step("handed_over", "2025-10-09T10:00:00+07:00")
    step("supplement_requested", "2025-10-10T10:00:00+07:00", reason="Thiếu bản sao giấy khai sinh")
    paused = step("supplement_completed", "2025-10-20T09:00:00+07:00")
    assert paused["due_at"] == "2025-10-23T09:00:00+07:00"
    step("apology_sent", "2025-10-22T09:00:00+07:00", reason="Chờ xác minh sổ gốc", extra_working_days=2)
    step("resolved", "2025-10-24T15:00:00+07:00", summary="Bản sao văn bằng")
    done = step("returned", "2025-10-27T08:00:00+07:00", method="post")

    assert (done["status"], done["outcome"], done["return_method"]) == ("returned", "late", "post")
    assert [e["kind"] for e in done["events"]] == [
        "received",
        "handed_over",
        "handed_over",
        "supplement_requested",
        "supplement_completed",
        "apology_sent",
        "resolved",
        "returned",
    ]
    assert [s["name"] for s in done["steps"]] == [
        "Tiếp nhận hồ sơ",
        "Thẩm định hồ sơ",
        "Lãnh đạo phê duyệt",
        "Trả kết quả",
    ]
    assert done["steps"][1]["handler"] == "vg.cchc"


def test_a_step_is_refused_outside_the_scope_without_the_right_or_out_of_order(
    client, province, sibling_desk, vg_dossier, procedure
):
    url = f"/api/dossiers/dossiers/{vg_dossier.code}/events"
    refuse = {"kind": "refused", "reason": "Không thuộc thẩm quyền", "at": "2025-10-09T09:00:00+07:00"}

    def post(user, body):
        return client.post(url, data=body, content_type="application/json", headers=bearer(user))

    sibling = post(sibling_desk, refuse)
    reader = post(province.dept_officer, refuse)
    too_early = post(province.desk_officer, {**refuse, "at": "2025-10-07T09:00:00+07:00"})
    not_yet = post(province.desk_officer, {"kind": "returned", "at": "2025-10-09T09:00:00+07:00"})
    no_reason = post(
        province.desk_officer, {"kind": "supplement_requested", "at": "2025-10-09T09:00:00+07:00"}
    )
    unknown_kind = post(province.desk_officer, {"kind": "received"})

    assert (sibling.status_code, sibling.json()) == (404, NOT_FOUND)
    assert (reader.status_code, reader.json()["code"]) == (403, "forbidden")
    assert (too_early.status_code, too_early.json()["code"], too_early.json()["field"]) == (
        400,
        "date_before_last_event",
        "at",
    )
    assert (not_yet.status_code, not_yet.json()["code"]) == (400, "invalid_state")
    assert not_yet.json()["message"].startswith(
        f"Hồ sơ {vg_dossier.code} đang ở trạng thái “Đang giải quyết”"
    )
    assert (no_reason.status_code, no_reason.json()["field"]) == (400, "reason")
    assert unknown_kind.status_code == 422
    vg_dossier.refresh_from_db()
    assert vg_dossier.status == "in_progress" and vg_dossier.events.count() == 1

    withdrawn = post(province.desk_officer, {"kind": "withdrawn", "at": "2025-10-09T09:00:00+07:00"})
    assert (withdrawn.status_code, withdrawn.json()["status"]) == (200, "withdrawn")

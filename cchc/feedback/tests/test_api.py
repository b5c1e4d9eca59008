"""The feedback API: the Văn Giang office reads and handles its own feedback with a
token; the department reads it too; the Văn Lâm office next door neither sees nor
touches it."""

import pytest

from cchc.feedback import services
from cchc.feedback.models import Feedback, FeedbackNote, FeedbackStatus
from cchc.orgs.services_tokens import api_token_issue

from .factories import submit, vn

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "Không tìm thấy."}
BASE = "/api/feedback"


def bearer(user) -> dict:
    _, plaintext = api_token_issue(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def vg(province):
    return submit(province.office_a, at=vn(2026, 3, 2), wants_publication=True)


@pytest.fixture
def vl(province):
    return submit(province.office_b, at=vn(2026, 3, 3))


def test_a_caller_without_a_token_is_refused(client, vg):
    assert client.get(f"{BASE}/").status_code == 401
    assert client.get(f"{BASE}/{vg.pk}").status_code == 401


def test_the_kinds_are_listed(client, province):
    response = client.get(f"{BASE}/kinds", headers=bearer(province.office_a_officer))
    assert response.status_code == 200
    codes = [k["code"] for k in response.json()]
    assert "suggestion" in codes and all(k["deadline_days"] >= 1 for k in response.json())


def test_each_office_lists_its_own_and_the_department_both(client, province, vg, vl):
    def codes(user, **query):
        response = client.get(f"{BASE}/", query, headers=bearer(user))
        assert response.status_code == 200
        return [item["code"] for item in response.json()["items"]]

    assert codes(province.office_a_officer) == [vg.code]
    assert codes(province.office_b_officer) == [vl.code]
    assert codes(province.dept_officer) == [vg.code, vl.code]
    assert codes(province.dept_officer, unit="HY-VL") == [vl.code]
    assert codes(province.dept_officer, received_since="2026-03-03") == [vl.code]
    assert codes(province.dept_officer, status="assigned") == []
    response = client.get(f"{BASE}/", {"unit": "HY-VG"}, headers=bearer(province.office_b_officer))
    assert response.status_code == 404


def test_a_feedback_reads_with_its_history_and_notes_only_inside_the_scope(client, province, vg):
    t = province
    services.feedback_note_add(actor=t.office_a_officer, feedback=vg, text="Nội bộ")
    response = client.get(f"{BASE}/{vg.pk}", headers=bearer(t.office_a_officer))
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == vg.code and body["unit"]["code"] == "HY-VG"
    assert [e["kind"] for e in body["events"]] == ["received"]
    assert [n["text"] for n in body["notes"]] == ["Nội bộ"]
    assert body["received_at"].endswith("+07:00")
    # A reader who does not handle feedback sees no notes.
    viewer = client.get(f"{BASE}/{vg.pk}", headers=bearer(t.viewer)).json()
    assert viewer["notes"] == [] and viewer["events"]
    # The sibling office: 404, as if it did not exist.
    response = client.get(f"{BASE}/{vg.pk}", headers=bearer(t.office_b_officer))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_a_feedback_lives_through_the_api(client, province, vg):
    t = province
    auth = bearer(t.office_a_officer)

    def post(path, body):
        return client.post(f"{BASE}/{vg.pk}/{path}", body, content_type="application/json", headers=auth)

    response = post("assign", {"officer": "vg.cchc", "at": "2026-03-02T10:00:00+07:00"})
    assert response.status_code == 200 and response.json()["officer"]["username"] == "vg.cchc"
    assert post("notes", {"text": "Đã xác minh"}).status_code == 201
    response = post("answer", {"answer": "Đã điều chỉnh.", "at": "2026-03-05T09:00:00+07:00"})
    assert response.status_code == 200
    assert response.json()["status"] == "answered" and response.json()["answered_on_time"] is True
    response = post("publish", {})
    assert response.status_code == 200 and response.json()["status"] == "published"
    kinds = [e["kind"] for e in response.json()["events"]]
    assert kinds == ["received", "assigned", "answered", "published"]
    assert FeedbackNote.objects.filter(feedback=vg).count() == 1


def test_refusals_say_why_in_vietnamese(client, province, vg):
    t = province
    auth = bearer(t.office_a_officer)
    response = client.post(
        f"{BASE}/{vg.pk}/answer", {"answer": "Sớm quá"}, content_type="application/json", headers=auth
    )
    assert response.status_code == 400
    assert response.json()["code"] == "step_skipped" and "chưa thể trả lời" in response.json()["message"]
    response = client.post(
        f"{BASE}/{vg.pk}/assign", {"officer": "vl.cchc"}, content_type="application/json", headers=auth
    )
    assert response.status_code == 400 and response.json()["field"] == "officer"
    response = client.post(
        f"{BASE}/{vg.pk}/reject", {"reason": " "}, content_type="application/json", headers=auth
    )
    assert response.status_code == 400 and response.json()["field"] == "reason"
    assert Feedback.objects.get(pk=vg.pk).status == FeedbackStatus.RECEIVED


def test_a_sibling_office_or_a_reader_cannot_write(client, province, vg):
    t = province
    outsider = bearer(t.office_b_officer)
    for path, body in (
        ("assign", {"officer": "vl.cchc"}),
        ("answer", {"answer": "x"}),
        ("publish", {}),
        ("reject", {"reason": "x"}),
        ("notes", {"text": "x"}),
    ):
        response = client.post(
            f"{BASE}/{vg.pk}/{path}", body, content_type="application/json", headers=outsider
        )
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    response = client.post(
        f"{BASE}/{vg.pk}/notes", {"text": "x"}, content_type="application/json", headers=bearer(t.viewer)
    )
    assert response.status_code == 403
    assert FeedbackNote.objects.count() == 0


def test_the_department_routes_to_the_office(client, province):
    t = province
    feedback = submit(t.department, at=vn(2026, 3, 2))
    response = client.post(
        f"{BASE}/{feedback.pk}/route",
        {"to_unit": "HY-VG", "note": "Thuộc thẩm quyền"},
        content_type="application/json",
        headers=bearer(t.dept_officer),
    )
    assert response.status_code == 200 and response.json()["unit"]["code"] == "HY-VG"

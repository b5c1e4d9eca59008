"""Who may call the API: a live bearer token, or the browser's session with its CSRF token."""

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from cchc.core.errors import DomainError, PermissionDenied
from cchc.core.models import AuditEvent
from cchc.orgs.models import ApiToken, OrgUnit
from cchc.orgs.services_tokens import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db

UNAUTHENTICATED = {"code": "unauthenticated", "message": "Thiếu hoặc sai mã truy cập (token)."}


def auth(plaintext: str) -> dict:
    return {"Authorization": f"Bearer {plaintext}"}


# --- bearer tokens -------------------------------------------------------------------
def test_no_token_is_401(client, province):
    response = client.get("/api/orgs/units")

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_no_token_on_a_write_is_401_not_a_csrf_error(province):
    response = Client(enforce_csrf_checks=True).post("/api/orgs/units", {}, content_type="application/json")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Bearer " + "x" * 500])
def test_bad_token_is_401(client, province, header):
    response = client.get("/api/orgs/units", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_revoked_token_is_401(client, province):
    token, plaintext = api_token_issue(
        actor=province.school_a1_head, user=province.school_a1_head, name="một cửa"
    )
    assert client.get("/api/orgs/units", headers=auth(plaintext)).status_code == 200

    api_token_revoke(actor=province.school_a1_head, token=token)

    response = client.get("/api/orgs/units", headers=auth(plaintext))
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_expired_token_is_401(client, province):
    token, plaintext = api_token_issue(
        actor=None,
        user=province.school_a1_head,
        name="tạm",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = client.get("/api/orgs/units", headers=auth(plaintext))

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_token_of_a_deactivated_user_is_401(client, province):
    _, plaintext = api_token_issue(actor=None, user=province.school_a1_head, name="một cửa")
    province.school_a1_head.is_active = False
    province.school_a1_head.save(update_fields=["is_active"])

    response = client.get("/api/orgs/units", headers=auth(plaintext))

    assert response.status_code == 401


def test_a_bad_token_is_refused_even_with_a_session(client, province):
    client.force_login(province.school_a1_head)

    response = client.get("/api/orgs/units", headers=auth("forged"))

    assert response.status_code == 401


def test_tokens_are_stored_hashed(province):
    token, plaintext = api_token_issue(actor=None, user=province.admin, name="tích hợp")

    assert token.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert token.prefix == plaintext[:8]
    assert len(plaintext) >= 43
    assert not ApiToken.objects.filter(key_hash=plaintext).exists()
    stored = ApiToken.objects.values_list("key_hash", "prefix", "name", named=True).get(pk=token.pk)
    assert plaintext not in stored
    # Nor in the audit trail.
    event = AuditEvent.objects.get(event="api_token.issued", target_id=str(token.pk))
    assert "key_hash" not in event.changes
    assert plaintext not in str(event.changes)


def test_last_used_is_written_at_most_once_a_minute(client, province):
    token, plaintext = api_token_issue(actor=None, user=province.admin, name="tích hợp")

    client.get("/api/orgs/me", headers=auth(plaintext))
    token.refresh_from_db()
    first_use = token.last_used_at
    client.get("/api/orgs/me", headers=auth(plaintext))
    token.refresh_from_db()

    assert first_use is not None
    assert token.last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - dt.timedelta(minutes=2))
    client.get("/api/orgs/me", headers=auth(plaintext))
    token.refresh_from_db()
    assert token.last_used_at > first_use - dt.timedelta(minutes=2)


# --- issuing and revoking ---------------------------------------------------------------
def test_a_user_issues_their_own_token_but_not_someone_elses(province):
    token, _ = api_token_issue(actor=province.school_a1_head, user=province.school_a1_head, name="của tôi")
    assert token.user == province.school_a1_head

    with pytest.raises(PermissionDenied):
        api_token_issue(actor=province.office_a_officer, user=province.school_a1_head, name="x")
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=province.school_a2_head, token=token)

    api_token_issue(actor=province.admin, user=province.school_a1_head, name="do quản trị cấp")


def test_issue_refuses_blank_names_and_past_expiry(province):
    with pytest.raises(DomainError) as blank:
        api_token_issue(actor=None, user=province.admin, name="  ")
    with pytest.raises(DomainError) as past:
        api_token_issue(
            actor=None,
            user=province.admin,
            name="x",
            expires_at=timezone.now() - dt.timedelta(days=1),
        )

    assert blank.value.field == "name"
    assert past.value.field == "expires_at"
    assert not ApiToken.objects.exists()


def test_revoking_is_audited_and_happens_once(province):
    token, _ = api_token_issue(actor=None, user=province.admin, name="x")

    api_token_revoke(actor=province.admin, token=token)

    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(event="api_token.revoked", target_id=str(token.pk))
    assert event.actor == province.admin
    with pytest.raises(DomainError):
        api_token_revoke(actor=province.admin, token=token)


# --- the management command -----------------------------------------------------------
def test_command_prints_a_token_that_works(client, province):
    out, err = StringIO(), StringIO()

    call_command("api_token", "xq.hieutruong", "--name", "tích hợp một cửa", stdout=out, stderr=err)

    plaintext = out.getvalue().strip()
    assert "\n" not in plaintext
    assert "không hiển thị lại" in err.getvalue()
    token = ApiToken.objects.get()
    assert token.name == "tích hợp một cửa"
    assert token.user == province.school_a1_head
    assert token.expires_at is None
    response = client.get("/api/orgs/units", headers=auth(plaintext))
    assert response.status_code == 200
    assert [u["code"] for u in response.json()["items"]] == ["HY-VG-TH-XQ"]


def test_command_with_expiry_and_unknown_user(province):
    call_command(
        "api_token", "admin", "--name", "tạm", "--expires-days", "30", stdout=StringIO(), stderr=StringIO()
    )
    token = ApiToken.objects.get()
    assert token.expires_at > timezone.now() + dt.timedelta(days=29)

    with pytest.raises(CommandError):
        call_command("api_token", "nobody", "--name", "x", stdout=StringIO(), stderr=StringIO())


# --- the browser session ----------------------------------------------------------------
def test_session_reads_the_api(client, province):
    client.force_login(province.school_a1_head)

    response = client.get("/api/orgs/units")

    assert response.status_code == 200
    assert [u["code"] for u in response.json()["items"]] == ["HY-VG-TH-XQ"]
    sibling = client.get(f"/api/orgs/units/{province.school_a2.pk}")
    assert sibling.status_code == 404


def new_division(province) -> dict:
    return {
        "parent_id": province.department.pk,
        "name": "Phòng Tổ chức cán bộ",
        "code": "HY-TCCB",
        "kind": "division",
    }


def test_session_write_without_csrf_token_is_refused(province):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(province.admin)

    response = browser.post("/api/orgs/units", new_division(province), content_type="application/json")

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not OrgUnit.objects.filter(code="HY-TCCB").exists()


def test_session_write_with_csrf_token_succeeds(province):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(province.admin)
    browser.get("/api/docs")  # any page that renders the CSRF token sets the cookie
    csrf_token = browser.cookies["csrftoken"].value

    response = browser.post(
        "/api/orgs/units",
        new_division(province),
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token},
    )

    assert response.status_code == 201
    assert OrgUnit.objects.filter(code="HY-TCCB", parent=province.department).exists()


def test_admin_lists_tokens_without_their_hash_and_revokes_them(client, province):
    root = get_user_model().objects.create_superuser("root", password="x")
    token, _ = api_token_issue(actor=None, user=province.school_a1_head, name="một cửa")
    client.force_login(root)

    page = client.get(f"/admin/orgs/apitoken/{token.pk}/change/")
    response = client.post("/admin/orgs/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})

    assert page.status_code == 200
    assert token.key_hash not in page.content.decode()
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None

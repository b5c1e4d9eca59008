"""The database goes away: users see a calm 503 page, API clients a JSON error, and the
next request after the database is back works without a restart."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

REFUSED = OperationalError(
    'connection to server at "127.0.0.1", port 5432 failed: Connection refused\n'
    "\tIs the server running on that host and accepting TCP/IP connections?"
)


def _lost_in_view(request):
    raise REFUSED


def _closed_in_view(request):
    raise InterfaceError("connection already closed")


def _terminate_own_connection(request):
    # What a PostgreSQL restart does to a pooled connection (CONN_MAX_AGE).
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    return HttpResponse("unreachable")


def _count_users(request):
    from django.contrib.auth import get_user_model

    return HttpResponse(str(get_user_model().objects.count()))


urlpatterns = [
    path("test/lost/", _lost_in_view),
    path("test/closed/", _closed_in_view),
    path("test/terminate/", _terminate_own_connection),
    path("test/count/", _count_users),
    path("", include("cchc.urls")),
]

pytestmark = pytest.mark.urls(__name__)


def _assert_friendly_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút." in body
    for leak in ("Traceback", "OperationalError", "InterfaceError", "127.0.0.1", "5432", 'File "'):
        assert leak not in body
    return body


def test_a_view_losing_the_database_shows_the_friendly_page(client, db):
    body = _assert_friendly_page(client.get("/test/lost/?tab=1"))
    assert 'href="/test/lost/?tab=1"' in body  # "Thử lại" reloads the same page
    assert 'http-equiv="refresh"' in body


def test_a_form_sent_while_the_database_is_down_says_it_was_not_saved(client, db):
    response = client.post("/test/closed/", {"results": "…"})
    body = _assert_friendly_page(response)
    assert "Thao tác vừa gửi chưa được lưu" in body
    assert 'http-equiv="refresh"' not in body  # never re-sent behind the user's back
    # "Quay lại trang trước" keeps what was typed (history.back), by a script the page's
    # own policy allows by its nonce; no inline handler.
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in body
    assert "onclick" not in body
    assert "default-src 'none'" in policy


def test_the_session_lookup_failing_before_the_page_is_a_503(province):
    client = Client()
    client.force_login(province.school_a1_head)
    with mock.patch.object(SessionStore, "load", side_effect=REFUSED):
        _assert_friendly_page(client.get("/"))


def test_a_middleware_failing_before_the_view_is_a_503_not_a_500(db):
    # The error is raised inside the middleware chain, where Django's handler turns it
    # into a 500 response before any outer middleware sees it.
    client = Client(raise_request_exception=False)
    with mock.patch(
        "django.contrib.auth.middleware.AuthenticationMiddleware.process_request", side_effect=REFUSED
    ):
        _assert_friendly_page(client.get("/test/count/"))


def test_the_api_answers_json(province):
    client = Client()
    client.force_login(province.school_a1_head)
    with mock.patch.object(SessionStore, "load", side_effect=REFUSED):
        response = client.get("/api/orgs/units")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "code": "unavailable",
        "message": "Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút.",
    }


def test_the_page_follows_the_chosen_language(client, db):
    client.cookies["django_language"] = "en"
    response = client.get("/test/lost/")
    assert response.status_code == 503
    assert '<html lang="en">' in response.content.decode()


def test_other_errors_stay_server_errors(db):
    client = Client(raise_request_exception=False)
    with mock.patch(
        "django.contrib.auth.middleware.AuthenticationMiddleware.process_request",
        side_effect=ValueError("a bug"),
    ):
        assert client.get("/test/count/").status_code == 500


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a PostgreSQL backend")
def test_after_the_connection_is_killed_the_next_request_reconnects(client):
    _assert_friendly_page(client.get("/test/terminate/"))
    # The test client skips Django's end-of-request cleanup: the middleware closed the
    # dead connection itself, so this request opens a new one instead of failing.
    response = client.get("/test/count/")
    assert response.status_code == 200
    assert response.content == b"0"

"""Guessing passwords on the sign-in page: five tries per account and address, twenty per
address, then a clear refusal (HTTP 429) that says nothing about whether the account exists."""

from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cchc.orgs import throttle

pytestmark = pytest.mark.django_db

REFUSED = "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="203.0.113.7"):
    for _ in range(times):
        assert sign_in(client, username, "sai-mat-khau", address).status_code == 200


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, province):
    fail(client, "so.cchc", 5)

    response = sign_in(client, "so.cchc", "demo")

    assert response.status_code == 429
    assert REFUSED in response.content.decode()
    assert 'value="so.cchc"' in response.content.decode()  # what was typed stays
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert AUTH_SESSION_KEY not in client.session


def test_an_unknown_account_is_refused_the_same_way(client, province):
    fail(client, "khong.ton.tai", 5)
    fail(client, "so.cchc", 5, address="203.0.113.8")

    unknown = sign_in(client, "khong.ton.tai", "x")
    known = sign_in(client, "so.cchc", "x", address="203.0.113.8")

    assert unknown.status_code == known.status_code == 429
    assert REFUSED in unknown.content.decode() and REFUSED in known.content.decode()


def test_four_failures_still_let_the_owner_in_and_success_forgives_them(client, province):
    fail(client, "so.cchc", 4)
    assert sign_in(client, "so.cchc", "demo").status_code == 302
    client.post(reverse("logout"))

    fail(client, "so.cchc", 4)  # counted again from zero

    assert sign_in(client, "so.cchc", "demo").status_code == 302


def test_the_lock_holds_for_that_address_only(province):
    attacker, colleague = Client(), Client()
    fail(attacker, "so.cchc", 5, address="198.51.100.1")

    assert sign_in(attacker, "so.cchc", "demo", address="198.51.100.1").status_code == 429
    assert sign_in(colleague, "so.cchc", "demo", address="192.0.2.10").status_code == 302


def test_twenty_failures_over_many_accounts_stop_the_address(client, province):
    for index in range(5):
        fail(client, f"tai.khoan.{index}", 4)  # no single account reaches its limit

    assert sign_in(client, "vg.cchc", "demo").status_code == 429
    assert sign_in(Client(), "vg.cchc", "demo", address="192.0.2.10").status_code == 302


def test_the_username_is_counted_whatever_its_case(client, province):
    fail(client, "SO.CCHC", 3)
    fail(client, " so.cchc", 2)

    assert sign_in(client, "so.cchc", "demo").status_code == 429


def test_the_lock_ends_after_fifteen_minutes(client, province):
    fail(client, "so.cchc", 5)
    assert sign_in(client, "so.cchc", "demo").status_code == 429

    later = throttle.time.time() + throttle.WINDOW_SECONDS + 1
    with mock.patch("time.time", return_value=later):
        response = sign_in(client, "so.cchc", "demo")

    assert response.status_code == 302


def test_a_refused_attempt_does_not_check_the_password(client, province):
    fail(client, "so.cchc", 5)

    with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
        sign_in(client, "so.cchc", "demo")

    authenticate.assert_not_called()

    with mock.patch("django.contrib.auth.forms.authenticate", return_value=None) as authenticate:
        sign_in(client, "vg.cchc", "sai", address="192.0.2.10")

    authenticate.assert_called_once()  # the patch does see a normal attempt


def test_the_admins_login_form_is_the_throttled_one(client, province):
    fail(client, "admin", 5)

    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "demo"},
                           REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert REFUSED in response.content.decode()
    assert AUTH_SESSION_KEY not in client.session


def test_a_signed_in_user_without_admin_rights_sees_the_form_not_a_loop(client, province):
    client.force_login(province.dept_officer)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert "Tài khoản của bạn không có quyền xem trang này" in response.content.decode()


def test_failures_from_two_processes_at_the_same_moment_are_both_counted(monkeypatch):
    """Another web process fails a sign-in for the same account between this one's first
    look at the counter and its write: both failures count (an attacker spreading guesses
    over the workers gains nothing)."""
    from django.test import RequestFactory

    request = RequestFactory().post("/login/", REMOTE_ADDR="203.0.113.7")
    real = throttle.cache

    class OtherProcessInBetween:
        fired = False

        def __getattr__(self, name):
            operation = getattr(real, name)

            def call(*args, **kwargs):
                if not OtherProcessInBetween.fired and name in {"get", "add", "incr", "set"}:
                    OtherProcessInBetween.fired = True
                    monkeypatch.setattr(throttle, "cache", real)
                    throttle.login_failed(request, "so.cchc")  # the other process, whole
                    monkeypatch.setattr(throttle, "cache", self)
                return operation(*args, **kwargs)

            return call

    monkeypatch.setattr(throttle, "cache", OtherProcessInBetween())
    throttle.login_failed(request, "so.cchc")
    monkeypatch.setattr(throttle, "cache", real)

    account, address = throttle._counters(request, "so.cchc")
    assert real.get(account.key) == real.get(address.key) == 2
    for _ in range(3):
        throttle.login_failed(request, "so.cchc")
    assert throttle.login_wait(request, "so.cchc") > 0

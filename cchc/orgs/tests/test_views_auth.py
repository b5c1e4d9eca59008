"""Signing in and out, the acting-unit switch, the language switch."""

import pytest
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.urls import reverse

from cchc.orgs import services
from cchc.orgs.middleware import SESSION_KEY
from cchc.orgs.models import Role

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi"' in html
    assert "Đăng nhập" in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    # Vendored assets only, never a CDN.
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "https://" not in html


def test_login_with_the_right_password_opens_home(client, province):
    response = client.post(reverse("login"), {"username": "so.cchc", "password": "demo"})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[AUTH_SESSION_KEY] == str(province.dept_officer.pk)


def test_wrong_password_says_so_and_keeps_the_username(client, province):
    response = client.post(reverse("login"), {"username": "so.cchc", "password": "sai"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in html
    assert 'value="so.cchc"' in html
    assert AUTH_SESSION_KEY not in client.session


def test_anonymous_users_are_sent_to_login(client, province):
    for url in (
        reverse("home"),
        reverse("unit_list"),
        reverse("unit_detail", args=[province.school_a1.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")


def test_logout_is_a_post_and_ends_the_session(client, province):
    client.force_login(province.dept_officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert AUTH_SESSION_KEY not in client.session


def test_header_shows_user_unit_role_and_logout_form(client, province):
    client.force_login(province.school_a1_head)
    html = client.get(reverse("home")).content.decode()
    assert "Trường Tiểu học Xuân Quan" in html
    assert "Thủ trưởng đơn vị" in html
    assert f'action="{reverse("logout")}"' in html
    # One unit only: no switcher.
    assert 'name="unit"' not in html


def test_navigation_shows_admin_only_to_staff(client, province):
    client.force_login(province.dept_officer)
    html = client.get(reverse("home")).content.decode()
    assert reverse("unit_list") in html
    assert reverse("admin:index") not in html

    province.admin.is_staff = True
    province.admin.save(update_fields=["is_staff"])
    client.force_login(province.admin)
    html = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") in html


@pytest.fixture
def two_unit_user(province):
    user = province.office_a_officer
    services.membership_grant(actor=None, user=user, unit=province.school_a1, role=Role.STAFF)
    return user


def test_acting_unit_switch_to_a_unit_of_the_users_roles(client, province, two_unit_user):
    client.force_login(two_unit_user)
    html = client.get(reverse("home")).content.decode()
    assert 'name="unit"' in html  # the switcher is there

    response = client.post(
        reverse("acting_unit_switch"), {"unit": province.school_a1.pk, "next": "/units/"}
    )
    assert response.status_code == 302
    assert response.url == "/units/"
    assert client.session[SESSION_KEY] == province.school_a1.pk
    html = client.get(reverse("home")).content.decode()
    assert "Bạn đang làm việc cho đơn vị: Trường Tiểu học Xuân Quan." in html


def test_acting_unit_switch_refuses_a_unit_without_a_role(client, province, two_unit_user):
    client.force_login(two_unit_user)
    for unit in (province.school_a2, province.office_b, province.department):
        response = client.post(reverse("acting_unit_switch"), {"unit": unit.pk}, follow=True)
        assert SESSION_KEY not in client.session
        assert "Bạn không có vai trò ở đơn vị đã chọn." in response.content.decode()


def test_acting_unit_switch_ignores_a_foreign_next_url(client, province, two_unit_user):
    client.force_login(two_unit_user)
    response = client.post(
        reverse("acting_unit_switch"),
        {"unit": province.school_a1.pk, "next": "https://evil.example/"},
    )
    assert response.url == reverse("home")


def test_acting_unit_switch_is_post_only(client, province):
    client.force_login(province.dept_officer)
    assert client.get(reverse("acting_unit_switch")).status_code == 405


def test_language_switch_to_english(client, province):
    client.force_login(province.dept_officer)
    html = client.get(reverse("home")).content.decode()
    assert reverse("set_language") in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en"' in html
    assert "Log out" in html and "Unit tree" not in html and "Overview" in html


def test_vietnamese_by_default_even_for_an_english_browser(client, db):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert client.get("/login/")["Content-Language"] == "en"

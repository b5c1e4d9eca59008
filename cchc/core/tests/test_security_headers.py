"""What a security review checks on a production instance: headers, cookie flags, the
password hasher, the Content-Security-Policy and that a session ends.

Production mode is a separate Python process with DEBUG=0 and nothing of the test
settings (the suite itself runs with insecure cookies and a fast hasher)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc.core.security import HEADER as CSP

ROOT = Path(__file__).resolve().parents[3]

PRODUCTION_PROBE = r"""
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
import django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client

# Page rendering only: the static manifest would need a collectstatic first.
settings.STORAGES = {**settings.STORAGES,
                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client()
plain = client.get("/login/")
page = client.get("/login/", secure=True)
csrf = page.cookies[settings.CSRF_COOKIE_NAME]
print(json.dumps({
    "plain": {"status": plain.status_code, "location": plain.get("Location", "")},
    "status": page.status_code,
    "headers": dict(page.headers),
    "csrf_cookie": {"secure": bool(csrf["secure"]), "samesite": csrf["samesite"]},
    "session": {"secure": settings.SESSION_COOKIE_SECURE, "httponly": settings.SESSION_COOKIE_HTTPONLY,
                "samesite": settings.SESSION_COOKIE_SAMESITE, "age": settings.SESSION_COOKIE_AGE},
    "hasher": settings.PASSWORD_HASHERS[0],
    "hash": make_password("mat-khau-thu")[:14],
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST",
                        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_AGE"}}
    env |= {"DEBUG": "0", "ALLOWED_HOSTS": "testserver", "PYTHONPATH": str(ROOT),
            "CCHC_VAR_DIR": str(tmp_path_factory.mktemp("var")),
            "SECRET_KEY": "a-long-random-production-key-for-the-probe-0123456789abcdef"}
    result = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], env=env, capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_sent_to_https(production):
    assert production["plain"]["status"] == 301
    assert production["plain"]["location"] == "https://testserver/login/"


def test_production_pages_carry_the_security_headers(production):
    headers = production["headers"]

    assert production["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "default-src 'self'" in headers[CSP] and "frame-ancestors 'none'" in headers[CSP]


def test_production_cookies_are_secure_and_same_site(production):
    assert production["csrf_cookie"] == {"secure": True, "samesite": "Lax"}
    assert production["session"] == {"secure": True, "httponly": True, "samesite": "Lax", "age": 8 * 3600}


def test_production_hashes_passwords_with_djangos_default(production):
    assert production["hasher"] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert production["hash"] == "pbkdf2_sha256$"


# --- in the test process -------------------------------------------------------------


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_lax_and_lasts_the_configured_age(client, province, settings):
    response = client.post(reverse("login"), {"username": "so.cchc", "password": "demo"})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE == 8 * 3600


@pytest.mark.django_db
def test_an_expired_session_sends_the_user_back_to_login(client, province):
    client.post(reverse("login"), {"username": "so.cchc", "password": "demo"})
    assert client.get(reverse("home")).status_code == 200

    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_every_inline_script_of_a_page_carries_the_nonce_of_its_policy(client, province):
    from cchc.plans.tests.factories import make_annual_plan

    make_annual_plan(province)
    client.force_login(province.dept_officer)
    for url in (reverse("home"), reverse("dossier_stats"), reverse("plan_list")):
        response = client.get(url)
        policy = response[CSP]
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        html = response.content.decode()
        scripts = re.findall(r"<script\b([^>]*)>", html)
        inline = [attrs for attrs in scripts if "src=" not in attrs and "application/json" not in attrs]
        assert inline, url  # base.html has one at least
        assert all(f'nonce="{nonce}"' in attrs for attrs in inline), (url, inline)
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_each_response_gets_its_own_nonce(db):
    first, second = Client().get(reverse("login"))[CSP], Client().get(reverse("login"))[CSP]
    assert first != second


def test_no_template_has_an_inline_script_without_nonce_or_an_inline_event_handler():
    """Text that reaches a page unescaped still cannot run: the policy allows neither."""
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    offenders = []
    for path in (ROOT / "cchc").rglob("*.html"):
        if path.name == "503.html":  # self-contained, served outside the policy
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attrs = match.group(1)
            if "src=" not in attrs and "application/json" not in attrs and "csp_nonce" not in attrs:
                offenders.append(f"{path.relative_to(ROOT)}: <script{attrs}>")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)[:60]}" for m in handler.finditer(text)]
    assert offenders == []

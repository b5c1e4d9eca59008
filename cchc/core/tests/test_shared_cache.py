"""With REDIS_URL (production with several web processes): Django's Redis cache holds
the sessions (cached_db) and the dashboards' figures. Runs against the Redis of the
machine (REDIS_TEST_URL, default redis://127.0.0.1:6379/15); skipped where there is none."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from cchc.dossiers.tests.test_statistics import one_stop_quarter

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 — any failure: no Redis here
        return False


pytestmark = [
    pytest.mark.skipif(not _redis_up(), reason=f"no Redis at {REDIS_TEST_URL}"),
    pytest.mark.django_db,
]


@pytest.fixture
def redis_cache():
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_TEST_URL}
        },
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        CCHC_DASHBOARD_MAX_AGE=60,
    ):
        cache.clear()
        yield cache
        cache.clear()


def test_a_sign_out_ends_the_session_for_every_web_process(client, province, redis_cache):
    client.force_login(province.office_a_officer)
    key = client.cookies["sessionid"].value
    assert client.get("/").status_code == 200
    assert redis_cache.get(f"django.contrib.sessions.cached_db{key}") is not None  # read from Redis

    other_process = Client()
    other_process.cookies["sessionid"] = key
    assert other_process.get("/").status_code == 200

    client.post(reverse("logout"))
    assert redis_cache.get(f"django.contrib.sessions.cached_db{key}") is None
    assert other_process.get("/").status_code == 302  # sent to sign in, not served


def test_the_statistics_figures_go_through_redis_and_back(client, province, redis_cache):
    one_stop_quarter(province)
    client.force_login(province.office_a_officer)
    url = reverse("dossier_stats")
    params = {"unit": province.office_a.pk, "period": "2025-Q1"}
    first = client.get(url, params).content.decode()
    second = client.get(url, params).content.decode()
    assert "Tính lại ngay" not in first and "Tính lại ngay" in second  # the second from Redis
    table = lambda html: html.split('id="stats-table"', 1)[1].split("</section>", 1)[0]  # noqa: E731
    assert table(first) == table(second)  # the same table, rendered once

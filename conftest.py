import shutil

import pytest


@pytest.fixture
def province(db):
    """A small province (see cchc/orgs/tests/factories.py) with one user per role."""
    from cchc.orgs.tests.factories import make_province

    return make_province()


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def dashboard_cache(settings):
    """The dashboards' one-minute cache on, as in production (off in the suite otherwise;
    see CCHC_DASHBOARD_MAX_AGE), emptied before and after the test."""
    from django.core.cache import cache

    settings.CCHC_DASHBOARD_MAX_AGE = 60
    cache.clear()
    yield cache
    cache.clear()

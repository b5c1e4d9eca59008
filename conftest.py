import shutil

import pytest


@pytest.fixture
def province(db):
    """A small province (see cchc/orgs/tests/factories.py) with one user per role."""
    from cchc.orgs.tests.factories import make_province

    return make_province()


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")

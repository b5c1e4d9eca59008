import pytest

from cchc.workdays import calendar


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test reads the exceptions of its own transaction, not a previous test's."""
    calendar.clear_cache()
    yield
    calendar.clear_cache()

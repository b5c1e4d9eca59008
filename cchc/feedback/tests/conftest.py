import pytest

from cchc.workdays import calendar


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test reads the announced days off of its own transaction."""
    calendar.clear_cache()
    yield
    calendar.clear_cache()

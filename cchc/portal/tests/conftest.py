import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The local-memory cache lives as long as the test process: each test starts with
    no lookups counted."""
    cache.clear()
    yield
    cache.clear()

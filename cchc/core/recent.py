"""Aggregates of a large subtree, served for a short while from the cache.

A department's dashboards sum hundreds of thousands of rows (its dossiers of a quarter,
the survey answers of its schools, a cascade of a million tasks) at every view, and on a
busy day dozens of officers open them every minute for figures that move by a few units
an hour. The pages that show such aggregates therefore take them through `recent`: the
value computed at most `CCHC_DASHBOARD_MAX_AGE` seconds ago (default 60; 0 turns the cache
off), shared by every user who may see that unit, with the time it was computed, which
the page shows ("Số liệu tính lúc 08:15:02") next to a link to compute it again at once.

Only what does not depend on the user goes through it: a view first checks access and
resolves the unit the user may see, then asks for that unit's figures. What a user types
and expects to see at once (a manual indicator value, a target) is read live, never from
here. The official numbers (a submitted report's pre-filled values, the index's
self-assessment, exports) are computed live too.

The cache is Django's: per process with the default LocMemCache, shared by every web
process through Redis when `REDIS_URL` is set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

T = TypeVar("T")

DEFAULT_MAX_AGE = 60
FRESH_PARAMETER = "fresh"  # ?fresh=1 on a page: compute its figures again now


@dataclass(frozen=True)
class Recent(Generic[T]):
    value: T
    computed_at: dt.datetime
    from_cache: bool


def max_age() -> int:
    return int(getattr(settings, "CCHC_DASHBOARD_MAX_AGE", DEFAULT_MAX_AGE))


def wants_fresh(request) -> bool:
    """The user asked for the figures computed now (the page's "Tính lại" link)."""
    return request.GET.get(FRESH_PARAMETER) == "1"


def _cache_key(key: tuple) -> str:
    text = repr((key, translation.get_language()))
    return "recent:" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def recent(key: tuple, compute: Callable[[], T], *, fresh: bool = False) -> Recent[T]:
    """`compute()`, or its value from the cache when computed under `key` less than
    `max_age()` seconds ago. `key` names everything the value depends on (what it is,
    the unit, the period, the day). `fresh` computes it again and replaces the cached one.
    """
    seconds = max_age()
    if seconds <= 0:
        return Recent(compute(), timezone.now(), False)
    name = _cache_key(key)
    if not fresh:
        hit = cache.get(name)
        if hit is not None:
            return Recent(hit[0], hit[1], True)
    value = compute()
    now = timezone.now()
    cache.set(name, (value, now), seconds)
    return Recent(value, now, False)


def oldest(*measured: Recent) -> Recent[None]:
    """What a page that shows several cached figures says of them: the oldest time, and
    whether any came from the cache."""
    return Recent(
        None,
        min(m.computed_at for m in measured),
        any(m.from_cache for m in measured),
    )


def shown(request, measured: Recent, *, target: str = "") -> dict:
    """The context of `includes/measured_at.html`: when the figures were computed, how
    often they are, and the link that computes them now (an htmx swap of `target` when
    the figures are a panel of their own)."""
    query = request.GET.copy()
    query[FRESH_PARAMETER] = "1"
    return {
        "measured": measured,
        "max_age": max_age(),
        "fresh_url": f"{request.path}?{query.urlencode()}",
        "fresh_target": target,
    }

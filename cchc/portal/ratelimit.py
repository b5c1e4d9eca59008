"""Per-client limits on the public status lookups, kept in Django's cache.

Dossier codes end in a random block (`services.dossier_code_allocate`), so the status
page cannot be walked through; the limit also stops anyone from trying codes in bulk.
Each limit is a fixed window (10 lookups a minute, 100 a day by default): one counter
per client and window, created with `cache.add` and raised with `cache.incr`, both
atomic on Redis and on the local-memory cache.

Deployment: `CACHES` is the local-memory cache unless `REDIS_URL` is set. Local memory
is per process, so with several gunicorn workers each keeps its own counters and a
client gets up to N × the limit; a multi-process deployment must set `REDIS_URL` (or
use Django's database cache, whose `incr` is not atomic but close enough here).

The client is `REMOTE_ADDR`. Behind a reverse proxy that is the proxy's address, so
every citizen would share one counter: set `CCHC_TRUST_X_FORWARDED_FOR = True` (a
setting, read with getattr; False by default) only when the proxy overwrites or appends
to X-Forwarded-For — then the right-most address, the one the proxy itself saw, is
used; a client cannot forge it. IPv6 clients are counted by their /64 network, which
one subscriber usually holds whole.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


STATUS_LOOKUP_LIMITS = (Limit("minute", 10, 60), Limit("day", 100, 24 * 3600))
# Public feedback: feedback actually submitted (a family or a school office may share an
# address, so a day allows a few people), and every POST of the form, corrections included.
FEEDBACK_SUBMIT_LIMITS = (Limit("ten_minutes", 5, 600), Limit("day", 20, 24 * 3600))
FEEDBACK_POST_LIMITS = (Limit("ten_minutes", 30, 600), Limit("day", 200, 24 * 3600))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the window that refused the request ends


def client_address(request) -> str:
    """The client's IP as the rate limit counts it (see the module docstring)."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    if getattr(settings, "CCHC_TRUST_X_FORWARDED_FOR", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            address = forwarded[-1]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def hit(request, *, scope: str, limits: tuple[Limit, ...] = STATUS_LOOKUP_LIMITS) -> Verdict:
    """Count one request of `scope` for this client; refused when any window is full."""
    client = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    now = time.time()
    refused_for = 0
    for limit in limits:
        window = int(now // limit.seconds)
        key = f"portal:rl:{scope}:{limit.name}:{window}:{client}"
        cache.add(key, 0, timeout=limit.seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=limit.seconds + 5)
            count = 1
        if count > limit.count:
            refused_for = max(refused_for, int((window + 1) * limit.seconds - now) + 1)
    return Verdict(allowed=refused_for == 0, retry_after=refused_for)

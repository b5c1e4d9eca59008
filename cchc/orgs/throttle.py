"""Failed sign-ins counted in the cache, so a password cannot be guessed by trying.

Two counters, each a fixed window opened by the first failure:
- per account and client address: 5 failures in 15 minutes lock that account for that
  address only, so someone guessing from elsewhere cannot lock a colleague out of the
  office;
- per client address: 20 failures in 15 minutes over any accounts stop that address
  trying further accounts (password spraying).
A locked attempt is refused before the password is even checked, with the same message
whether or not the account exists. A successful sign-in clears the account's counter.

The username is counted case-folded and hashed (the cache never holds it in clear), and
the client address is the one the public status page counts (cchc/portal/ratelimit.py:
REMOTE_ADDR, or the proxy's X-Forwarded-For when CCHC_TRUST_X_FORWARDED_FOR is on). With
several web processes the cache must be shared (REDIS_URL), as for that page. Counting
is atomic (`cache.add` then `cache.incr`, one INCR on Redis): attempts made in parallel
from several processes are each counted.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache

from cchc.portal.ratelimit import client_address

WINDOW_SECONDS = 15 * 60
FAILURES_PER_ACCOUNT = 5
FAILURES_PER_ADDRESS = 20


@dataclass(frozen=True)
class _Counter:
    key: str
    limit: int


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _counters(request, username: str) -> tuple[_Counter, _Counter]:
    address = _digest(client_address(request))
    account = _digest(f"{username.strip().casefold()}|{client_address(request)}")
    return (_Counter(f"login:fail:account:{account}", FAILURES_PER_ACCOUNT),
            _Counter(f"login:fail:address:{address}", FAILURES_PER_ADDRESS))


def _opened_key(counter: _Counter) -> str:
    return f"{counter.key}:opened"


def login_wait(request, username: str) -> int:
    """Seconds before this client may try `username` again; 0 when it may now."""
    wait = 0
    now = time.time()
    for counter in _counters(request, username):
        if cache.get(counter.key, 0) >= counter.limit:
            opened = cache.get(_opened_key(counter), now)
            wait = max(wait, int(opened + WINDOW_SECONDS - now) + 1)
    return max(wait, 0)


def login_failed(request, username: str) -> None:
    """Count one failed sign-in of `username` from this client. The window opens at the
    first failure (both keys expire with it); the count is incremented atomically."""
    now = time.time()
    for counter in _counters(request, username):
        cache.add(_opened_key(counter), now, timeout=WINDOW_SECONDS)
        cache.add(counter.key, 0, timeout=WINDOW_SECONDS)
        try:
            cache.incr(counter.key)
        except ValueError:  # the window ended between the two calls: a new one
            cache.set(counter.key, 1, timeout=WINDOW_SECONDS)


def login_succeeded(request, username: str) -> None:
    """The account's failures from this client are forgiven; the address's count stays."""
    account = _counters(request, username)[0]
    cache.delete_many([account.key, _opened_key(account)])

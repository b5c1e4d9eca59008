"""Who the rate limit counts as one client, and its fixed windows."""

from django.test import RequestFactory

from cchc.portal import ratelimit
from cchc.portal.ratelimit import Limit, client_address, hit


def request(remote="203.0.113.5", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/public/status/", {"code": "X"}, **extra)


def test_the_client_is_remote_addr_and_x_forwarded_for_is_not_trusted_by_default(settings):
    settings.CCHC_TRUST_X_FORWARDED_FOR = False
    assert client_address(request(forwarded="1.2.3.4")) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_right_most_forwarded_address_counts(settings):
    settings.CCHC_TRUST_X_FORWARDED_FOR = True
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert client_address(request(remote="10.0.0.2", forwarded="1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_address(request(remote="10.0.0.2", forwarded="")) == "10.0.0.2"


def test_ipv6_clients_count_by_their_64_network():
    one = client_address(request(remote="2001:db8:1:2::1"))
    other = client_address(request(remote="2001:db8:1:2:ffff::9"))
    assert one == other == "2001:db8:1:2::/64"
    assert client_address(request(remote="::ffff:198.51.100.7")) == "198.51.100.7"
    assert client_address(request(remote="")) == "unknown"


def test_each_window_counts_separately(monkeypatch):
    from django.core.cache import cache

    cache.clear()
    limits = (Limit("minute", 2, 60),)
    clock = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    assert [hit(request(), scope="t", limits=limits).allowed for _ in range(3)] == [True, True, False]
    refused = hit(request(), scope="t", limits=limits)
    assert not refused.allowed and 0 < refused.retry_after <= 61
    assert hit(request(remote="198.51.100.1"), scope="t", limits=limits).allowed  # another client
    clock[0] += 60  # the next minute
    assert hit(request(), scope="t", limits=limits).allowed

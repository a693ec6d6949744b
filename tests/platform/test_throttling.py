"""The API's rate limits (core.throttling): one counter per client and window, the scope by who asks,
429 with Retry-After, a new window a new allowance; on Redis, one round trip that counts and expires."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from core.cache import ForgivingRedisCache
from core.throttling import PortalRateThrottle

pytestmark = pytest.mark.django_db
PROBE = "tests.platform.urls_api_probe"


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, float]]:
    """Two anonymous requests and three per user a minute; the throttle's clock at ``clock["now"]``."""
    cache.clear()
    clock = {"now": 6_000_000.0}
    monkeypatch.setattr(PortalRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "3/min"})
    monkeypatch.setattr(PortalRateThrottle, "timer", lambda self: clock["now"])
    yield clock
    cache.clear()


@pytest.mark.urls(PROBE)
def test_an_anonymous_client_gets_its_allowance_then_429_until_the_window_ends(
    api: APIClient, limits: dict[str, float]
) -> None:
    assert [api.get("/api/v1/probe/").status_code for _ in range(3)] == [200, 200, 429]
    limits["now"] += 45
    refused = api.get("/api/v1/probe/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 15  # the window's end, not a whole minute more
    limits["now"] += 15
    assert api.get("/api/v1/probe/").status_code == 200


@pytest.mark.urls(PROBE)
def test_a_token_counts_against_its_user_not_its_address(api_as, alice, limits) -> None:  # type: ignore[no-untyped-def]
    anonymous = APIClient()
    assert [anonymous.get("/api/v1/probe/").status_code for _ in range(3)] == [200, 200, 429]
    # Same address, but authenticated: the user's own allowance of three.
    client = api_as(alice)
    assert [client.get("/api/v1/probe/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_a_redis_counter_counts_and_expires_in_one_round_trip() -> None:
    redis_cache = ForgivingRedisCache(settings.REDIS_URL, {})
    key = "test_throttle_counter"
    redis_cache.delete(key)
    assert [redis_cache.count(key, 61) for _ in range(3)] == [1, 2, 3]
    client = redis_cache._cache.get_client(redis_cache.make_and_validate_key(key), write=True)
    assert 0 < client.ttl(redis_cache.make_and_validate_key(key)) <= 61
    assert redis_cache.get(key) == 3
    redis_cache.delete(key)


def test_while_redis_is_down_the_count_is_unknown_and_the_request_goes_through() -> None:
    dead = ForgivingRedisCache("unix:///nonexistent/redis.sock", {})
    assert dead.count("a", 60) is None

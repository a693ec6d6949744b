"""The cache answers as an empty cache while Redis is down (DRF's throttle must not turn reads into
500s); a counter still fails loudly."""

from __future__ import annotations

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from core.cache import ForgivingRedisCache


@pytest.fixture
def dead() -> ForgivingRedisCache:
    # Nothing listens on this socket.
    return ForgivingRedisCache("unix:///nonexistent/redis.sock", {})


def test_reads_miss_and_writes_are_dropped_while_redis_is_down(dead: ForgivingRedisCache) -> None:
    assert dead.get("throttle_anon_1.2.3.4", []) == []
    assert dead.get_many(["a", "b"]) == {}
    assert dead.has_key("a") is False
    dead.set("a", [1.0], 60)
    assert dead.add("a", 1) is False
    assert dead.touch("a") is False
    assert dead.delete("a") is False
    dead.set_many({"a": 1}, 60)
    dead.delete_many(["a"])


def test_a_counter_does_not_pretend_to_count(dead: ForgivingRedisCache) -> None:
    with pytest.raises(RedisConnectionError):
        dead.incr("a")

"""The cache on Redis, answering as an empty cache while Redis is down.

The portal keeps nothing in the cache that it cannot lose: DRF's throttle counters are the main
user. Django's ``RedisCache`` raises when Redis does not answer, which made every API read a 500
during a Redis outage; this one logs and answers as a cache that holds nothing (reads miss, writes
are dropped), so pages and the API keep answering. Throttling is lifted meanwhile; ``/readyz``
reports Redis as failing so the operator knows.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

DOWN = (RedisConnectionError, RedisTimeoutError)


def _down(operation: str) -> None:
    logger.warning("cache %s skipped: Redis does not answer", operation)


class _ForgivingClient(RedisCacheClient):
    def get(self, key: Any, default: Any) -> Any:
        try:
            return super().get(key, default)
        except DOWN:
            _down("get")
            return default

    def get_many(self, keys: Any) -> Any:
        try:
            return super().get_many(keys)
        except DOWN:
            _down("get_many")
            return {}

    def has_key(self, key: Any) -> bool:
        try:
            return bool(super().has_key(key))
        except DOWN:
            _down("has_key")
            return False

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        try:
            super().set(key, value, timeout)
        except DOWN:
            _down("set")

    def set_many(self, data: Any, timeout: Any) -> None:
        try:
            super().set_many(data, timeout)
        except DOWN:
            _down("set_many")

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        try:
            return bool(super().add(key, value, timeout))
        except DOWN:
            _down("add")
            return False

    def touch(self, key: Any, timeout: Any) -> bool:
        try:
            return bool(super().touch(key, timeout))
        except DOWN:
            _down("touch")
            return False

    def delete(self, key: Any) -> bool:
        try:
            return bool(super().delete(key))
        except DOWN:
            _down("delete")
            return False

    def delete_many(self, keys: Any) -> None:
        try:
            super().delete_many(keys)
        except DOWN:
            _down("delete_many")


# INCR and EXPIRE in one command (one reply to parse, where MULTI/INCR/EXPIRE/EXEC gave seven).
_COUNT = """
local seen = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return seen
"""


class ForgivingRedisCache(RedisCache):
    """Django's ``RedisCache``, missing instead of failing while Redis is down (``incr`` and
    ``clear`` still raise: a counter must not pretend to count)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ForgivingClient
        self._counting_clients: dict[int, Any] = {}
        self._count_scripts: dict[int, Any] = {}

    def redis(self) -> Any:
        """A ``redis.Redis`` on the writing pool, kept: Django's get_client() builds a new one on
        every call, which cost more than the round trip itself. Raises ``DOWN`` errors as redis-py
        does (on use)."""
        pool = self._cache._get_connection_pool(write=True)  # type: ignore[attr-defined]
        client = self._counting_clients.get(id(pool))
        if client is None:
            client = self._counting_clients[id(pool)] = self._cache._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    def count(self, key: Any, timeout: int) -> int | None:
        """Add one to the counter ``key`` (created at 1, expiring ``timeout`` seconds after its last
        count) and answer its value, in one round trip; None while Redis does not answer."""
        key = self.make_and_validate_key(key)
        try:
            client = self.redis()
            script = self._count_scripts.get(id(client))
            if script is None:
                script = self._count_scripts[id(client)] = client.register_script(_COUNT)
            seen = script(keys=[key], args=[timeout])
        except DOWN:
            _down("count")
            return None
        return int(seen)


def count(cache: Any, key: str, timeout: int) -> int | None:
    """Add one to the counter ``key`` of ``cache`` and answer its value (see
    ``ForgivingRedisCache.count``); other caches (the tests' local memory) add then increment."""
    if isinstance(cache, ForgivingRedisCache):
        return cache.count(key, timeout)
    cache.add(key, 0, timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout)
        return 1

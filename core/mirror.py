"""The tables' versions mirrored in Redis, so an anonymous answer kept at the door needs no database.

The truth stays ``core_resourceversion``, moved by triggers in the writer's own transaction
(``core.versions``). The mirror is one Redis string holding the same numbers (JSON), read in one
round trip by the door of kept answers (``core.door``):

- **After every write.** An execute wrapper on each of Django's database connections sees every
  ``INSERT``, ``UPDATE``, ``DELETE``, ``TRUNCATE``, ``COPY`` or ``MERGE``; once the transaction
  that ran it commits (at once in autocommit), the writer reads the versions again and merges them
  into the mirror, before its request answers. Whatever writes through the portal (a service, the
  admin, a Celery task, a management command) has its versions in the mirror before anyone is told
  it happened, so nobody who saw a write can be answered from the state before it.
- **Numbers only rise.** A merge (a Lua script) keeps, per table, the larger of the mirror's number
  and its own: a slow writer merging what it read before a faster one cannot move the mirror back.
  A table's versions rise in commit order (its row in ``core_resourceversion`` is locked from the
  bump to the commit).
- **It expires** ``MIRROR_SECONDS`` after its last merge; a reader finding none reads the versions
  from the primary and merges them. Writes made outside the portal (``psql``, ``COPY`` through a raw
  cursor) reach the mirror with the next write through the portal, or when it expires: within
  ``MIRROR_SECONDS``. ``generate_demo_data`` and ``restore`` refresh it when done.
- **It is optional.** Only a Redis cache (``core.cache.ForgivingRedisCache``) keeps one; while
  Redis does not answer, or with another cache (the tests' local memory), there is no mirror and
  every request takes the full path, which reads the versions from the database.

The mirror may be newer than a replica the rows are read from: it only ever decides a 304, which
needs its numbers to equal those of the ETag the client holds, and an ETag is never made from
numbers newer than the rows it was sent with.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, NamedTuple

import orjson
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.db.backends.signals import connection_created
from redis.exceptions import NoScriptError

from core.cache import DOWN, ForgivingRedisCache

logger = logging.getLogger(__name__)

MIRROR_KEY = "versions-mirror"
MIRROR_SECONDS = 10

# One JSON string {table: "version"} (one bulk string to read: a hash of some seventy fields cost
# more to parse than the round trip). Versions travel as strings, compared as numbers.
_MERGE = """
local merged = {}
local current = redis.call('GET', KEYS[1])
if current then merged = cjson.decode(current) end
for name, version in pairs(cjson.decode(ARGV[1])) do
    if merged[name] == nil or tonumber(merged[name]) < tonumber(version) then
        merged[name] = version
    end
end
redis.call('SET', KEYS[1], cjson.encode(merged), 'EX', ARGV[2])
return 1
"""

_WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "COPY", "MERGE")


def mirror_cache() -> ForgivingRedisCache | None:
    """The cache keeping the mirror: the default cache when it is Redis, else None (no mirror)."""
    cache = caches["default"]
    return cache if isinstance(cache, ForgivingRedisCache) else None


def _key(cache: ForgivingRedisCache) -> str:
    return str(cache.make_key(MIRROR_KEY))  # a key of ours: nothing to validate, on every read


def merge(versions: dict[str, int]) -> None:
    """Raise the mirror's numbers to ``versions`` where they are larger (creating the mirror)."""
    cache = mirror_cache()
    if cache is None:
        return
    encoded = orjson.dumps({name: str(version) for name, version in versions.items()})
    try:
        cache.redis().eval(_MERGE, 1, _key(cache), encoded, MIRROR_SECONDS)
    except DOWN:
        logger.warning("versions mirror not updated: Redis does not answer")


def refresh(using: str = DEFAULT_DB_ALIAS) -> dict[str, int] | None:
    """After a write on ``using`` committed, or when the mirror has expired: merge the primary's
    versions into the mirror, and answer them (None without a mirror)."""
    if mirror_cache() is None or using != DEFAULT_DB_ALIAS:
        return None
    from core.versions import read_versions  # imports accounts' models: not at app loading

    try:
        versions = read_versions(using=DEFAULT_DB_ALIAS)
    except DatabaseError:  # no versions' table yet (the first migrate): no mirror either
        forget()
        return None
    merge(versions)
    return versions


def forget() -> None:
    """Drop the mirror (after a restore: its numbers may be larger than the restored ones)."""
    cache = mirror_cache()
    if cache is None:
        return
    try:
        cache.redis().delete(_key(cache))
    except DOWN:
        logger.warning("versions mirror not dropped: Redis does not answer")


# The mirror and, for the door's API answers, the anonymous rate-limit counter, in one command.
_READ = """
local found = redis.call('GET', KEYS[1]) or ''
local seen = 0
if #KEYS > 1 then
    seen = redis.call('INCR', KEYS[2])
    redis.call('EXPIRE', KEYS[2], ARGV[1])
end
return {found, seen}
"""
_scripts: dict[int, Any] = {}


class Reading(NamedTuple):
    versions: dict[str, int] | None  # None: no mirror (no Redis cache, Redis down, expired)
    seen: int | None  # the counter counted (None: not counted)
    answered: bool  # Redis answered (False: no Redis cache, or Redis down)


def read(*, count: tuple[str, int] | None = None) -> Reading:
    """The mirror's versions and, with ``count=(key, timeout)``, a rate-limit counter counted in
    the same round trip (as ``core.cache.count``)."""
    cache = mirror_cache()
    if cache is None:
        return Reading(None, None, False)
    client = cache.redis()
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(_READ)
    keys = [_key(cache)]
    args: list[Any] = []
    if count is not None:
        keys.append(cache.make_key(count[0]))  # as core.cache.count makes it
        args.append(count[1])
    try:
        found, seen = _evalsha(client, script, keys, args)
    except DOWN:
        return Reading(None, None, False)
    counted = int(seen) if count is not None else None
    return Reading(_parsed(found) if found else None, counted, True)


_local = threading.local()


def _evalsha(client: Any, script: Any, keys: list[Any], args: list[Any]) -> Any:
    """``script(keys, args)`` on a connection this thread keeps to itself (made by the client's
    pool, with its settings): redis-py's command path (pool, retries, instrumentation) cost twice
    the round trip. A failed connection is closed (the next call connects again); a script Redis
    no longer knows (restarted, flushed) is loaded again."""
    pool = client.connection_pool
    # By the pool's id, the pool kept with it (so that id names no other pool while it is here).
    connections: dict[int, tuple[Any, Any]] = _local.__dict__.setdefault("connections", {})
    found = connections.get(id(pool))
    if found is None:
        found = connections[id(pool)] = (pool, pool.make_connection())
    connection = found[1]
    try:
        connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
        try:
            return connection.read_response()
        except NoScriptError:
            connection.send_command("SCRIPT", "LOAD", script.script)
            connection.read_response()
            connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
            return connection.read_response()
    except BaseException:
        connection.disconnect()  # never half an answer left to read (redis-py does so too); it reconnects
        raise


_last: tuple[bytes, dict[str, int]] = (b"", {})


def _parsed(found: bytes) -> dict[str, int]:
    """The mirror's numbers; the very dict of the last read while the mirror has not changed (so a
    caller may keep what it made of them by its identity). Not to be changed by callers."""
    global _last
    last = _last
    if last[0] == found:
        return last[1]
    versions = {name: int(version) for name, version in orjson.loads(found).items()}
    _last = (found, versions)
    return versions


# --- The write hook ----------------------------------------------------------------------------

_callbacks: dict[str, Any] = {}


def _callback(alias: str) -> Any:
    callback = _callbacks.get(alias)
    if callback is None:

        def callback() -> None:
            refresh(alias)

        _callbacks[alias] = callback
    return callback


def _after_write(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    result = execute(sql, params, many, context)
    if sql.lstrip()[:8].upper().startswith(_WRITES) and mirror_cache() is not None:
        connection = context["connection"]
        if connection.alias != DEFAULT_DB_ALIAS:
            return result
        if not connection.in_atomic_block:
            refresh(connection.alias)
        else:
            callback = _callback(connection.alias)
            if not any(registered is callback for _sids, registered, _robust in connection.run_on_commit):
                # robust: a failing refresh must not fail the request whose write committed.
                connection.on_commit(callback, robust=True)
    return result


def install_write_hook(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: watch this connection's writes (once per connection object)."""
    if _after_write not in connection.execute_wrappers:
        connection.execute_wrappers.append(_after_write)


def connect_signals() -> None:
    connection_created.connect(install_write_hook, dispatch_uid="core_versions_mirror")

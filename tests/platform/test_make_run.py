"""`make run` on a fresh data directory with nothing configured: it serves, and stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import psutil
import pytest

from osce_portal.embedded import _alive
from tests.platform.helpers import free_port

BASE_DIR = Path(__file__).resolve().parents[2]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.worker
def test_run_on_the_embedded_default_serves_and_leaves_nothing_behind(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    data_dir = Path(tmp_path_factory.mktemp("run"))
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"DATA_DIR": str(data_dir), "PORT": str(port), "WEB_WORKERS": "1", "WORKER_CONCURRENCY": "1"})
    runner = subprocess.Popen(
        [sys.executable, "-m", "osce_portal.runner"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(runner.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        status = 0
        while time.monotonic() < deadline and runner.poll() is None:
            try:
                status, body = _get(f"{base}/readyz")
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(1)
        assert status == 200, "the portal did not become ready"
        assert json.loads(body) == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
        assert _get(f"{base}/healthz")[0] == 200
        status, schema = _get(f"{base}/api/v1/schema/?format=json")
        assert status == 200 and json.loads(schema)["openapi"].startswith("3.")
        assert _get(f"{base}/")[0] == 200
        assert _get(f"{base}/static/css/portal.css")[0] == 200  # whitenoise, DEBUG off

        family = psutil.Process(runner.pid).children(recursive=True)
        server_pids = [
            int((data_dir / "pg" / "postmaster.pid").read_text().splitlines()[0]),
            int((data_dir / "redis" / "redis.pid").read_text().strip()),
        ]
        # The three processes' logs arrive interleaved and prefixed (the worker may start last).
        prefixes = ("[web   ]", "[worker]", "[beat  ]")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(any(p in line for line in lines) for p in prefixes):
            time.sleep(0.5)
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=60)
        reader.join(timeout=10)
        output = "".join(lines)
        assert runner.returncode == 0, output
        assert all(prefix in output for prefix in prefixes), output
        assert output.rstrip().endswith("[run] stopped.")
        time.sleep(1)
        left = [p.pid for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert left == [], f"processes left running: {left}"
        assert not any(_alive(pid) for pid in server_pids)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()


def _admin_connection():  # type: ignore[no-untyped-def]
    """An autocommit connection to the server's maintenance database (CREATE DATABASE needs one)."""
    import psycopg2
    from django.db import connection

    conf = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres",
        user=conf["USER"] or None,
        password=conf["PASSWORD"] or None,
        host=conf["HOST"] or None,
        port=conf["PORT"] or None,
    )
    admin.autocommit = True
    return admin


@pytest.mark.worker
def test_run_with_urls_set_uses_those_services_and_starts_nothing_embedded(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """With DATABASE_URL and REDIS_URL set, make run uses them: no embedded server under DATA_DIR."""
    from django.conf import settings

    from tests.platform.helpers import database_url_of_this_test_db

    name = f"osce_run_{uuid.uuid4().hex[:8]}"
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    database_url = database_url_of_this_test_db(name)
    data_dir = Path(tmp_path_factory.mktemp("run-urls"))
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": settings.REDIS_URL,
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            # A real database makes this production (contract §1); the test speaks plain HTTP.
            "SECURE_SSL_REDIRECT": "0",
            "DATA_DIR": str(data_dir),
            "PORT": str(port),
            "WEB_WORKERS": "1",
            "WORKER_CONCURRENCY": "1",
        }
    )
    runner = subprocess.Popen(
        [sys.executable, "-m", "osce_portal.runner"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        status = 0
        while time.monotonic() < deadline and runner.poll() is None:
            try:
                status, _body = _get(f"http://127.0.0.1:{port}/readyz")
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(1)
        assert status == 200, "the portal did not become ready"
        assert not (data_dir / "pg").exists() and not (data_dir / "redis").exists()
        status, states = _get(f"http://127.0.0.1:{port}/api/v1/states/")
        assert status == 200 and json.loads(states)["count"] == 57  # migrated and loaded into that database
        runner.send_signal(signal.SIGTERM)
        output, _ = runner.communicate(timeout=60)
        assert runner.returncode == 0, output
        assert "embedded" not in output
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

"""`make run` on a fresh data directory with nothing configured: it serves, and stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
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
        runner.send_signal(signal.SIGTERM)
        output, _ = runner.communicate(timeout=60)
        assert runner.returncode == 0, output
        assert "[web   ]" in output and "[worker]" in output and "[beat  ]" in output
        time.sleep(1)
        left = [p.pid for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert left == [], f"processes left running: {left}"
        assert not any(_alive(pid) for pid in server_pids)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()

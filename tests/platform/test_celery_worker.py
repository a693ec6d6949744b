"""One real Celery worker against real Redis, seeing a task's effect in the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

from core.models import Heartbeat
from core.tasks import record_heartbeat
from osce_portal.celery import app as celery_app
from tests.platform.helpers import database_url_of_this_test_db

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_and_its_effect_reaches_the_database() -> None:
    queue = f"test-{uuid.uuid4().hex[:8]}"
    name = f"probe-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "osce_portal.settings.base",
        "DATABASE_URL": database_url_of_this_test_db(),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": "worker-test",
        "ALLOWED_HOSTS": "localhost",
        "CONN_MAX_AGE": "0",
    }
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "osce_portal",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        record_heartbeat.apply_async(args=[name], queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Heartbeat.objects.filter(name=name).exists():
            assert worker.poll() is None, worker.stdout.read() if worker.stdout else ""
            time.sleep(0.2)
        assert Heartbeat.objects.get(name=name).count == 1
    finally:
        celery_app.conf.task_always_eager = eager
        worker.terminate()
        worker.wait(timeout=30)
        # The throwaway queue leaves kombu's binding and queue keys behind on a shared Redis.
        client = redis.Redis.from_url(settings.REDIS_URL)
        client.delete(queue, *client.scan_iter(match=f"_kombu.binding*.{queue}"))
        client.close()


def test_celery_is_configured_for_at_least_once_delivery() -> None:
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_time_limit < conf.broker_transport_options["visibility_timeout"]
    assert "worker-heartbeat" in conf.beat_schedule

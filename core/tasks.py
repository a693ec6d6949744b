"""Platform tasks."""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app, shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import opendata
from core.models import Heartbeat

logger = logging.getLogger(__name__)


@shared_task(name="core.tasks.record_heartbeat")
def record_heartbeat(name: str = "worker") -> None:
    """Record that the worker is alive (beat sends this every minute). Safe to run twice."""
    updated = Heartbeat.objects.filter(name=name).update(at=timezone.now(), count=F("count") + 1)
    if not updated:
        Heartbeat.objects.get_or_create(name=name, defaults={"at": timezone.now(), "count": 1})


@shared_task(name="core.tasks.open_data_build")
def open_data_build() -> None:
    """Build the open-data dumps of the public data and publish them at once (nightly, by beat).
    Safe to run twice: builds are serialised and each replaces the previous whole."""
    opendata.build()


def enqueue(name: str, *args: Any) -> None:
    """Send the task registered as ``name`` to the worker once the current transaction commits.

    By name, so services need not import the task modules that import them (each app's
    ``AppConfig.ready`` imports its ``tasks``). The write has committed either way: if the broker
    is down the failure is logged and the request still succeeds.
    """
    task = current_app.tasks[name]

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:  # the broker is down; the change itself is committed
            logger.warning("could not enqueue %s%r", name, args)

    transaction.on_commit(send)

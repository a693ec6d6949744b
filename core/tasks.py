"""Platform tasks, and the task outbox every service enqueues through."""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app, shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import opendata
from core.models import Heartbeat, PendingTask

logger = logging.getLogger(__name__)

# How many pending tasks one relay run sends at most (beat runs it every minute).
RELAY_BATCH = 1000


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
    """Have the task registered as ``name`` run with ``args`` (JSON-safe ids), durably.

    Writes a ``PendingTask`` row in the current transaction, so the task exists exactly when the
    change that asked for it commits; once it commits the task is sent to the broker and the row
    deleted. If the broker is down the row stays and ``relay_pending_tasks`` sends it when Redis is
    back: the request still succeeds and nothing is lost. By name, so services need not import the
    task modules that import them (each app's ``AppConfig.ready`` imports its ``tasks``).
    """
    current_app.tasks[name]  # an unknown name fails now, in the service, not later in a relay
    row = PendingTask.objects.create(name=name, args=list(args))
    transaction.on_commit(lambda: pending_tasks_send(ids=[row.pk]))


def pending_tasks_send(*, ids: list[int] | None = None, limit: int = RELAY_BATCH) -> int:
    """Send pending tasks (those of ``ids``, or the oldest ``limit``) to the broker; returns how
    many went. Stops at the first failure (the broker is down): the rest stay for the next run.

    Each row is locked (SKIP LOCKED) and deleted in the transaction that sends it, so two relays
    never send one row, and a failed send rolls the deletion back.
    """
    rows = PendingTask.objects.order_by("id")
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    sent = 0
    for pk in rows.values_list("pk", flat=True)[:limit]:
        try:
            with transaction.atomic():
                row = PendingTask.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
                if row is None:  # sent meanwhile, or being sent by another relay
                    continue
                row.delete()
                # No retries here: the row is the retry. A down broker fails fast.
                current_app.tasks[row.name].apply_async(args=row.args, retry=False)
        except Exception:
            logger.warning("could not send task %s; it stays pending", pk, exc_info=True)
            break
        sent += 1
    return sent


@shared_task(name="core.tasks.relay_pending_tasks")
def relay_pending_tasks() -> int:
    """Send the tasks whose sending failed (Redis was down) or never ran (the process died).
    Beat runs it every minute; every worker asks for it once it is ready. Safe to run twice."""
    return pending_tasks_send()

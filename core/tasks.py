"""Platform tasks."""

from __future__ import annotations

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from core.models import Heartbeat


@shared_task(name="core.tasks.record_heartbeat")
def record_heartbeat(name: str = "worker") -> None:
    """Record that the worker is alive (beat sends this every minute). Safe to run twice."""
    updated = Heartbeat.objects.filter(name=name).update(at=timezone.now(), count=F("count") + 1)
    if not updated:
        Heartbeat.objects.get_or_create(name=name, defaults={"at": timezone.now(), "count": 1})

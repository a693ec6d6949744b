"""Periodic housekeeping for accounts."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from accounts.models import LoginFailure


@shared_task(name="accounts.tasks.purge_login_failures")
def purge_login_failures() -> int:
    """Forget failed-login counters older than the cool-off period. Safe to run twice."""
    cutoff = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    deleted, _ = LoginFailure.objects.filter(last_failure__lt=cutoff).delete()
    return deleted

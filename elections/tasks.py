"""Background work of election observation: reminders to focal points. Thin and safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from elections.models import ObservationActivity
from elections.notifications import CLOSING, REMINDER_DAYS_BEFORE_CLOSE, REQUESTED, notify_focal_points


@shared_task(name="elections.tasks.remind_observers_requested")
def remind_observers_requested(activity_id: int) -> int:
    """Tell focal points (not the host State's) that an activity requests observers. Each focal
    point gets this e-mail once per activity, however often the task runs."""
    activity = ObservationActivity.objects.select_related("election__state").filter(pk=activity_id).first()
    if activity is None:
        return 0
    return notify_focal_points(activity=activity, kind=REQUESTED)


@shared_task(name="elections.tasks.remind_offers_closing")
def remind_offers_closing(today: str | None = None) -> int:
    """Daily: remind focal points of activities whose offers close in 3 days. Sent once each."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    closing = day + datetime.timedelta(days=REMINDER_DAYS_BEFORE_CLOSE)
    sent = 0
    # Activities whose offers close within the reminder window and are still open (a missed
    # beat run is caught up the next day, and the key keeps it to one e-mail).
    activities = (
        ObservationActivity.objects.select_related("election__state")
        .filter(opened__gt=day, opened__lte=closing, closed__isnull=True)
        .exclude(lto_requested=0, sto_requested=0)
    )
    for activity in activities:
        sent += notify_focal_points(activity=activity, kind=CLOSING)
    return sent

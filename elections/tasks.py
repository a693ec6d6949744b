"""Background work of election observation: reminders to focal points. Thin and safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from elections.models import ObservationActivity
from elections.notifications import (
    CLOSING_LTO,
    CLOSING_STO,
    REMINDER_DAYS_BEFORE_CLOSE,
    REQUESTED,
    notify_focal_points,
)


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
    """Daily: remind focal points of the LTO and STO windows that close within 3 days (the window's
    last day included). Each reminder goes once per window and focal point; a missed beat run is
    caught up the next day while the window is still open."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    activities = ObservationActivity.objects.select_related("election__state")
    for activity in activities.lto_window_closing(day, REMINDER_DAYS_BEFORE_CLOSE):
        sent += notify_focal_points(activity=activity, kind=CLOSING_LTO)
    for activity in activities.sto_window_closing(day, REMINDER_DAYS_BEFORE_CLOSE):
        sent += notify_focal_points(activity=activity, kind=CLOSING_STO)
    return sent

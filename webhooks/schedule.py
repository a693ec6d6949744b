"""Periodic tasks of webhooks (merged into CELERY_BEAT_SCHEDULE)."""

BEAT_SCHEDULE = {
    "webhooks-dispatch": {"task": "webhooks.tasks.dispatch_events", "schedule": 60.0},
}

"""Periodic tasks of the platform (merged into CELERY_BEAT_SCHEDULE)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.tasks.record_heartbeat", "schedule": 60.0},
    "relay-pending-tasks": {"task": "core.tasks.relay_pending_tasks", "schedule": 60.0},
    # The open-data dumps of the public data, nightly (Vienna time, CELERY_TIMEZONE).
    "open-data-dumps": {"task": "core.tasks.open_data_build", "schedule": crontab(hour=2, minute=30)},
}

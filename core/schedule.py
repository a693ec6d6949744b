"""Periodic tasks of the platform (merged into CELERY_BEAT_SCHEDULE)."""

BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.tasks.record_heartbeat", "schedule": 60.0},
    "relay-pending-tasks": {"task": "core.tasks.relay_pending_tasks", "schedule": 60.0},
}

"""Periodic tasks of accounts (merged into CELERY_BEAT_SCHEDULE)."""

BEAT_SCHEDULE = {
    "purge-login-failures": {"task": "accounts.tasks.purge_login_failures", "schedule": 3600.0},
}

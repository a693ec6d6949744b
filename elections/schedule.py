"""Periodic tasks of election observation (merged into CELERY_BEAT_SCHEDULE)."""

BEAT_SCHEDULE = {
    "elections-remind-offers-closing": {
        "task": "elections.tasks.remind_offers_closing",
        "schedule": 24 * 60 * 60.0,
    },
}

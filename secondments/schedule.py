"""Periodic tasks of the secondment cycle (merged into CELERY_BEAT_SCHEDULE; no Django imports)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Deadlines end at 23:59 Vienna time: close shortly after midnight, and again every 15 minutes
    # in case the worker was down.
    "secondments-close-expired": {
        "task": "secondments.tasks.close_expired_vacancies",
        "schedule": crontab(minute="*/15"),
    },
    "secondments-deadline-reminders": {
        "task": "secondments.tasks.deadline_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "secondments-nominations-digest": {
        "task": "secondments.tasks.nominations_digest",
        "schedule": crontab(hour=6, minute=45),
    },
    "secondments-saved-search-digests": {
        "task": "secondments.tasks.saved_search_digests",
        "schedule": crontab(hour=6, minute=30),
    },
    "secondments-secondment-end-reminders": {
        "task": "secondments.tasks.secondment_end_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    "secondments-anonymise-candidates": {
        "task": "secondments.tasks.anonymise_candidates",
        "schedule": crontab(hour=3, minute=30),
    },
}

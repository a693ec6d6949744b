"""Background work of the secondment cycle: thin tasks that take ids and call the services.

Every task is safe to run twice: e-mails go through ``core.mail.mail_send`` (once per key and
recipient), and the state
changes (closing, anonymising) skip what is already done.
"""

from __future__ import annotations

from celery import shared_task

from secondments import notifications, services


@shared_task(name="secondments.tasks.vacancy_alert")
def vacancy_alert(vacancy_id: int) -> int:
    """Alert focal points (and Partners, and instant saved searches) of a published vacancy."""
    return notifications.vacancy_alert(vacancy_id=vacancy_id)


@shared_task(name="secondments.tasks.vacancy_filled_notice")
def vacancy_filled_notice(vacancy_id: int) -> int:
    """Tell the States with remaining nominations that the vacancy is filled."""
    return notifications.vacancy_filled_notice(vacancy_id=vacancy_id)


@shared_task(name="secondments.tasks.nomination_received")
def nomination_received(nomination_id: int) -> int:
    """Tell the nominating State's (or Partner's) focal points that their nomination arrived."""
    return notifications.nomination_received(nomination_id=nomination_id)


@shared_task(name="secondments.tasks.nomination_status_notice")
def nomination_status_notice(nomination_id: int, status: str, reason: str = "") -> int:
    """Tell the nominating State's (or Partner's) focal points that HR decided on their nomination."""
    return notifications.nomination_status_notice(nomination_id=nomination_id, status=status, reason=reason)


@shared_task(name="secondments.tasks.nominations_digest")
def nominations_digest() -> int:
    """HR's digest of yesterday's nominations (beat, daily; once per day)."""
    return notifications.nominations_digest()


@shared_task(name="secondments.tasks.close_expired_vacancies")
def close_expired_vacancies() -> list[str]:
    """Close the open vacancies whose deadline has passed (beat, every few minutes)."""
    return services.vacancies_close_expired()


@shared_task(name="secondments.tasks.deadline_reminders")
def deadline_reminders() -> int:
    """Remind States that have not nominated, 7 and 2 days before a deadline (beat, daily)."""
    return notifications.deadline_reminders()


@shared_task(name="secondments.tasks.saved_search_digests")
def saved_search_digests() -> int:
    """Daily digests of new vacancies matching saved searches (beat, daily)."""
    return notifications.saved_search_digests()


@shared_task(name="secondments.tasks.secondment_end_reminders")
def secondment_end_reminders() -> int:
    """Remind HR of secondments ending within 60 days (beat, daily)."""
    return notifications.secondment_end_reminders()


@shared_task(name="secondments.tasks.anonymise_candidates")
def anonymise_candidates() -> int:
    """Anonymise candidates not selected 12 months after their vacancy closed (beat, daily)."""
    return services.nominations_anonymise()

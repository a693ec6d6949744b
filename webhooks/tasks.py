"""Webhook background work: fan events out, then deliver each with retries and backoff."""

from __future__ import annotations

from celery import shared_task

from webhooks import services

MAX_RETRIES = 8


@shared_task(name="webhooks.tasks.dispatch_events")
def dispatch_events() -> int:
    """Turn new events into deliveries, each enqueued through the task outbox. Beat also runs it
    every minute, so an event whose dispatch could not be enqueued (Redis down) is still delivered."""
    return len(services.events_dispatch())


@shared_task(name="webhooks.tasks.deliver", bind=True, max_retries=MAX_RETRIES)
def deliver(self, delivery_id: int) -> bool:  # type: ignore[no-untyped-def]
    """POST one delivery; on failure retry with exponential backoff (30 s, 1 min, 2 min, … ~1 h)."""
    final = self.request.retries >= MAX_RETRIES
    if services.delivery_attempt(delivery_id=delivery_id, final=final):
        return True
    if final:
        return False
    raise self.retry(countdown=min(3600, 30 * 2**self.request.retries))

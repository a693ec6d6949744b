"""Publishing domain events through the outbox table; their dispatch is a task of the task outbox."""

from __future__ import annotations

from typing import Any

from celery import current_app

from core.models import Event
from core.tasks import enqueue

# By name: core does not import the webhooks app (absent, events only accumulate).
DISPATCH = "webhooks.tasks.dispatch_events"


def event_publish(
    *, name: str, data: dict[str, Any], visible_to_state: Any = None, visible_to_partner: Any = None
) -> Event:
    """Record event ``name`` with JSON-safe ``data``; call inside the service's transaction.

    ``visible_to_state`` (a State) or ``visible_to_partner`` (a Partner) limits delivery to HR and
    that State's or Partner's subscribers. Webhook dispatch is enqueued once the transaction commits.
    """
    event = Event.objects.create(
        name=name, data=data, visible_to_state=visible_to_state, visible_to_partner=visible_to_partner
    )
    if DISPATCH in current_app.tasks:
        # Through the task outbox: if Redis is down the dispatch is sent once it is back (and
        # beat's periodic dispatch picks the event up meanwhile anyway).
        enqueue(DISPATCH)
    return event

"""Publishing domain events through the outbox table."""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from django.db import transaction

from core.models import Event

logger = logging.getLogger(__name__)


def _kick_dispatcher() -> None:
    # By name: core does not import the webhooks app. If the broker is down the event stays in
    # the outbox and beat's periodic dispatch delivers it later.
    task = current_app.tasks.get("webhooks.tasks.dispatch_events")
    if task is None:
        return
    try:
        task.delay()
    except Exception:
        logger.warning("could not enqueue webhook dispatch; beat will pick the event up")


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
    transaction.on_commit(_kick_dispatcher)
    return event

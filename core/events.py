"""Publishing domain events through the outbox table."""

from __future__ import annotations

from typing import Any

from core.models import Event


def event_publish(*, name: str, data: dict[str, Any], visible_to_state: Any = None) -> Event:
    """Record event ``name`` with JSON-safe ``data``; call inside the service's transaction.

    ``visible_to_state`` (a State) limits delivery to HR and that State's subscribers.
    """
    return Event.objects.create(name=name, data=data, visible_to_state=visible_to_state)

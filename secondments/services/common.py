"""What the secondment services share: the actor type, Vienna's today, date sanity, enqueueing."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from core.tasks import enqueue

Actor = AbstractBaseUser | AnonymousUser | None

# How far ahead a deadline or a secondment's start may be set (keeps dates sane and computable).
MAX_DAYS_AHEAD = 3 * 366


def today() -> datetime.date:
    """Today in Vienna (TIME_ZONE): deadlines are Vienna dates."""
    return timezone.localdate()


def too_far(day: datetime.date) -> bool:
    return day > today() + datetime.timedelta(days=MAX_DAYS_AHEAD)


def user_or_none(actor: Actor) -> Any:
    """The acting user for a foreign key, or None for the system."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


__all__ = ["MAX_DAYS_AHEAD", "Actor", "enqueue", "today", "too_far", "user_or_none"]

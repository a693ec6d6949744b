"""Who may change a user's own settings: one function per action, called by its service."""

from __future__ import annotations

from typing import Any

from core.errors import NotVisible
from core.policies import is_system, require_user


def preference_update(actor: Any, user: Any) -> None:
    """A user changes their own preferences (the system may too); another user's are not there."""
    require_user(actor)
    if is_system(actor) or actor.pk == user.pk:
        return
    raise NotVisible()

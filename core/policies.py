"""Building blocks of the apps' policies (``<app>/policies.py``).

A policy answers one question, "may this actor do this action (to this object)?", by returning
quietly or raising ``NotAllowed``/``LoginRequired``/``NotVisible``. Services call it first thing, so
the page, the API, the admin and the tasks get the same answer from the same line of code. Views
may ask the same policy to decide what to show (a button, a form), never to replace it.

``actor=None`` is the portal itself (a scheduled task, a management command): it may do what the
task was written to do.
"""

from __future__ import annotations

from typing import Any

from core.errors import LoginRequired, NotAllowed, PortalError

SYSTEM = None


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def require_user(actor: Any) -> None:
    """Someone must be logged in (the system passes too)."""
    if is_system(actor):
        return
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        raise LoginRequired()


def require(actor: Any, allowed: bool, message: str) -> None:
    """Anonymous callers are asked to log in; a logged-in caller without the right gets ``message``."""
    if is_system(actor) or allowed:
        return
    require_user(actor)
    raise NotAllowed(message)


def allows(policy: Any, *args: Any, **kwargs: Any) -> bool:
    """Whether ``policy(*args, **kwargs)`` passes: for pages deciding which buttons to show."""
    try:
        policy(*args, **kwargs)
    except PortalError:
        return False
    return True

"""Reads on a PostgreSQL replica when ``DATABASE_REPLICA_URL`` is set; writes always on the primary.

A replica lags the primary by a little, so a client must see its own writes: reads go to the
primary (``default``) while

- a transaction is open on the primary (a service reading, and locking, what it is about to
  change: ``select_for_update`` must never run on a replica);
- the request itself writes (POST, PUT, PATCH, DELETE), and for ``REPLICA_PIN_SECONDS`` after it
  (``ReplicaPinMiddleware`` sets a short cookie), so the page shown after a redirect, or the
  client's next GET, reads what it just wrote.

Anything else reads from ``replica``. Without the setting there is no ``replica`` alias and this
router is not installed.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "osce_primary"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("osce_pinned_to_primary", default=False)


def pin_to_primary() -> contextvars.Token[bool]:
    """Read from the primary in this context (a request, a task) until reset."""
    return _pinned.set(True)


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        if _pinned.get() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaPinMiddleware:
    """Pins a writing request, and the same client's requests for a few seconds after, to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes = request.method in WRITE_METHODS
        token = pin_to_primary() if writes or request.COOKIES.get(PIN_COOKIE) else None
        try:
            response = self.get_response(request)
        finally:
            if token is not None:
                _pinned.reset(token)
        if writes and REPLICA in settings.DATABASES:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

"""The API's rate limits (contract §5: 429 with ``Retry-After``), one counter per client and window.

DRF's ``AnonRateThrottle`` and ``UserRateThrottle`` keep, per client, the list of its requests'
times in the cache: each request reads the list, unpickles it, prepends one time and writes it back,
twice (both throttles run on every request). The list grows with the rate: at a few hundred
requests a second a client's list holds tens of thousands of times, and the throttle became the
most expensive part of answering a 304 (bench/README.md). Here a client has one integer per
fixed window instead, incremented and given its expiry in one round trip to Redis
(``core.cache.ForgivingRedisCache.count``); one throttle picks the client's scope: ``user`` (its
id) once authenticated, ``anon`` (its address, as DRF's ``get_ident`` reads it) otherwise.

A fixed window lets a client spend its allowance at the end of one window and again at the start
of the next: at most twice the rate over a window's length, the usual trade of counter-based
limits. While Redis is down the count is unknown and the request is let through, as before
(``/readyz`` reports Redis failing).
"""

from __future__ import annotations

import math
from typing import Any

from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from core.cache import count

# Where core.door leaves the count it made of a request (a WSGI key no client can send).
COUNTED = "osce.door.counted"


class PortalRateThrottle(SimpleRateThrottle):
    """``anon`` or ``user`` rate by who is asking; one counter per client per window."""

    scope = "anon"

    def __init__(self) -> None:
        # The scope (and so the rate) is known only once the request is: see allow_request.
        self.window_end = 0.0

    def allow_request(self, request: Request, view: Any) -> bool:
        user = request.user
        authenticated = user is not None and user.is_authenticated
        self.scope = "user" if authenticated else "anon"
        counter = self._counter(user.pk if authenticated else self.get_ident(request))
        if counter is None:
            return True
        key, timeout, limit = counter
        counted = request.META.get(COUNTED)  # counted already by core.door for this request
        seen = counted[1] if counted and counted[0] == key else count(caches["default"], key, timeout)
        return seen is None or seen <= limit

    def anonymous_count(self, request: Any) -> tuple[str, int, int] | None:
        """For an anonymous request not yet wrapped by DRF (``core.door``: anything with the WSGI
        environ as ``META``): the counter ``allow_request`` would count, its expiry and the limit;
        None when unlimited."""
        self.scope = "anon"
        return self._counter(self.get_ident(request))

    def _counter(self, ident: Any) -> tuple[str, int, int] | None:
        """This scope's counter for ``ident`` in the current window, its expiry and the limit."""
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None or self.num_requests is None or self.duration is None:
            return None
        now = self.timer()
        window = int(now // self.duration)
        self.window_end = (window + 1) * self.duration
        self.now = now
        key = self.cache_format % {"scope": self.scope, "ident": ident}
        return f"{key}_{window}", self.duration + 1, self.num_requests

    def wait(self) -> float:
        return max(1, math.ceil(self.window_end - self.timer()))

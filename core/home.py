"""The home page's live counts. Each app registers its own in ``AppConfig.ready``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Counter:
    order: int
    label: str | Promise
    url_name: str
    count: Callable[[], int]


_counters: list[Counter] = []


def register_counter(*, order: int, label: str | Promise, url_name: str, count: Callable[[], int]) -> None:
    """Add a live count to the home page (one query each)."""
    if any(counter.url_name == url_name and counter.label == label for counter in _counters):
        return
    _counters.append(Counter(order, label, url_name, count))
    _counters.sort(key=lambda counter: counter.order)


def counters() -> list[Counter]:
    return list(_counters)

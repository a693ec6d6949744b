"""Extra sections of a field operation's page, contributed by other apps without an import cycle.

The secondments app, for instance, lists an operation's open vacancies: in its ``AppConfig.ready`` it
calls ``register_section(order=10, template_name="secondments/_operation_vacancies.html",
context=lambda operation, request: {"vacancies": ...}, models=(Vacancy,))``. The missions app never
imports it.

The operation's page caches its sections in a fragment keyed by the versions of the tables they
read (``core.versions.fragment_key``): ``models`` names every model whose table ``context`` reads.
A section that does not name them is keyed by every versioned table (correct, but its page is
rendered again after any write anywhere).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models as db_models
from django.http import HttpRequest

from core.versions import versioned_models


@dataclass(frozen=True)
class Section:
    order: int
    template_name: str
    context: Callable[[Any, HttpRequest], dict[str, Any] | None]
    models: tuple[type[db_models.Model], ...] | None = None


_sections: list[Section] = []


def register_section(
    *,
    order: int,
    template_name: str,
    context: Callable[[Any, HttpRequest], dict[str, Any] | None],
    models: tuple[type[db_models.Model], ...] | None = None,
) -> None:
    """Add a section to ``/missions/<slug>/``; ``context`` returning None hides it for that page;
    ``models``: every model whose table ``context`` reads (see the module's doc)."""
    if any(section.template_name == template_name for section in _sections):
        return
    _sections.append(Section(order, template_name, context, models))
    _sections.sort(key=lambda section: section.order)


def unregister_section(template_name: str) -> None:
    """Remove a section (tests)."""
    _sections[:] = [section for section in _sections if section.template_name != template_name]


def sections_models() -> set[type[db_models.Model]]:
    """Every model the registered sections read (every versioned one if a section names none)."""
    found: set[type[db_models.Model]] = set()
    for section in _sections:
        if section.models is None:
            return set(versioned_models())
        found.update(section.models)
    return found


def sections_key() -> str:
    """Which sections are registered, for the cache key of the fragment that shows them."""
    return ",".join(section.template_name for section in _sections)


def sections_for(operation: Any, request: HttpRequest) -> list[dict[str, Any]]:
    """The sections to render on ``operation``'s page, each with its template and context."""
    rendered = []
    for section in _sections:
        context = section.context(operation, request)
        if context is not None:
            rendered.append({"template_name": section.template_name, "context": context})
    return rendered

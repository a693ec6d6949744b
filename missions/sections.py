"""Extra sections of a field operation's page, contributed by other apps without an import cycle.

The secondments app, for instance, lists an operation's open vacancies: in its ``AppConfig.ready`` it
calls ``register_section(order=10, template_name="secondments/_operation_vacancies.html",
context=lambda operation, request: {"vacancies": ...})``. The missions app never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    order: int
    template_name: str
    context: Callable[[Any, HttpRequest], dict[str, Any] | None]


_sections: list[Section] = []


def register_section(
    *, order: int, template_name: str, context: Callable[[Any, HttpRequest], dict[str, Any] | None]
) -> None:
    """Add a section to ``/missions/<slug>/``; ``context`` returning None hides it for that page."""
    if any(section.template_name == template_name for section in _sections):
        return
    _sections.append(Section(order, template_name, context))
    _sections.sort(key=lambda section: section.order)


def unregister_section(template_name: str) -> None:
    """Remove a section (tests)."""
    _sections[:] = [section for section in _sections if section.template_name != template_name]


def sections_for(operation: Any, request: HttpRequest) -> list[dict[str, Any]]:
    """The sections to render on ``operation``'s page, each with its template and context."""
    rendered = []
    for section in _sections:
        context = section.context(operation, request)
        if context is not None:
            rendered.append({"template_name": section.template_name, "context": context})
    return rendered

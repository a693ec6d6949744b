"""The nominations panel of a State's page."""

from __future__ import annotations

from typing import Any

from django import template

from secondments.panels import state_nomination_figures

register = template.Library()


@register.inclusion_tag("secondments/includes/state_nominations.html")
def state_nominations_panel(state: Any) -> dict[str, Any]:
    return state_nomination_figures(state)

"""The secondment panel of a State's page."""

from __future__ import annotations

from typing import Any

from django import template

from secondments.panels import state_secondment_figures

register = template.Library()


@register.inclusion_tag("secondments/includes/state_nominations.html", takes_context=True)
def state_nominations_panel(context: dict[str, Any], state: Any) -> dict[str, Any]:
    request = context.get("request")
    return state_secondment_figures(state, getattr(request, "user", None))

"""The elections panel of a State's page (``/states/<code>/``)."""

from __future__ import annotations

from typing import Any

from django import template

from elections.models import Election, Recommendation

register = template.Library()


@register.inclusion_tag("elections/includes/state_elections.html")
def state_elections_panel(state: Any) -> dict[str, Any]:
    """The State's elections (latest first) and its open ODIHR recommendations.

    Three queries whatever the numbers: elections, recommendations, their rating history.
    """
    elections = list(
        Election.objects.filter(state=state).select_related("state").order_by("-date", "-round")[:20]
    )
    recommendations = list(
        Recommendation.objects.of_state(state)
        .open()
        .select_related("topic", "report__activity__election__state")
        .prefetch_related("assessments")
        .order_by("-report__activity__election__date", "number")
    )
    return {"state": state, "elections": elections, "recommendations": recommendations}

"""The elections panel of a State's page (``/states/<code>/``)."""

from __future__ import annotations

from typing import Any

from django import template

from elections.models import Election, Recommendation
from elections.panels import state_recommendations

register = template.Library()


@register.inclusion_tag("elections/includes/state_elections.html")
def state_elections_panel(state: Any) -> dict[str, Any]:
    """The State's elections (latest first), its ODIHR recommendations by status and topic with the
    share implemented over the years, and those still open.

    Three queries whatever the numbers: the elections, the recommendations (report, activity,
    election, State and topic joined) and their assessments."""
    elections = list(
        Election.objects.filter(state=state).select_related("state").order_by("-date", "-round")[:20]
    )
    summary = state_recommendations(state)
    recommendations = sorted(
        (rec for rec in summary["recommendations"] if rec.status != Recommendation.Status.FULLY),
        key=lambda rec: (-rec.report.activity.election.date.toordinal(), rec.number),
    )
    return {"state": state, "elections": elections, "recommendations": recommendations, "summary": summary}

"""Figures of election observation shown on pages: a State's recommendations by status and topic,
how the share implemented moved over the years (with its small SVG chart), and an activity's
observers requested against offered, per State.

Each function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from elections.models import Election, ObservationActivity, ObserverOffer, OfferedObserver, Recommendation

IMPLEMENTED = (Recommendation.Status.FULLY, Recommendation.Status.MOSTLY)
# The chart shows at most this many years, the latest.
CHART_YEARS = 12


@dataclass
class YearShare:
    """Recommendations made to a State up to the end of ``year``, and how many were (fully or
    mostly) implemented as assessed by then."""

    year: int
    total: int
    implemented: int

    @property
    def percent(self) -> int:
        return round(100 * self.implemented / self.total) if self.total else 0


@dataclass
class Chart:
    """A bar chart of ``YearShare`` rows, laid out for an SVG ``viewBox`` (no script)."""

    width: int = 560
    height: int = 220
    top: int = 16
    bottom: int = 32
    left: int = 40
    bars: list[dict[str, Any]] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)


def _status_on(assessments: list[Any], day: datetime.date) -> str | None:
    """The status of the latest assessment dated on or before ``day`` (by date, then entry)."""
    status = None
    for assessment in assessments:  # ordered by (assessed_on, id)
        if assessment.assessed_on <= day:
            status = assessment.status
    return status


def share_over_years(recommendations: list[Recommendation], *, until: int | None = None) -> list[YearShare]:
    """For each year from the first report to ``until`` (this year): the recommendations made by
    then and the share implemented (fully or mostly) at the year's end. Reads the prefetched
    ``assessments`` (ordered by date)."""
    if not recommendations:
        return []
    last = until or timezone.localdate().year
    first = min(rec.report.published.year for rec in recommendations)
    first = max(first, last - CHART_YEARS + 1)
    rows = []
    for year in range(first, last + 1):
        end = datetime.date(year, 12, 31)
        made = [rec for rec in recommendations if rec.report.published <= end]
        implemented = sum(1 for rec in made if _status_on(list(rec.assessments.all()), end) in IMPLEMENTED)
        rows.append(YearShare(year=year, total=len(made), implemented=implemented))
    return [row for row in rows if row.total]


def chart(rows: list[YearShare]) -> Chart:
    """Bars of the percent implemented per year, and the 0/50/100 % grid lines."""
    layout = Chart()
    plot_height = layout.height - layout.top - layout.bottom
    plot_width = layout.width - layout.left - 8
    slot = plot_width / max(len(rows), 1)
    bar = min(40.0, slot * 0.6)
    for percent in (0, 50, 100):
        y = layout.top + plot_height * (1 - percent / 100)
        layout.ticks.append({"percent": percent, "y": round(y, 1)})
    for index, row in enumerate(rows):
        height = plot_height * row.percent / 100
        x = layout.left + slot * index + (slot - bar) / 2
        layout.bars.append(
            {
                "row": row,
                "x": round(x, 1),
                "y": round(layout.top + plot_height - height, 1),
                "width": round(bar, 1),
                "height": round(height, 1),
                "label_x": round(x + bar / 2, 1),
                "label_y": layout.height - layout.bottom + 18,
                "value_y": round(max(layout.top + plot_height - height - 4, layout.top + 10), 1),
            }
        )
    return layout


def state_recommendations(state: Any) -> dict[str, Any]:
    """A State's recommendations: counts by status and by topic (a table), and the share
    implemented over the years (a chart and its table). Two queries: the recommendations (report,
    topic joined) and their assessments."""
    recommendations = list(
        Recommendation.objects.of_state(state).for_list().order_by("report__published", "number")
    )
    statuses = list(Recommendation.Status)
    by_topic: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, str] = {}
    for rec in recommendations:
        key = rec.topic.slug if rec.topic else ""
        names[key] = rec.topic.name if rec.topic else _("no topic")
        by_topic[key][rec.status] += 1
    totals = Counter(rec.status for rec in recommendations)
    rows = [
        {
            "topic": names[key],
            "counts": [by_topic[key][status] for status in statuses],
            "total": sum(by_topic[key].values()),
        }
        for key in sorted(by_topic, key=lambda key: (key == "", names[key]))
    ]
    years = share_over_years(recommendations)
    return {
        "state": state,
        "statuses": [status.label for status in statuses],
        "topic_rows": rows,
        "status_totals": [totals[status] for status in statuses],
        "total": len(recommendations),
        "years": years,
        "chart": chart(years),
        "recommendations": recommendations,
    }


def activity_observers(activity: ObservationActivity, *, with_names: bool) -> dict[str, Any]:
    """Requested against offered LTOs and STOs, in total and per State, with the gap.

    ``activity`` carries ``lto_offered``/``sto_offered`` (``with_offered()``). One query for the
    offers per State, one more for the named observers per State when ``with_names``.
    """
    per_state: list[dict[str, Any]] = [
        dict(row)
        for row in ObserverOffer.objects.filter(activity=activity)
        .values("state__code", "state__name")
        .annotate(lto=Sum("lto"), sto=Sum("sto"), offers=Count("id"))
        .order_by("state__name")
    ]
    if with_names:
        named = dict(
            OfferedObserver.objects.filter(offer__activity=activity)
            .values("offer__state")
            .annotate(count=Count("id"))
            .values_list("offer__state", "count")
        )
        for row in per_state:
            row["named"] = named.get(row["state__code"], 0)
    lto_offered = getattr(activity, "lto_offered", 0) or 0
    sto_offered = getattr(activity, "sto_offered", 0) or 0
    on = timezone.localdate()
    lto = {
        "role": _("Long-term observers"),
        "requested": activity.lto_requested,
        "offered": lto_offered,
        "gap": max(activity.lto_requested - lto_offered, 0),
        "surplus": max(lto_offered - activity.lto_requested, 0),
        "until": activity.lto_last_day,
        "open": activity.lto_offers_open(on),
    }
    sto = {
        "role": _("Short-term observers"),
        "requested": activity.sto_requested,
        "offered": sto_offered,
        "gap": max(activity.sto_requested - sto_offered, 0),
        "surplus": max(sto_offered - activity.sto_requested, 0),
        "until": activity.sto_last_day,
        "open": activity.sto_offers_open(on),
    }
    return {"per_state": per_state, "lto": lto, "sto": sto, "totals": [lto, sto], "with_names": with_names}


OPERATION_ELECTIONS = 10  # the latest ones; the State's page and /elections/ have every one


def operation_elections(operation: Any, request: Any) -> dict[str, Any] | None:
    """A field operation's page: the latest elections in its host State (one query; none: hidden)."""
    if operation.host_state_id is None:
        return None
    elections = list(
        Election.objects.visible_to(getattr(request, "user", None))
        .filter(state_id=operation.host_state_id)
        .select_related("state")
        .order_by("-date", "-round")[:OPERATION_ELECTIONS]
    )
    return {"operation": operation, "state": operation.host_state, "elections": elections}

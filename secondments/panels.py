"""What the secondments app contributes to other apps' pages, without them importing it.

- ``/missions/<slug>/``: the operation's open vacancies (``missions.sections``).
- ``/states/<code>/``: the State's secondment figures (``states.views.STATE_PANELS`` renders
  ``secondments/includes/state_panel.html``, which calls the ``state_nominations_panel`` tag).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from django.utils import timezone

from accounts.roles import focal_state, is_hr
from secondments.models import Nomination, Secondment, Vacancy


def operation_vacancies(operation: Any, request: HttpRequest) -> dict[str, Any]:
    """Open vacancies at ``operation``, soonest deadline first (one query)."""
    vacancies = list(
        Vacancy.objects.open()
        .filter(field_operation=operation)
        .only("reference", "title", "grade", "duty_station", "deadline", "posts")
        .order_by("deadline", "reference")[:50]
    )
    return {"vacancies": vacancies, "operation": operation}


def state_secondment_figures(state: Any, user: Any) -> dict[str, Any]:
    """A State's secondment figures.

    Public (facts of service, two queries): who serves today, by field operation or body, and the
    years of secondment the State's officials completed. Private (a third query, for HR and that
    State's focal point only): this year's nominations, which would tell anyone else when and how
    much a State nominates.
    """
    today = timezone.localdate()
    serving = list(
        Secondment.objects.filter(state=state)
        .serving(today)
        .values("vacancy__field_operation__name", "vacancy__body__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "vacancy__field_operation__name", "vacancy__body__name")
    )
    completed = Secondment.objects.filter(state=state, end__lte=today).aggregate(
        secondments=Count("pk"), renewals=Sum("renewals")
    )
    figures: dict[str, Any] = {
        "state": state,
        "serving": [
            {"where": row["vacancy__field_operation__name"] or row["vacancy__body__name"], "n": row["n"]}
            for row in serving
        ],
        "serving_total": sum(row["n"] for row in serving),
        "completed_years": (completed["secondments"] or 0) + (completed["renewals"] or 0),
        "private": None,
    }
    own = focal_state(user)
    if is_hr(user) or (own is not None and own.pk == state.pk):
        figures["private"] = Nomination.objects.filter(state=state, submitted__year=today.year).aggregate(
            nominated=Count("pk", filter=~Q(status=Nomination.Status.WITHDRAWN)),
            selected=Count("pk", filter=Q(status=Nomination.Status.SELECTED)),
        )
    return figures

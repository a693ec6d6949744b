"""What the secondments app contributes to other apps' pages, without them importing it.

- ``/missions/<slug>/``: the operation's open vacancies (``missions.sections``).
- ``/states/<code>/``: the State's nomination statistics (``states.views.STATE_PANELS`` renders
  ``secondments/includes/state_panel.html``, which calls the ``state_nominations_panel`` tag).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

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


def state_nomination_figures(state: Any) -> dict[str, Any]:
    """Aggregate, anonymous figures of a State's nominations and secondments (two queries).

    Only counts: who was nominated stays visible to HR and that State alone.
    """
    today = timezone.localdate()
    nominations = Nomination.objects.filter(state=state).aggregate(
        total=Count("pk"),
        selected=Count("pk", filter=Q(status=Nomination.Status.SELECTED)),
        this_year=Count("pk", filter=Q(submitted__year=today.year)),
    )
    serving = Secondment.objects.filter(state=state, start__lte=today, end__gt=today).count()
    return {"state": state, "nominations": nominations, "serving": serving}

"""Reads of the secondment cycle: who sees what, and the prefetches that keep lists constant."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Case, CharField, Count, Prefetch, Q, Value, When
from django.utils import timezone

from accounts.roles import focal_state, is_hr


class VacancyQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> VacancyQuerySet:
        """HR sees every vacancy; anyone else never sees drafts."""
        if is_hr(user):
            return self.all()
        return self.exclude(status="draft")

    def open(self) -> VacancyQuerySet:
        return self.filter(status="open")

    def for_list(self) -> VacancyQuerySet:
        return self.select_related("field_operation", "body", "dimension", "field_of_expertise")


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> NominationQuerySet:
        """HR sees every nomination; a focal point its own State's; anyone else none."""
        if is_hr(user):
            return self.all()
        state = focal_state(user)
        if state is None:
            return self.none()
        return self.filter(state=state)

    def for_list(self) -> NominationQuerySet:
        from secondments.models import NominationChange

        return self.select_related("vacancy", "state", "nationality").prefetch_related(
            Prefetch("history", queryset=NominationChange.objects.select_related("by"))
        )


class SecondmentQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> SecondmentQuerySet:
        """HR sees every secondment; a focal point its own State's; anyone else none."""
        if is_hr(user):
            return self.all()
        state = focal_state(user)
        if state is None:
            return self.none()
        return self.filter(state=state)

    def with_status(self, on: datetime.date | None = None) -> SecondmentQuerySet:
        """Annotate ``current_status`` (planned, active, ended) as of ``on`` (today in Vienna)."""
        day = on or timezone.localdate()
        return self.annotate(
            current_status=Case(
                When(start__gt=day, then=Value("planned")),
                When(end__gt=day, then=Value("active")),
                default=Value("ended"),
                output_field=CharField(),
            )
        )

    def ending_within(self, days: int, on: datetime.date | None = None) -> SecondmentQuerySet:
        day = on or timezone.localdate()
        return self.filter(end__gt=day, end__lte=day + datetime.timedelta(days=days))

    def for_list(self) -> SecondmentQuerySet:
        return self.select_related("nomination", "state", "vacancy")


def nomination_counts_by_state(vacancy_ids: list[int]) -> dict[int, dict[str, int]]:
    """``{vacancy_id: {state_code: count}}`` of nominations not withdrawn: one query."""
    from secondments.models import Nomination

    rows = (
        Nomination.objects.filter(vacancy_id__in=vacancy_ids)
        .exclude(status="withdrawn")
        .values("vacancy_id", "state_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        result.setdefault(row["vacancy_id"], {})[row["state_id"]] = row["n"]
    return result


def open_nomination_filter() -> Q:
    return Q(status__in=["submitted", "shortlisted"])

"""Reads of the secondment cycle: who sees what, and the prefetches that keep lists constant.

Who sees what (``visible_to``):
- vacancies: everyone sees published ones; only HR sees drafts and drafts that were cancelled;
- nominations and secondments: HR sees all; a focal point its own State's or Partner's; nobody else
  any (another State's answer 404).
"""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import models
from django.db.models import Case, CharField, Count, F, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.roles import is_hr, roles_of
from core.models import related_model

if TYPE_CHECKING:
    from secondments.models import Nomination, Secondment, Vacancy  # noqa: F401 (generic bases below)

# Full-text search configuration of each notice language (all six ship with PostgreSQL).
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "it": "italian",
    "ru": "russian",
    "es": "spanish",
}


def _today() -> datetime.date:
    """Today in Vienna (TIME_ZONE): deadlines are Vienna dates."""
    return timezone.localdate()


def own_filter(user: Any) -> Q | None:
    """``Q`` matching rows of the State or Partner a focal point acts for; None for anyone else."""
    roles = roles_of(user)
    if roles.state is not None:
        return Q(state=roles.state)
    if roles.partner is not None:
        return Q(partner=roles.partner)
    return None


def search_query(text: str) -> SearchQuery:
    """The user's words as a web-search query in each of the six languages (one constant tsquery,
    so the GIN index answers it)."""
    return reduce(
        or_, (SearchQuery(text, config=config, search_type="websearch") for config in SEARCH_CONFIGS.values())
    )


class VacancyQuerySet(models.QuerySet["Vacancy"]):
    def visible_to(self, user: Any) -> VacancyQuerySet:
        """HR sees every vacancy; anyone else never sees a draft, nor a draft that was cancelled."""
        if is_hr(user):
            return self.all()
        return self.exclude(status=self.model.Status.DRAFT).exclude(
            status=self.model.Status.CANCELLED, published__isnull=True
        )

    def open(self, on: datetime.date | None = None) -> VacancyQuerySet:
        """Taking nominations: open, and the deadline (a Vienna date) not yet passed."""
        return self.filter(status=self.model.Status.OPEN, deadline__gte=on or _today())

    def closing_within(self, days: int, on: datetime.date | None = None) -> VacancyQuerySet:
        """Open vacancies whose deadline falls in the next ``days`` days (today included)."""
        day = on or _today()
        return self.open(day).filter(deadline__lte=day + datetime.timedelta(days=days))

    def current_status_expression(self, on: datetime.date | None = None) -> Case:
        """``Vacancy.current_status`` as SQL: an open vacancy past its deadline counts as closed."""
        Status = self.model.Status
        return Case(
            When(status=Status.OPEN, deadline__lt=on or _today(), then=Value(Status.CLOSED.value)),
            default=F("status"),
            output_field=CharField(),
        )

    def closed(self, on: datetime.date | None = None) -> VacancyQuerySet:
        """Closed to nominations and not filled: closed early, or open with the deadline passed."""
        Status = self.model.Status
        return self.filter(Q(status=Status.CLOSED) | Q(status=Status.OPEN, deadline__lt=on or _today()))

    def with_status(self, status: str) -> VacancyQuerySet:
        """Vacancies whose current status (``Vacancy.current_status``) is ``status``."""
        if status == self.model.Status.OPEN:
            return self.open()
        if status == self.model.Status.CLOSED:
            return self.closed()
        return self.filter(status=status)

    def search(self, text: str) -> VacancyQuerySet:
        """Vacancies matching ``text`` in any of the six languages, in the list's order, with their
        ``rank`` (``order_by("-rank", ...)``: best match first, the ``relevance`` sort).

        The list's order, not the rank, by default: ranking reads every match (at 100,000 vacancies
        a common word matches thousands), while the list's order walks its index and stops at the
        page (bench/README.md, "Search")."""
        query = search_query(text)
        return self.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))

    def for_list(self) -> VacancyQuerySet:
        return self.select_related("field_operation", "body", "dimension", "field_of_expertise")


class NominationQuerySet(models.QuerySet["Nomination"]):
    def visible_to(self, user: Any) -> NominationQuerySet:
        """HR sees every nomination; a focal point its own State's or Partner's; anyone else none."""
        if is_hr(user):
            return self.all()
        own = own_filter(user)
        return self.none() if own is None else self.filter(own)

    def open(self) -> NominationQuerySet:
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def for_list(self) -> NominationQuerySet:
        history = related_model(self.model, "history")
        return self.select_related("vacancy", "state", "partner", "nationality").prefetch_related(
            Prefetch("history", queryset=history.objects.select_related("by"))
        )

    def counts_by_nominator(self, vacancy_ids: list[int]) -> dict[int, dict[str, int]]:
        """``{vacancy_id: {State or Partner code: count}}`` of nominations not withdrawn: one query."""
        rows = (
            self.filter(vacancy_id__in=vacancy_ids)
            .exclude(status=self.model.Status.WITHDRAWN)
            .annotate(code=Coalesce("state_id", "partner_id"))
            .values("vacancy_id", "code")
            .annotate(n=Count("id"))
            .order_by()
        )
        result: dict[int, dict[str, int]] = {}
        for row in rows:
            result.setdefault(row["vacancy_id"], {})[row["code"]] = row["n"]
        return result


class SecondmentQuerySet(models.QuerySet["Secondment"]):
    def visible_to(self, user: Any) -> SecondmentQuerySet:
        """HR sees every secondment; a focal point its own State's or Partner's; anyone else none."""
        if is_hr(user):
            return self.all()
        own = own_filter(user)
        return self.none() if own is None else self.filter(own)

    def serving(self, on: datetime.date | None = None) -> SecondmentQuerySet:
        day = on or _today()
        return self.filter(start__lte=day, end__gt=day)

    def with_status(self, on: datetime.date | None = None) -> SecondmentQuerySet:
        """Annotate ``current_status`` (planned, active, ended) as of ``on`` (today in Vienna)."""
        day = on or _today()
        Status = self.model.Status
        return self.annotate(
            current_status=Case(
                When(start__gt=day, then=Value(Status.PLANNED.value)),
                When(end__gt=day, then=Value(Status.ACTIVE.value)),
                default=Value(Status.ENDED.value),
                output_field=CharField(),
            )
        )

    def ending_within(self, days: int, on: datetime.date | None = None) -> SecondmentQuerySet:
        day = on or _today()
        return self.filter(end__gt=day, end__lte=day + datetime.timedelta(days=days))

    def for_list(self) -> SecondmentQuerySet:
        return self.select_related("nomination", "state", "partner", "vacancy", "person")

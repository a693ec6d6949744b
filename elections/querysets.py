"""Reads of election observation: who sees what, and the prefetches that keep lists constant."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.roles import focal_state, is_hr, is_odihr

if TYPE_CHECKING:
    from elections.models import ObservationActivity, Recommendation  # noqa: F401 (generic bases below)


def _offered_sum(field: str) -> Coalesce:
    """Sum of ``field`` over an activity's offers, as a correlated subquery (no GROUP BY, no
    multiplication by other joins)."""
    from elections.models import ObserverOffer

    total = (
        ObserverOffer.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


class ElectionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ElectionQuerySet:
        """Elections are public."""
        return self.all()

    def upcoming(self, on: datetime.date) -> ElectionQuerySet:
        return self.filter(date__gte=on)

    def with_observation(self) -> ElectionQuerySet:
        """Prefetch what ``observation`` and its API shape need: 4 queries whatever the row count
        (activities with offered sums, reports, recommendations, their rating history)."""
        from elections.models import ObservationActivity

        return self.select_related("state").prefetch_related(
            Prefetch("activities", queryset=ObservationActivity.objects.with_details())
        )

    def with_observation_kind(self, kind: str) -> ElectionQuerySet:
        """Elections whose ``observation`` is of ``kind`` (``none``: elections with no activity).

        A deployed kind matches the election's deployment; ``NAM`` matches an election with a NAM and
        no deployment, as ``observation`` is then the NAM.
        """
        from elections.models import ObservationActivity

        activities = ObservationActivity.objects.filter(election=OuterRef("pk"))
        if kind == "none":
            return self.filter(~Exists(activities))
        if kind == ObservationActivity.Kind.NAM:
            return self.filter(Exists(activities.filter(kind=kind))).filter(
                ~Exists(activities.filter(kind__in=ObservationActivity.DEPLOYED))
            )
        return self.filter(Exists(activities.filter(kind=kind)))


class ObservationActivityQuerySet(models.QuerySet["ObservationActivity"]):
    def visible_to(self, user: Any) -> ObservationActivityQuerySet:
        """Activities and their reports are public."""
        return self.all()

    def with_offered(self) -> ObservationActivityQuerySet:
        return self.annotate(lto_offered=_offered_sum("lto"), sto_offered=_offered_sum("sto"))

    def with_details(self) -> ObservationActivityQuerySet:
        """Offered sums (annotated), the election and its State, reports, recommendations and their
        rating history: 1 query for the activities + 3 prefetches (reports, recommendations,
        assessments)."""
        from elections.models import Recommendation, RecommendationAssessment, Report

        return (
            self.with_offered()
            .select_related("election", "election__state")
            .prefetch_related(
                Prefetch(
                    "reports",
                    queryset=Report.objects.order_by("published", "id").prefetch_related(
                        Prefetch(
                            "recommendations",
                            queryset=Recommendation.objects.select_related("topic").prefetch_related(
                                Prefetch(
                                    "assessments",
                                    queryset=RecommendationAssessment.objects.order_by("assessed_on", "id"),
                                )
                            ),
                        )
                    ),
                )
            )
        )

    def _running_on(self, day: datetime.date) -> ObservationActivityQuerySet:
        return self.exclude(kind=self.model.Kind.NAM).filter(Q(closed__isnull=True) | Q(closed__gt=day))

    def lto_window_closing(self, day: datetime.date, within: int) -> ObservationActivityQuerySet:
        """Activities requesting LTOs whose LTO window is open on ``day`` and closes (its last day,
        the day before ``opened``) within ``within`` days."""
        one = datetime.timedelta(days=1)
        last = day + datetime.timedelta(days=within)
        return self._running_on(day).filter(
            lto_requested__gt=0, opened__gte=day + one, opened__lte=last + one
        )

    def sto_window_closing(self, day: datetime.date, within: int) -> ObservationActivityQuerySet:
        """Activities requesting STOs whose STO window is open on ``day`` and closes (its last day:
        ``sto_deadline``, else the day before election day) within ``within`` days."""
        last = day + datetime.timedelta(days=within)
        one = datetime.timedelta(days=1)
        return self._running_on(day).filter(
            Q(sto_deadline__gte=day, sto_deadline__lte=last)
            | Q(sto_deadline__isnull=True, election__date__gte=day + one, election__date__lte=last + one),
            sto_requested__gt=0,
        )


class ObserverOfferQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ObserverOfferQuerySet:
        """HR and ODIHR see every offer; a State's focal point its own State's; anyone else none."""
        if is_hr(user) or is_odihr(user):
            return self.all()
        state = focal_state(user)
        if state is not None:
            return self.filter(state=state)
        return self.none()


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def visible_to(self, user: Any) -> RecommendationQuerySet:
        """Recommendations and their assessments are public (they come from public reports)."""
        return self.all()

    def open(self) -> RecommendationQuerySet:
        """Not (yet) fully implemented."""
        return self.exclude(status=self.model.Status.FULLY)

    def for_list(self) -> RecommendationQuerySet:
        """The activity, election and State joined, the topic joined, the assessments prefetched:
        2 queries whatever the number of rows."""
        from elections.models import RecommendationAssessment

        return self.select_related("topic", "report__activity__election__state").prefetch_related(
            Prefetch("assessments", queryset=RecommendationAssessment.objects.order_by("assessed_on", "id"))
        )

    def of_state(self, state: Any) -> RecommendationQuerySet:
        return self.filter(report__activity__election__state=state)
